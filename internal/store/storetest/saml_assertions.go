package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/store"
)

// testSAMLAssertions runs the used-assertion cases one after another on
// one store, each in pools of its own.
func testSAMLAssertions(t *testing.T, s store.Store) {
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, s store.Store, pfx string)
	}{
		{"Replay", testSAMLAssertionReplay},
		{"ConcurrentConsume", testSAMLAssertionConcurrentConsume},
		{"Expiry", testSAMLAssertionExpiry},
		{"Cascade", testSAMLAssertionCascade},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, s, tc.name+"-") })
	}
}

// newSAMLAssertion is an assertion of the pool's provider "Corp",
// acceptable for five minutes after t0.
func newSAMLAssertion(poolID, idHash string) store.SAMLAssertion {
	return store.SAMLAssertion{PoolID: poolID, Provider: "Corp", IDHash: idHash, ExpiresAt: t0.Add(5 * time.Minute)}
}

func mustConsumeSAML(t *testing.T, s store.Store, what string, a store.SAMLAssertion, now time.Time) {
	t.Helper()
	if err := s.ConsumeSAMLAssertion(t.Context(), a, now); err != nil {
		t.Errorf("%s: ConsumeSAMLAssertion(%s/%s/%s): %v", what, a.PoolID, a.Provider, a.IDHash, err)
	}
}

func wantSAMLReplay(t *testing.T, s store.Store, what string, a store.SAMLAssertion, now time.Time) {
	t.Helper()
	wantErr(t, what+": ConsumeSAMLAssertion("+a.IDHash+")", s.ConsumeSAMLAssertion(t.Context(), a, now), store.ErrAlreadyExists)
}

func testSAMLAssertionReplay(t *testing.T, s store.Store, pfx string) {
	ctx := t.Context()
	a := mustPool(t, s, pfx+"pool-a")
	b := mustPool(t, s, pfx+"pool-b")

	first := newSAMLAssertion(a.ID, "h-1")
	mustConsumeSAML(t, s, "first use", first, t0)
	wantSAMLReplay(t, s, "second use", first, t0)
	// A replay is refused whatever expiry it claims.
	longer := first
	longer.ExpiresAt = t0.Add(time.Hour)
	wantSAMLReplay(t, s, "second use with a later expiry", longer, t0.Add(time.Minute))

	// The same ID is another assertion at another provider or pool: IDs
	// are unique only among one issuer's.
	other := first
	other.Provider = "Partner"
	mustConsumeSAML(t, s, "same id, other provider", other, t0)
	other = first
	other.PoolID = b.ID
	mustConsumeSAML(t, s, "same id, other pool", other, t0)
	mustConsumeSAML(t, s, "other id", newSAMLAssertion(a.ID, "h-2"), t0)

	// A pool that does not exist.
	wantErr(t, "ConsumeSAMLAssertion(missing pool)",
		s.ConsumeSAMLAssertion(ctx, newSAMLAssertion(pfx+"pool-missing", "h-1"), t0), store.ErrNotFound)

	// In a transaction that rolls back, the use is undone.
	rolled := newSAMLAssertion(a.ID, "h-rolled")
	err := s.InTx(ctx, func(tx store.Store) error {
		if err := tx.ConsumeSAMLAssertion(ctx, rolled, t0); err != nil {
			t.Errorf("ConsumeSAMLAssertion in tx: %v", err)
		}
		wantErr(t, "ConsumeSAMLAssertion in tx, again", tx.ConsumeSAMLAssertion(ctx, rolled, t0), store.ErrAlreadyExists)
		return errBoom
	})
	wantErr(t, "InTx", err, errBoom)
	mustConsumeSAML(t, s, "after rollback", rolled, t0)
	wantSAMLReplay(t, s, "after rollback, again", rolled, t0)
}

// testSAMLAssertionConcurrentConsume has many consumers (nodes, behind a
// load balancer) present one assertion at once: exactly one may accept
// it. It repeats, so a backend that lets two through has several chances
// to show it.
func testSAMLAssertionConcurrentConsume(t *testing.T, s store.Store, pfx string) {
	ctx := t.Context()
	p := mustPool(t, s, pfx+"pool-a")
	const (
		rounds    = 5
		consumers = 10
	)
	for round := range rounds {
		a := newSAMLAssertion(p.ID, fmt.Sprintf("h-%d", round))
		// Odd rounds race to take over an expired record, which is an
		// update rather than an insert.
		now := t0
		if round%2 == 1 {
			old := a
			old.ExpiresAt = t0.Add(-time.Minute)
			mustConsumeSAML(t, s, "expired record", old, t0.Add(-2*time.Minute))
		}
		var (
			wg      sync.WaitGroup
			start   = make(chan struct{})
			results [consumers]error
		)
		for i := range consumers {
			wg.Go(func() {
				<-start
				results[i] = s.ConsumeSAMLAssertion(ctx, a, now)
			})
		}
		close(start)
		wg.Wait()
		winners := 0
		for i, err := range results {
			switch {
			case err == nil:
				winners++
			case !errors.Is(err, store.ErrAlreadyExists):
				t.Errorf("round %d: consumer %d: err = %v, want nil or ErrAlreadyExists", round, i, err)
			}
		}
		if winners != 1 {
			t.Errorf("round %d: %d consumers accepted the assertion, want exactly 1", round, winners)
		}
	}
}

func testSAMLAssertionExpiry(t *testing.T, s store.Store, pfx string) {
	ctx := t.Context()
	p := mustPool(t, s, pfx+"pool-a")

	// A record holds strictly before its expiry; at it, the assertion can
	// no longer be accepted by anyone, so the record may be taken over,
	// and then holds until its new expiry.
	a := newSAMLAssertion(p.ID, "h-takeover")
	mustConsumeSAML(t, s, "first use", a, t0)
	wantSAMLReplay(t, s, "a millisecond before expiry", a, a.ExpiresAt.Add(-time.Millisecond))
	again := a
	again.ExpiresAt = a.ExpiresAt.Add(5 * time.Minute)
	mustConsumeSAML(t, s, "at expiry", again, a.ExpiresAt)
	wantSAMLReplay(t, s, "after the takeover", again, a.ExpiresAt.Add(time.Minute))

	// Garbage collection removes records that expired before the time
	// given, and only those.
	var used []store.SAMLAssertion
	for i, exp := range []time.Duration{time.Minute, 2 * time.Minute, 3 * time.Minute, 10 * time.Minute} {
		u := newSAMLAssertion(p.ID, fmt.Sprintf("gc-%d", i))
		u.ExpiresAt = t0.Add(exp)
		mustConsumeSAML(t, s, "gc set-up", u, t0)
		used = append(used, u)
	}
	n, err := s.DeleteExpiredSAMLAssertions(ctx, t0.Add(2*time.Minute))
	noErr(t, "DeleteExpiredSAMLAssertions", err)
	if n != 1 {
		t.Errorf("DeleteExpiredSAMLAssertions = %d, want 1 (expiring exactly at `before` stays)", n)
	}
	n, err = s.DeleteExpiredSAMLAssertions(ctx, t0.Add(5*time.Minute))
	noErr(t, "DeleteExpiredSAMLAssertions(later)", err)
	if n != 2 {
		t.Errorf("DeleteExpiredSAMLAssertions(later) = %d, want 2", n)
	}
	// The collected records are gone: consuming them now (with a clock
	// behind their expiry, which would refuse a kept record) succeeds.
	for _, u := range used[:3] {
		mustConsumeSAML(t, s, "after garbage collection", u, t0)
	}
	wantSAMLReplay(t, s, "unexpired after garbage collection", used[3], t0)
	wantSAMLReplay(t, s, "taken-over record after garbage collection", again, t0)
}

func testSAMLAssertionCascade(t *testing.T, s store.Store, pfx string) {
	ctx := t.Context()
	a := mustPool(t, s, pfx+"pool-a")
	b := mustPool(t, s, pfx+"pool-b")
	mustConsumeSAML(t, s, "pool a", newSAMLAssertion(a.ID, "h-1"), t0)
	mustConsumeSAML(t, s, "pool b", newSAMLAssertion(b.ID, "h-1"), t0)

	// Deleting a pool deletes its records, and only those.
	noErr(t, "DeletePool", s.DeletePool(ctx, a.ID))
	mustPool(t, s, a.ID)
	mustConsumeSAML(t, s, "pool made again", newSAMLAssertion(a.ID, "h-1"), t0)
	wantSAMLReplay(t, s, "other pool after DeletePool", newSAMLAssertion(b.ID, "h-1"), t0)
}
