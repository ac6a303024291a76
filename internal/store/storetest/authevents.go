package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/store"
)

// testAuthEvents checks a user's authentication events: put creates and
// replaces by id (only the same user's), get and update find them through
// their user, the listing pages newest first with ties broken by id, and
// they go with their user.
func testAuthEvents(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustPool(t, s, "pool-a")
	alice := mustUser(t, s, newUser(p.ID, "alice"))
	bob := mustUser(t, s, newUser(p.ID, "bob"))

	ev := store.AuthEvent{PoolID: p.ID, Sub: alice.Sub, ID: "ev-1", Type: "SignIn", Response: "InProgress", CreatedAt: t0, Detail: []byte(`{"c":1}`)}
	noErr(t, "PutAuthEvent", s.PutAuthEvent(ctx, ev))
	got, err := s.GetAuthEvent(ctx, p.ID, alice.Sub, "ev-1")
	noErr(t, "GetAuthEvent", err)
	if d := diff(ev, got); d != "" {
		t.Errorf("GetAuthEvent (-want +got):\n%s", d)
	}
	ev.Response, ev.Detail = "Pass", []byte(`{"c":2}`)
	noErr(t, "PutAuthEvent(replace)", s.PutAuthEvent(ctx, ev))
	got, err = s.GetAuthEvent(ctx, p.ID, alice.Sub, "ev-1")
	noErr(t, "GetAuthEvent(replaced)", err)
	if d := diff(ev, got); d != "" {
		t.Errorf("GetAuthEvent after replace (-want +got):\n%s", d)
	}
	_, err = s.GetAuthEvent(ctx, p.ID, bob.Sub, "ev-1")
	wantErr(t, "GetAuthEvent(another user's)", err, store.ErrNotFound)
	theft := ev
	theft.Sub, theft.Response = bob.Sub, "Fail"
	wantErr(t, "PutAuthEvent(another user's id)", s.PutAuthEvent(ctx, theft), store.ErrNotFound)
	got, _ = s.GetAuthEvent(ctx, p.ID, alice.Sub, "ev-1")
	if got.Response != "Pass" {
		t.Errorf("another user's put changed the event: %+v", got)
	}
	wantErr(t, "PutAuthEvent(missing user)", s.PutAuthEvent(ctx, store.AuthEvent{PoolID: p.ID, Sub: "sub-missing", ID: "ev-x", Type: "SignIn", Response: "Pass", CreatedAt: t0}), store.ErrNotFound)

	up, err := s.UpdateAuthEvent(ctx, p.ID, alice.Sub, "ev-1", func(e *store.AuthEvent) error {
		e.Detail = []byte(`{"feedback":"Valid"}`)
		return nil
	})
	noErr(t, "UpdateAuthEvent", err)
	ev.Detail = []byte(`{"feedback":"Valid"}`)
	if d := diff(ev, up); d != "" {
		t.Errorf("UpdateAuthEvent (-want +got):\n%s", d)
	}
	_, err = s.UpdateAuthEvent(ctx, p.ID, bob.Sub, "ev-1", func(*store.AuthEvent) error { return nil })
	wantErr(t, "UpdateAuthEvent(another user's)", err, store.ErrNotFound)
	_, err = s.UpdateAuthEvent(ctx, p.ID, alice.Sub, "ev-1", func(*store.AuthEvent) error { return errBoom })
	wantErr(t, "UpdateAuthEvent(aborted)", err, errBoom)

	// Seven more events of alice: two share a time, so the id breaks the
	// tie; one of bob's, which her listing never shows.
	for i := 2; i <= 8; i++ {
		at := t0.Add(time.Duration(i) * time.Minute)
		if i == 8 {
			at = t0.Add(7 * time.Minute)
		}
		noErr(t, "PutAuthEvent", s.PutAuthEvent(ctx, store.AuthEvent{PoolID: p.ID, Sub: alice.Sub, ID: fmt.Sprintf("ev-%d", i), Type: "SignIn", Response: "Pass", CreatedAt: at}))
	}
	noErr(t, "PutAuthEvent(bob)", s.PutAuthEvent(ctx, store.AuthEvent{PoolID: p.ID, Sub: bob.Sub, ID: "ev-bob", Type: "SignIn", Response: "Fail", CreatedAt: t0.Add(time.Hour)}))
	var ids []string
	page := store.Page{Limit: 3}
	for pages := 0; ; pages++ {
		evs, next, err := s.ListAuthEvents(ctx, p.ID, alice.Sub, page)
		noErr(t, "ListAuthEvents", err)
		for _, e := range evs {
			ids = append(ids, e.ID)
		}
		if next == "" {
			break
		}
		if pages > 5 {
			t.Fatal("ListAuthEvents never ends")
		}
		page.After = next
	}
	want := []string{"ev-8", "ev-7", "ev-6", "ev-5", "ev-4", "ev-3", "ev-2", "ev-1"}
	if d := diff(want, ids); d != "" {
		t.Errorf("ListAuthEvents ids (-want +got):\n%s", d)
	}

	// The collection: by age, then by count per user.
	n, err := s.DeleteOldAuthEvents(ctx, t0.Add(2*time.Minute), 0)
	noErr(t, "DeleteOldAuthEvents(age)", err)
	if n != 1 {
		t.Errorf("DeleteOldAuthEvents(age) = %d, want 1 (ev-1; created exactly at `before` stays)", n)
	}
	n, err = s.DeleteOldAuthEvents(ctx, t0, 3)
	noErr(t, "DeleteOldAuthEvents(count)", err)
	if n != 4 {
		t.Errorf("DeleteOldAuthEvents(keep 3) = %d, want 4", n)
	}
	evs, _, err := s.ListAuthEvents(ctx, p.ID, alice.Sub, store.Page{})
	noErr(t, "ListAuthEvents(after collection)", err)
	ids = ids[:0]
	for _, e := range evs {
		ids = append(ids, e.ID)
	}
	if d := diff([]string{"ev-8", "ev-7", "ev-6"}, ids); d != "" {
		t.Errorf("events kept (-want +got):\n%s", d)
	}
	if _, err := s.GetAuthEvent(ctx, p.ID, bob.Sub, "ev-bob"); err != nil {
		t.Errorf("bob's only event was collected with alice's: %v", err)
	}

	noErr(t, "DeleteUser(alice)", s.DeleteUser(ctx, p.ID, alice.Sub))
	evs, _, err = s.ListAuthEvents(ctx, p.ID, alice.Sub, store.Page{})
	noErr(t, "ListAuthEvents(deleted user)", err)
	if len(evs) != 0 {
		t.Errorf("a deleted user's events remain: %d", len(evs))
	}
}
