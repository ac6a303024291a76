package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/store"
)

// testAuthCodes runs the authorization-code cases one after another on
// one store, each in pools of its own.
func testAuthCodes(t *testing.T, s store.Store) {
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, s store.Store, pfx string)
	}{
		{"RoundTrip", testAuthCodeRoundTrip},
		{"SingleUseRace", testAuthCodeSingleUseRace},
		{"Expiry", testAuthCodeExpiry},
		{"Cascade", testAuthCodeCascade},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, s, tc.name+"-") })
	}
}

// newAuthCode returns a code of the user issued at t0 and valid five
// minutes, with every field set.
func newAuthCode(u store.User, id string) store.AuthCode {
	return store.AuthCode{
		ID:                  id,
		PoolID:              u.PoolID,
		ClientID:            "client-" + u.PoolID,
		Sub:                 u.Sub,
		RedirectURI:         "https://app.example.com/callback?x=1",
		Scopes:              []string{"openid", "email", "https://api.example.com/read"},
		Nonce:               "n-0S6_WzA2Mj",
		CodeChallenge:       "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
		CodeChallengeMethod: "S256",
		AuthTime:            t0.Add(-time.Second),
		CreatedAt:           t0,
		ExpiresAt:           t0.Add(5 * time.Minute),
	}
}

func mustAuthCode(t *testing.T, s store.Store, c store.AuthCode) {
	t.Helper()
	if err := s.CreateAuthCode(t.Context(), c); err != nil {
		t.Fatalf("CreateAuthCode(%q): %v", c.ID, err)
	}
}

// wantNoAuthCode consumes id expecting nothing: note that it would use
// the code up if it were there.
func wantNoAuthCode(t *testing.T, s store.Store, what, id string) {
	t.Helper()
	_, err := s.ConsumeAuthCode(t.Context(), id, t0)
	wantErr(t, what+": ConsumeAuthCode("+id+")", err, store.ErrNotFound)
}

func testAuthCodeRoundTrip(t *testing.T, s store.Store, pfx string) {
	ctx := t.Context()
	a := mustPool(t, s, pfx+"pool-a")
	alice := mustUser(t, s, newUser(a.ID, "alice"))

	full := newAuthCode(alice, "code-full")
	mustAuthCode(t, s, full)
	// A code without PKCE, nonce or scopes, with times in another zone.
	zone := time.FixedZone("NPT", 5*3600+45*60)
	bare := newAuthCode(alice, "code-bare")
	bare.Scopes, bare.Nonce, bare.CodeChallenge, bare.CodeChallengeMethod = nil, "", "", ""
	bare.AuthTime = time.Date(2025, 3, 14, 20, 0, 0, 123_456_789, zone)
	mustAuthCode(t, s, bare)

	got, err := s.ConsumeAuthCode(ctx, full.ID, t0)
	noErr(t, "ConsumeAuthCode(full)", err)
	if d := diff(full, got); d != "" {
		t.Errorf("full code (-want +got):\n%s", d)
	}
	got, err = s.ConsumeAuthCode(ctx, bare.ID, t0)
	noErr(t, "ConsumeAuthCode(bare)", err)
	if got.AuthTime.Location() != time.UTC || !got.AuthTime.Equal(bare.AuthTime.Truncate(time.Millisecond)) {
		t.Errorf("AuthTime = %v, want %v in UTC to the millisecond", got.AuthTime, bare.AuthTime.UTC())
	}
	bare.AuthTime = got.AuthTime
	if d := diff(bare, got); d != "" {
		t.Errorf("bare code (-want +got):\n%s", d)
	}

	// Single use.
	wantNoAuthCode(t, s, "second use", full.ID)
	wantNoAuthCode(t, s, "missing", "code-missing")

	// Rejected creates write nothing.
	x := newAuthCode(alice, "code-x")
	x.PoolID = "pool-missing"
	wantErr(t, "CreateAuthCode(missing pool)", s.CreateAuthCode(ctx, x), store.ErrNotFound)
	x = newAuthCode(alice, "code-x")
	x.Sub = "sub-missing"
	wantErr(t, "CreateAuthCode(missing user)", s.CreateAuthCode(ctx, x), store.ErrNotFound)
	wantNoAuthCode(t, s, "after rejected creates", "code-x")
	taken := newAuthCode(alice, "code-taken")
	mustAuthCode(t, s, taken)
	other := taken
	other.Nonce = "another"
	wantErr(t, "CreateAuthCode(taken id)", s.CreateAuthCode(ctx, other), store.ErrAlreadyExists)
	got, err = s.ConsumeAuthCode(ctx, taken.ID, t0)
	noErr(t, "ConsumeAuthCode(taken)", err)
	if d := diff(taken, got); d != "" {
		t.Errorf("code after a rejected duplicate (-want +got):\n%s", d)
	}

	// In a transaction that rolls back, a consumed code comes back.
	rolled := newAuthCode(alice, "code-rolled")
	mustAuthCode(t, s, rolled)
	err = s.InTx(ctx, func(tx store.Store) error {
		if _, err := tx.ConsumeAuthCode(ctx, rolled.ID, t0); err != nil {
			t.Errorf("ConsumeAuthCode in tx: %v", err)
		}
		_, err := tx.ConsumeAuthCode(ctx, rolled.ID, t0)
		wantErr(t, "ConsumeAuthCode in tx, again", err, store.ErrNotFound)
		return errBoom
	})
	wantErr(t, "InTx", err, errBoom)
	got, err = s.ConsumeAuthCode(ctx, rolled.ID, t0)
	noErr(t, "ConsumeAuthCode after rollback", err)
	if got.ID != rolled.ID {
		t.Errorf("after rollback got %q", got.ID)
	}
}

// testAuthCodeSingleUseRace consumes one code from many goroutines at
// once: exactly one may get it, or an intercepted code could be exchanged
// alongside the legitimate client. It repeats, so a backend that lets two
// through has several chances to show it.
func testAuthCodeSingleUseRace(t *testing.T, s store.Store, pfx string) {
	ctx := t.Context()
	p := mustPool(t, s, pfx+"pool-a")
	u := mustUser(t, s, newUser(p.ID, "alice"))
	const (
		rounds    = 5
		consumers = 10
	)
	for round := range rounds {
		c := newAuthCode(u, fmt.Sprintf("code-%d", round))
		mustAuthCode(t, s, c)
		var (
			wg      sync.WaitGroup
			start   = make(chan struct{})
			results [consumers]error
			got     [consumers]store.AuthCode
		)
		for i := range consumers {
			wg.Go(func() {
				<-start
				got[i], results[i] = s.ConsumeAuthCode(ctx, c.ID, t0)
			})
		}
		close(start)
		wg.Wait()
		winner := -1
		for i, err := range results {
			switch {
			case err == nil && winner >= 0:
				t.Errorf("round %d: consumers %d and %d both got the code", round, winner, i)
			case err == nil:
				winner = i
			case !errors.Is(err, store.ErrNotFound):
				t.Errorf("round %d: consumer %d: err = %v, want nil or ErrNotFound", round, i, err)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: nobody got the code", round)
		}
		if d := diff(c, got[winner]); d != "" {
			t.Errorf("round %d: winner's code (-want +got):\n%s", round, d)
		}
	}
}

func testAuthCodeExpiry(t *testing.T, s store.Store, pfx string) {
	ctx := t.Context()
	p := mustPool(t, s, pfx+"pool-a")
	u := mustUser(t, s, newUser(p.ID, "alice"))

	// A code is valid strictly before ExpiresAt.
	last := newAuthCode(u, "code-last-moment")
	mustAuthCode(t, s, last)
	if _, err := s.ConsumeAuthCode(ctx, last.ID, last.ExpiresAt.Add(-time.Millisecond)); err != nil {
		t.Errorf("ConsumeAuthCode a millisecond before expiry: %v", err)
	}
	// At expiry it is not found, and it is gone: even a consumer with a
	// clock behind cannot have it afterwards.
	expired := newAuthCode(u, "code-expired")
	mustAuthCode(t, s, expired)
	_, err := s.ConsumeAuthCode(ctx, expired.ID, expired.ExpiresAt)
	wantErr(t, "ConsumeAuthCode at expiry", err, store.ErrNotFound)
	wantNoAuthCode(t, s, "expired code", expired.ID)

	// Garbage collection removes codes that expired before the time
	// given, and only those.
	var codes []store.AuthCode
	for i, exp := range []time.Duration{time.Minute, 2 * time.Minute, 3 * time.Minute, 10 * time.Minute} {
		c := newAuthCode(u, fmt.Sprintf("gc-%d", i))
		c.ExpiresAt = t0.Add(exp)
		mustAuthCode(t, s, c)
		codes = append(codes, c)
	}
	n, err := s.DeleteExpiredAuthCodes(ctx, t0.Add(2*time.Minute))
	noErr(t, "DeleteExpiredAuthCodes", err)
	if n != 1 {
		t.Errorf("DeleteExpiredAuthCodes = %d, want 1 (expiring exactly at `before` stays)", n)
	}
	n, err = s.DeleteExpiredAuthCodes(ctx, t0.Add(5*time.Minute))
	noErr(t, "DeleteExpiredAuthCodes(later)", err)
	if n != 2 {
		t.Errorf("DeleteExpiredAuthCodes(later) = %d, want 2", n)
	}
	for _, c := range codes[:3] {
		wantNoAuthCode(t, s, "after garbage collection", c.ID)
	}
	got, err := s.ConsumeAuthCode(ctx, codes[3].ID, t0)
	noErr(t, "ConsumeAuthCode(unexpired after garbage collection)", err)
	if d := diff(codes[3], got); d != "" {
		t.Errorf("unexpired code (-want +got):\n%s", d)
	}
}

func testAuthCodeCascade(t *testing.T, s store.Store, pfx string) {
	ctx := t.Context()
	a := mustPool(t, s, pfx+"pool-a")
	b := mustPool(t, s, pfx+"pool-b")
	alice := mustUser(t, s, newUser(a.ID, "alice"))
	bob := mustUser(t, s, newUser(a.ID, "bob"))
	carol := mustUser(t, s, newUser(b.ID, "carol"))

	mustAuthCode(t, s, newAuthCode(alice, "alice-1"))
	mustAuthCode(t, s, newAuthCode(alice, "alice-2"))
	mustAuthCode(t, s, newAuthCode(bob, "bob-1"))
	mustAuthCode(t, s, newAuthCode(bob, "bob-2"))
	mustAuthCode(t, s, newAuthCode(carol, "carol-1"))

	// Deleting a user deletes its codes, and only its own.
	noErr(t, "DeleteUser(alice)", s.DeleteUser(ctx, a.ID, alice.Sub))
	wantNoAuthCode(t, s, "after DeleteUser", "alice-1")
	wantNoAuthCode(t, s, "after DeleteUser", "alice-2")
	if _, err := s.ConsumeAuthCode(ctx, "bob-1", t0); err != nil {
		t.Errorf("bob's code after DeleteUser(alice): %v", err)
	}

	// Deleting a pool deletes every code in it, and only those.
	noErr(t, "DeletePool", s.DeletePool(ctx, a.ID))
	wantNoAuthCode(t, s, "after DeletePool", "bob-2")
	if _, err := s.ConsumeAuthCode(ctx, "carol-1", t0); err != nil {
		t.Errorf("other pool's code after DeletePool: %v", err)
	}
}
