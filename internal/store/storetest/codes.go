package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/store"
)

func newCode(poolID, sub, purpose string) store.Code {
	return store.Code{
		PoolID:     poolID,
		Sub:        sub,
		Purpose:    purpose,
		Hash:       []byte("hash:" + purpose + "\x00\xff"),
		Attribute:  "email",
		Value:      "new@example.com",
		CreatedAt:  t0,
		ExpiresAt:  t0.Add(24 * time.Hour),
		Attempts:   0,
		Sends:      1,
		SendsSince: t0,
	}
}

// testCodes covers the one-time codes: create-or-replace by (pool, sub,
// purpose), reads, attempt counting, single use by deletion, the cascade
// from the user and the pool, and the races of codesConcurrent.
func testCodes(t *testing.T, s store.Store) {
	t.Run("Concurrent", func(t *testing.T) { codesConcurrent(t, s) })
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	b := mustPool(t, s, "pool-b")
	alice := mustUser(t, s, newUser(a.ID, "alice"))
	bob := mustUser(t, s, newUser(a.ID, "bob"))
	// The same sub in another pool is another user.
	other := newUser(b.ID, "alice")
	other.Sub = alice.Sub
	mustUser(t, s, other)

	get := func(poolID, sub, purpose string) store.Code {
		t.Helper()
		c, err := s.GetCode(ctx, poolID, sub, purpose)
		if err != nil {
			t.Fatalf("GetCode(%s, %s, %s): %v", poolID, sub, purpose, err)
		}
		return c
	}

	signup := newCode(a.ID, alice.Sub, "signup")
	reset := newCode(a.ID, alice.Sub, "reset")
	reset.Attribute, reset.Value = "", ""
	reset.ExpiresAt = t0.Add(time.Hour)
	noErr(t, "PutCode(signup)", s.PutCode(ctx, signup))
	noErr(t, "PutCode(reset)", s.PutCode(ctx, reset))
	noErr(t, "PutCode(bob)", s.PutCode(ctx, newCode(a.ID, bob.Sub, "signup")))
	noErr(t, "PutCode(other pool)", s.PutCode(ctx, newCode(b.ID, alice.Sub, "signup")))
	if d := diff(signup, get(a.ID, alice.Sub, "signup")); d != "" {
		t.Errorf("GetCode(signup) (-want +got):\n%s", d)
	}
	if d := diff(reset, get(a.ID, alice.Sub, "reset")); d != "" {
		t.Errorf("GetCode(reset) (-want +got):\n%s", d)
	}

	_, err := s.GetCode(ctx, a.ID, alice.Sub, "verify_email")
	wantErr(t, "GetCode(other purpose)", err, store.ErrNotFound)
	_, err = s.GetCode(ctx, a.ID, "sub-missing", "signup")
	wantErr(t, "GetCode(missing user)", err, store.ErrNotFound)
	wantErr(t, "PutCode(missing user)", s.PutCode(ctx, newCode(a.ID, "sub-missing", "signup")), store.ErrNotFound)
	wantErr(t, "PutCode(missing pool)", s.PutCode(ctx, newCode("pool-missing", alice.Sub, "signup")), store.ErrNotFound)

	// Attempts count one at a time, per code.
	for want := 1; want <= 3; want++ {
		n, err := s.AddCodeAttempt(ctx, a.ID, alice.Sub, "signup")
		if err != nil || n != want {
			t.Fatalf("AddCodeAttempt #%d = %d, %v", want, n, err)
		}
	}
	if got := get(a.ID, alice.Sub, "signup").Attempts; got != 3 {
		t.Errorf("Attempts after three = %d", got)
	}
	if got := get(a.ID, alice.Sub, "reset").Attempts; got != 0 {
		t.Errorf("Attempts of another purpose = %d", got)
	}
	if got := get(b.ID, alice.Sub, "signup").Attempts; got != 0 {
		t.Errorf("Attempts of the same sub in another pool = %d", got)
	}
	_, err = s.AddCodeAttempt(ctx, a.ID, alice.Sub, "verify_email")
	wantErr(t, "AddCodeAttempt(missing)", err, store.ErrNotFound)

	// A replacing PutCode writes every field, attempts included.
	replaced := newCode(a.ID, alice.Sub, "signup")
	replaced.Hash = []byte("another hash")
	replaced.Attribute, replaced.Value, replaced.Pending = "phone_number", "+15555550100", true
	replaced.CreatedAt = t0.Add(time.Minute)
	replaced.ExpiresAt = t0.Add(25 * time.Hour)
	replaced.Sends, replaced.SendsSince = 2, t0.Add(-time.Minute)
	noErr(t, "PutCode(replace)", s.PutCode(ctx, replaced))
	if d := diff(replaced, get(a.ID, alice.Sub, "signup")); d != "" {
		t.Errorf("GetCode after replace (-want +got):\n%s", d)
	}

	// Deleting uses the code up: a second delete finds nothing.
	noErr(t, "DeleteCode", s.DeleteCode(ctx, a.ID, alice.Sub, "signup"))
	wantErr(t, "DeleteCode(again)", s.DeleteCode(ctx, a.ID, alice.Sub, "signup"), store.ErrNotFound)
	_, err = s.GetCode(ctx, a.ID, alice.Sub, "signup")
	wantErr(t, "GetCode(deleted)", err, store.ErrNotFound)
	get(a.ID, alice.Sub, "reset")
	get(b.ID, alice.Sub, "signup")

	// Codes go with their user, and with their pool.
	noErr(t, "DeleteUser", s.DeleteUser(ctx, a.ID, alice.Sub))
	_, err = s.GetCode(ctx, a.ID, alice.Sub, "reset")
	wantErr(t, "GetCode(deleted user)", err, store.ErrNotFound)
	noErr(t, "DeletePool", s.DeletePool(ctx, b.ID))
	_, err = s.GetCode(ctx, b.ID, alice.Sub, "signup")
	wantErr(t, "GetCode(deleted pool)", err, store.ErrNotFound)
	get(a.ID, bob.Sub, "signup")

	// A code written in a transaction that fails is not there.
	err = s.InTx(ctx, func(tx store.Store) error {
		if err := tx.PutCode(ctx, newCode(a.ID, bob.Sub, "reset")); err != nil {
			return err
		}
		return errBoom
	})
	wantErr(t, "InTx(abort)", err, errBoom)
	_, err = s.GetCode(ctx, a.ID, bob.Sub, "reset")
	wantErr(t, "GetCode(rolled back)", err, store.ErrNotFound)
}

// codesConcurrent checks the two races codes must win: concurrent wrong
// guesses each count, and of concurrent uses exactly one succeeds. It
// works in a pool of its own.
func codesConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustPool(t, s, "pool-concurrent")
	u := mustUser(t, s, newUser(p.ID, "alice"))
	noErr(t, "PutCode", s.PutCode(ctx, newCode(p.ID, u.Sub, "signup")))

	const n = 16
	var wg sync.WaitGroup
	counts := make(chan int, n)
	for range n {
		wg.Go(func() {
			c, err := s.AddCodeAttempt(ctx, p.ID, u.Sub, "signup")
			if err != nil {
				t.Errorf("AddCodeAttempt: %v", err)
				return
			}
			counts <- c
		})
	}
	wg.Wait()
	close(counts)
	seen := map[int]bool{}
	for c := range counts {
		if seen[c] {
			t.Errorf("two attempts were both counted as #%d", c)
		}
		seen[c] = true
	}
	if c, err := s.GetCode(ctx, p.ID, u.Sub, "signup"); err != nil || c.Attempts != n {
		t.Errorf("Attempts after %d concurrent = %d, %v", n, c.Attempts, err)
	}

	wins := make(chan error, n)
	for range n {
		wg.Go(func() { wins <- s.DeleteCode(ctx, p.ID, u.Sub, "signup") })
	}
	wg.Wait()
	close(wins)
	ok := 0
	for err := range wins {
		switch {
		case err == nil:
			ok++
		case !errorsIsNotFound(err):
			t.Errorf("DeleteCode: %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d of %d concurrent DeleteCode succeeded, want exactly 1", ok, n)
	}
}
