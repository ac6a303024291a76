package storetest

import (
	"testing"
	"time"

	"github.com/userpool/userpool/internal/store"
)

// testClientSecrets checks a client's two secrets for rotation: both round
// trip with their creation times, the second can be added and removed, and
// a secret from before rotation reads with no creation time of its own.
func testClientSecrets(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustPool(t, s, "pool-a")

	old := newClient(p.ID, "legacy")
	old.SecretHash, old.SecretSealed = []byte{1}, []byte("sealed-1")
	noErr(t, "CreateClient(legacy)", s.CreateClient(ctx, old))
	got, err := s.GetClient(ctx, old.ID)
	noErr(t, "GetClient(legacy)", err)
	if !got.SecretCreatedAt.IsZero() || got.Secret2 != nil {
		t.Errorf("legacy client: SecretCreatedAt %v, Secret2 %+v; want zero and nil", got.SecretCreatedAt, got.Secret2)
	}

	c := newClient(p.ID, "rotating")
	c.SecretHash, c.SecretSealed, c.SecretCreatedAt = []byte{2}, []byte("sealed-2"), t0.Add(time.Second)
	c.Secret2 = &store.ClientSecret{Hash: []byte{3, 0, 0xff}, Sealed: []byte("sealed\x003"), CreatedAt: t0.Add(time.Hour)}
	noErr(t, "CreateClient(two secrets)", s.CreateClient(ctx, c))
	got, err = s.GetClient(ctx, c.ID)
	noErr(t, "GetClient(two secrets)", err)
	if d := diff(c, got); d != "" {
		t.Errorf("GetClient(two secrets) (-want +got):\n%s", d)
	}

	// Deleting the first secret promotes the second to its columns.
	want := c
	want.SecretHash, want.SecretSealed, want.SecretCreatedAt = c.Secret2.Hash, c.Secret2.Sealed, c.Secret2.CreatedAt
	want.Secret2 = nil
	updated, err := s.UpdateClient(ctx, c.ID, func(rec *store.Client) error {
		rec.SecretHash, rec.SecretSealed, rec.SecretCreatedAt = rec.Secret2.Hash, rec.Secret2.Sealed, rec.Secret2.CreatedAt
		rec.Secret2 = nil
		return nil
	})
	noErr(t, "UpdateClient(promote)", err)
	if d := diff(want, updated); d != "" {
		t.Errorf("UpdateClient(promote) (-want +got):\n%s", d)
	}
	got, err = s.GetClient(ctx, c.ID)
	noErr(t, "GetClient(after promote)", err)
	if d := diff(want, got); d != "" {
		t.Errorf("GetClient(after promote) (-want +got):\n%s", d)
	}

	// A second secret added later is read back.
	want.Secret2 = &store.ClientSecret{Hash: []byte{4}, Sealed: []byte("sealed-4"), CreatedAt: t0.Add(2 * time.Hour)}
	_, err = s.UpdateClient(ctx, c.ID, func(rec *store.Client) error { rec.Secret2 = want.Secret2; return nil })
	noErr(t, "UpdateClient(add)", err)
	got, err = s.GetClient(ctx, c.ID)
	noErr(t, "GetClient(after add)", err)
	if d := diff(want, got); d != "" {
		t.Errorf("GetClient(after add) (-want +got):\n%s", d)
	}
}
