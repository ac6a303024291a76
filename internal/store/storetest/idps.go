package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/store"
)

func newIDP(poolID, name string, identifiers ...string) store.IdentityProvider {
	return store.IdentityProvider{
		PoolID: poolID, Name: name, Type: "OIDC", Settings: []byte("sealed\x00settings"),
		Identifiers: identifiers, CreatedAt: t0, UpdatedAt: t0,
	}
}

func idpName(p store.IdentityProvider) string { return p.Name }

func testIdentityProviderCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	b := mustPool(t, s, "pool-b")

	p := newIDP(a.ID, "Corp", "corp.example.com", "example.org")
	noErr(t, "CreateIdentityProvider", s.CreateIdentityProvider(ctx, p))
	got, err := s.GetIdentityProvider(ctx, a.ID, p.Name)
	noErr(t, "GetIdentityProvider", err)
	if d := diff(p, got); d != "" {
		t.Errorf("GetIdentityProvider (-want +got):\n%s", d)
	}
	got, err = s.GetIdentityProviderByIdentifier(ctx, a.ID, "example.org")
	noErr(t, "GetIdentityProviderByIdentifier", err)
	if d := diff(p, got); d != "" {
		t.Errorf("GetIdentityProviderByIdentifier (-want +got):\n%s", d)
	}
	_, err = s.GetIdentityProvider(ctx, b.ID, p.Name)
	wantErr(t, "GetIdentityProvider(other pool)", err, store.ErrNotFound)
	_, err = s.GetIdentityProviderByIdentifier(ctx, b.ID, "example.org")
	wantErr(t, "GetIdentityProviderByIdentifier(other pool)", err, store.ErrNotFound)

	wantConflict(t, "CreateIdentityProvider(same name)", s.CreateIdentityProvider(ctx, newIDP(a.ID, "Corp")), store.ConflictProviderName)
	wantConflict(t, "CreateIdentityProvider(taken identifier)",
		s.CreateIdentityProvider(ctx, newIDP(a.ID, "Other", "fresh", "example.org")), store.ConflictProviderIdentifier)
	// The refused create left nothing behind, not even its free identifier.
	_, err = s.GetIdentityProvider(ctx, a.ID, "Other")
	wantErr(t, "GetIdentityProvider(refused create)", err, store.ErrNotFound)
	_, err = s.GetIdentityProviderByIdentifier(ctx, a.ID, "fresh")
	wantErr(t, "GetIdentityProviderByIdentifier(refused create)", err, store.ErrNotFound)
	noErr(t, "CreateIdentityProvider(same name and identifiers, other pool)",
		s.CreateIdentityProvider(ctx, newIDP(b.ID, "Corp", "corp.example.com")))
	wantErr(t, "CreateIdentityProvider(missing pool)", s.CreateIdentityProvider(ctx, newIDP("pool-missing", "X")), store.ErrNotFound)

	noErr(t, "CreateIdentityProvider(second)", s.CreateIdentityProvider(ctx, newIDP(a.ID, "Second", "second.example")))
	updated, err := s.UpdateIdentityProvider(ctx, a.ID, p.Name, func(p *store.IdentityProvider) error {
		p.Settings = []byte("new")
		p.Identifiers = []string{"example.org", "new.example"}
		p.UpdatedAt = t0.Add(time.Second)
		return nil
	})
	noErr(t, "UpdateIdentityProvider", err)
	want := p
	want.Settings, want.Identifiers, want.UpdatedAt = []byte("new"), []string{"example.org", "new.example"}, t0.Add(time.Second)
	if d := diff(want, updated); d != "" {
		t.Errorf("UpdateIdentityProvider (-want +got):\n%s", d)
	}
	_, err = s.GetIdentityProviderByIdentifier(ctx, a.ID, "corp.example.com")
	wantErr(t, "GetIdentityProviderByIdentifier(dropped identifier)", err, store.ErrNotFound)
	got, err = s.GetIdentityProviderByIdentifier(ctx, a.ID, "new.example")
	noErr(t, "GetIdentityProviderByIdentifier(new identifier)", err)
	if got.Name != p.Name {
		t.Errorf("GetIdentityProviderByIdentifier(new identifier) = %s, want %s", got.Name, p.Name)
	}
	_, err = s.UpdateIdentityProvider(ctx, a.ID, p.Name, func(p *store.IdentityProvider) error {
		p.Identifiers = []string{"second.example"}
		return nil
	})
	wantConflict(t, "UpdateIdentityProvider(another's identifier)", err, store.ConflictProviderIdentifier)
	got, err = s.GetIdentityProvider(ctx, a.ID, p.Name)
	noErr(t, "GetIdentityProvider after refused update", err)
	if d := diff(want, got); d != "" {
		t.Errorf("refused update changed the provider (-want +got):\n%s", d)
	}
	_, err = s.UpdateIdentityProvider(ctx, a.ID, p.Name, func(p *store.IdentityProvider) error {
		p.Type = "SAML"
		return nil
	})
	if err == nil {
		t.Error("UpdateIdentityProvider(type change) succeeded")
	}
	_, err = s.UpdateIdentityProvider(ctx, a.ID, "missing", func(*store.IdentityProvider) error { return nil })
	wantErr(t, "UpdateIdentityProvider(missing)", err, store.ErrNotFound)

	for i := range 3 {
		noErr(t, "CreateIdentityProvider", s.CreateIdentityProvider(ctx, newIDP(a.ID, fmt.Sprintf("P%d", i))))
	}
	pages := pageThrough(t, 2, idpName, func(pg store.Page) ([]store.IdentityProvider, string, error) {
		return s.ListIdentityProviders(ctx, a.ID, pg)
	})
	wantPages := [][]string{{"Corp", "P0"}, {"P1", "P2"}, {"Second"}}
	if d := cmp.Diff(wantPages, pages); d != "" {
		t.Errorf("ListIdentityProviders pages (-want +got):\n%s", d)
	}

	noErr(t, "DeleteIdentityProvider", s.DeleteIdentityProvider(ctx, a.ID, p.Name))
	_, err = s.GetIdentityProvider(ctx, a.ID, p.Name)
	wantErr(t, "GetIdentityProvider after delete", err, store.ErrNotFound)
	wantErr(t, "DeleteIdentityProvider(again)", s.DeleteIdentityProvider(ctx, a.ID, p.Name), store.ErrNotFound)
	// Its identifiers are free again.
	noErr(t, "CreateIdentityProvider(identifiers reused)", s.CreateIdentityProvider(ctx, newIDP(a.ID, "Reuse", "example.org", "new.example")))
	_, err = s.GetIdentityProvider(ctx, b.ID, "Corp")
	noErr(t, "GetIdentityProvider(other pool's survives)", err)

	noErr(t, "DeletePool", s.DeletePool(ctx, a.ID))
	_, err = s.GetIdentityProviderByIdentifier(ctx, a.ID, "example.org")
	wantErr(t, "GetIdentityProviderByIdentifier after pool delete", err, store.ErrNotFound)
}

func testSAMLSigningKey(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	b := mustPool(t, s, "pool-b")
	_, err := s.GetSAMLSigningKey(ctx, a.ID)
	wantErr(t, "GetSAMLSigningKey(none)", err, store.ErrNotFound)

	first := store.SAMLSigningKey{PoolID: a.ID, Sealed: []byte("sealed-1"), Certificate: []byte("cert-1"), CreatedAt: t0}
	got, err := s.AddSAMLSigningKey(ctx, first)
	noErr(t, "AddSAMLSigningKey", err)
	if d := diff(first, got); d != "" {
		t.Errorf("AddSAMLSigningKey (-want +got):\n%s", d)
	}
	// A second key does not replace the first: its caller gets the first.
	second := store.SAMLSigningKey{PoolID: a.ID, Sealed: []byte("sealed-2"), Certificate: []byte("cert-2"), CreatedAt: t0.Add(time.Hour)}
	got, err = s.AddSAMLSigningKey(ctx, second)
	noErr(t, "AddSAMLSigningKey(again)", err)
	if d := diff(first, got); d != "" {
		t.Errorf("AddSAMLSigningKey(again) (-want +got):\n%s", d)
	}
	got, err = s.GetSAMLSigningKey(ctx, a.ID)
	noErr(t, "GetSAMLSigningKey", err)
	if d := diff(first, got); d != "" {
		t.Errorf("GetSAMLSigningKey (-want +got):\n%s", d)
	}
	_, err = s.GetSAMLSigningKey(ctx, b.ID)
	wantErr(t, "GetSAMLSigningKey(other pool)", err, store.ErrNotFound)
	_, err = s.AddSAMLSigningKey(ctx, store.SAMLSigningKey{PoolID: "pool-missing", Sealed: []byte("x"), Certificate: []byte("y"), CreatedAt: t0})
	wantErr(t, "AddSAMLSigningKey(missing pool)", err, store.ErrNotFound)

	noErr(t, "DeletePool", s.DeletePool(ctx, a.ID))
	_, err = s.GetSAMLSigningKey(ctx, a.ID)
	wantErr(t, "GetSAMLSigningKey after pool delete", err, store.ErrNotFound)
}
