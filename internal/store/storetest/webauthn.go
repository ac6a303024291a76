package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/store"
)

// testWebAuthn covers the WebAuthnCredentials store: round trips,
// ownership, uniqueness within a pool, the locked update of the sign
// counter, listings, and the cascades from users and pools.
func testWebAuthn(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustPool(t, s, "pool-wa")
	q := mustPool(t, s, "pool-wa-2")
	alice := mustUser(t, s, newUser(p.ID, "alice"))
	bob := mustUser(t, s, newUser(p.ID, "bob"))
	carol := mustUser(t, s, newUser(q.ID, "carol"))
	cred := func(u store.User, id string) store.WebAuthnCredential {
		return store.WebAuthnCredential{
			PoolID: u.PoolID, Sub: u.Sub, ID: id, RelyingPartyID: "localhost", FriendlyName: "Passkey of " + u.Username + " 🔑",
			Attachment: "platform", Transports: []string{"internal", "hybrid"}, Data: []byte(`{"id":"` + id + `"}`),
			CreatedAt: t0, UpdatedAt: t0,
		}
	}
	a1 := cred(alice, "AAAA-1")
	noErr(t, "CreateWebAuthnCredential", s.CreateWebAuthnCredential(ctx, a1))
	got, err := s.GetWebAuthnCredential(ctx, p.ID, alice.Sub, a1.ID)
	noErr(t, "GetWebAuthnCredential", err)
	if d := cmp.Diff(a1, got); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
	// No transports round-trips as none.
	a2 := cred(alice, "AAAA-2")
	a2.Transports, a2.Attachment = nil, ""
	noErr(t, "CreateWebAuthnCredential(a2)", s.CreateWebAuthnCredential(ctx, a2))

	// The id is the pool's: taken for bob too, free in another pool.
	wantErr(t, "same id in the pool", s.CreateWebAuthnCredential(ctx, cred(bob, a1.ID)), store.ErrAlreadyExists)
	noErr(t, "same id in another pool", s.CreateWebAuthnCredential(ctx, cred(carol, a1.ID)))
	wantErr(t, "a missing user", s.CreateWebAuthnCredential(ctx, cred(store.User{PoolID: p.ID, Sub: "nobody"}, "X")), store.ErrNotFound)
	// Found only through its owner.
	_, err = s.GetWebAuthnCredential(ctx, p.ID, bob.Sub, a1.ID)
	wantErr(t, "another user's passkey", err, store.ErrNotFound)
	wantErr(t, "delete another user's passkey", s.DeleteWebAuthnCredential(ctx, p.ID, bob.Sub, a1.ID), store.ErrNotFound)

	later := t0.Add(time.Minute)
	upd, err := s.UpdateWebAuthnCredential(ctx, p.ID, alice.Sub, a1.ID, func(c *store.WebAuthnCredential) error {
		c.Data, c.UpdatedAt = []byte(`{"signCount":2}`), later
		return nil
	})
	noErr(t, "UpdateWebAuthnCredential", err)
	if got, _ := s.GetWebAuthnCredential(ctx, p.ID, alice.Sub, a1.ID); string(got.Data) != `{"signCount":2}` || !got.UpdatedAt.Equal(later) || string(upd.Data) != string(got.Data) {
		t.Errorf("after update: %+v", got)
	}
	_, err = s.UpdateWebAuthnCredential(ctx, p.ID, alice.Sub, a1.ID, func(c *store.WebAuthnCredential) error { c.ID = "other"; return nil })
	if err == nil {
		t.Error("UpdateWebAuthnCredential let the id change")
	}
	_, err = s.UpdateWebAuthnCredential(ctx, p.ID, alice.Sub, a1.ID, func(*store.WebAuthnCredential) error { return errBoom })
	wantErr(t, "update aborted", err, errBoom)

	list, next, err := s.ListWebAuthnCredentials(ctx, p.ID, alice.Sub, store.Page{Limit: 1})
	noErr(t, "ListWebAuthnCredentials", err)
	if len(list) != 1 || list[0].ID != a1.ID || next == "" {
		t.Fatalf("first page = %v, next %q", list, next)
	}
	list, next, err = s.ListWebAuthnCredentials(ctx, p.ID, alice.Sub, store.Page{Limit: 1, After: next})
	noErr(t, "ListWebAuthnCredentials(2)", err)
	if len(list) != 1 || list[0].ID != a2.ID || list[0].Transports != nil || next != "" {
		t.Fatalf("second page = %+v, next %q", list, next)
	}

	noErr(t, "DeleteWebAuthnCredential", s.DeleteWebAuthnCredential(ctx, p.ID, alice.Sub, a2.ID))
	_, err = s.GetWebAuthnCredential(ctx, p.ID, alice.Sub, a2.ID)
	wantErr(t, "a deleted passkey", err, store.ErrNotFound)

	// They go with their user, and with their pool.
	noErr(t, "DeleteUser", s.DeleteUser(ctx, p.ID, alice.Sub))
	_, err = s.GetWebAuthnCredential(ctx, p.ID, alice.Sub, a1.ID)
	wantErr(t, "passkey of a deleted user", err, store.ErrNotFound)
	noErr(t, "the id is free again", s.CreateWebAuthnCredential(ctx, cred(bob, a1.ID)))
	noErr(t, "DeletePool", s.DeletePool(ctx, q.ID))
	_, err = s.GetWebAuthnCredential(ctx, q.ID, carol.Sub, a1.ID)
	wantErr(t, "passkey of a deleted pool", err, store.ErrNotFound)
}
