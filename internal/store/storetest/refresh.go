package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/store"
)

// newFamily returns a sign-in of the user that lasts an hour from t0, and
// its first token.
func newFamily(u store.User, id string) (store.RefreshFamily, store.RefreshToken) {
	f := store.RefreshFamily{
		ID:        id,
		PoolID:    u.PoolID,
		ClientID:  "client-" + u.PoolID,
		Sub:       u.Sub,
		AuthTime:  t0.Add(-time.Second),
		Scopes:    []string{"openid", "email", "https://api.example.com/read"},
		DeviceKey: "us-east-1_" + id,
		CreatedAt: t0,
		ExpiresAt: t0.Add(time.Hour),
	}
	return f, newToken(f.ID, id+"-t0", t0, f.ExpiresAt)
}

func newToken(familyID, id string, created, expires time.Time) store.RefreshToken {
	return store.RefreshToken{
		ID:         id,
		FamilyID:   familyID,
		SecretHash: []byte("sha256:" + id + "\x00\xff"),
		CreatedAt:  created,
		ExpiresAt:  expires,
	}
}

func mustFamily(t *testing.T, s store.Store, f store.RefreshFamily, first store.RefreshToken) {
	t.Helper()
	if err := s.CreateRefreshFamily(t.Context(), f, first); err != nil {
		t.Fatalf("CreateRefreshFamily(%q): %v", f.ID, err)
	}
}

// wantToken checks that GetRefreshToken returns exactly tok and fam.
func wantToken(t *testing.T, s store.Store, what string, tok store.RefreshToken, fam store.RefreshFamily) {
	t.Helper()
	gotT, gotF, err := s.GetRefreshToken(t.Context(), tok.ID)
	if err != nil {
		t.Errorf("%s: GetRefreshToken(%q): %v", what, tok.ID, err)
		return
	}
	if d := diff(tok, gotT); d != "" {
		t.Errorf("%s: token (-want +got):\n%s", what, d)
	}
	if d := diff(fam, gotF); d != "" {
		t.Errorf("%s: family (-want +got):\n%s", what, d)
	}
}

func wantFamily(t *testing.T, s store.Store, what string, fam store.RefreshFamily) {
	t.Helper()
	got, err := s.GetRefreshFamily(t.Context(), fam.ID)
	if err != nil {
		t.Errorf("%s: GetRefreshFamily(%q): %v", what, fam.ID, err)
		return
	}
	if d := diff(fam, got); d != "" {
		t.Errorf("%s: family (-want +got):\n%s", what, d)
	}
}

func wantNoToken(t *testing.T, s store.Store, what, id string) {
	t.Helper()
	_, _, err := s.GetRefreshToken(t.Context(), id)
	wantErr(t, what+": GetRefreshToken("+id+")", err, store.ErrNotFound)
}

func wantNoFamily(t *testing.T, s store.Store, what, id string) {
	t.Helper()
	_, err := s.GetRefreshFamily(t.Context(), id)
	wantErr(t, what+": GetRefreshFamily("+id+")", err, store.ErrNotFound)
}

func testRefreshFamilyLifecycle(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	b := mustPool(t, s, "pool-b")
	alice := mustUser(t, s, newUser(a.ID, "alice"))
	bob := mustUser(t, s, newUser(a.ID, "bob"))
	// The same sub in another pool is another user, with its own sign-ins.
	aliceB := newUser(b.ID, "alice")
	aliceB.Sub = alice.Sub
	mustUser(t, s, aliceB)

	f1, t1 := newFamily(alice, "fam-1")
	mustFamily(t, s, f1, t1)
	wantFamily(t, s, "after create", f1)
	wantToken(t, s, "after create", t1, f1)

	// A family without scopes or device, times in another zone.
	zone := time.FixedZone("NPT", 5*3600+45*60)
	f2, t2 := newFamily(alice, "fam-2")
	f2.Scopes, f2.DeviceKey = nil, ""
	f2.AuthTime = time.Date(2025, 3, 14, 20, 0, 0, 123_456_789, zone)
	mustFamily(t, s, f2, t2)
	got, err := s.GetRefreshFamily(ctx, f2.ID)
	noErr(t, "GetRefreshFamily(fam-2)", err)
	if got.AuthTime.Location() != time.UTC || !got.AuthTime.Equal(f2.AuthTime.Truncate(time.Millisecond)) {
		t.Errorf("AuthTime = %v, want %v in UTC to the millisecond", got.AuthTime, f2.AuthTime.UTC())
	}
	if len(got.Scopes) != 0 || got.DeviceKey != "" || !got.RevokedAt.IsZero() {
		t.Errorf("fam-2 = %+v, want no scopes, no device, not revoked", got)
	}

	f3, t3 := newFamily(alice, "fam-3")
	mustFamily(t, s, f3, t3)
	f4, t4 := newFamily(bob, "fam-4")
	mustFamily(t, s, f4, t4)
	f5, t5 := newFamily(aliceB, "fam-5")
	mustFamily(t, s, f5, t5)

	_, err = s.GetRefreshFamily(ctx, "fam-missing")
	wantErr(t, "GetRefreshFamily(missing)", err, store.ErrNotFound)
	wantNoToken(t, s, "missing", "tok-missing")

	// Rejected creates write nothing, neither family nor token.
	fx, tx := newFamily(alice, "fam-x")
	fx.PoolID = "pool-missing"
	wantErr(t, "CreateRefreshFamily(missing pool)", s.CreateRefreshFamily(ctx, fx, tx), store.ErrNotFound)
	fx, tx = newFamily(alice, "fam-x")
	fx.Sub = "sub-missing"
	wantErr(t, "CreateRefreshFamily(missing user)", s.CreateRefreshFamily(ctx, fx, tx), store.ErrNotFound)
	fx, tx = newFamily(bob, f1.ID)
	tx.ID = "tok-x"
	wantErr(t, "CreateRefreshFamily(taken family id)", s.CreateRefreshFamily(ctx, fx, tx), store.ErrAlreadyExists)
	wantNoToken(t, s, "after taken family id", "tok-x")
	fx, tx = newFamily(bob, "fam-x")
	tx.ID = t1.ID
	wantErr(t, "CreateRefreshFamily(taken token id)", s.CreateRefreshFamily(ctx, fx, tx), store.ErrAlreadyExists)
	wantNoFamily(t, s, "after taken token id", "fam-x")
	wantFamily(t, s, "fam-1 after rejected creates", f1)
	wantToken(t, s, "fam-1 after rejected creates", t1, f1)

	// Revocation keeps the first time.
	revoked := t0.Add(5 * time.Minute)
	noErr(t, "RevokeRefreshFamily", s.RevokeRefreshFamily(ctx, f1.ID, revoked))
	noErr(t, "RevokeRefreshFamily(again)", s.RevokeRefreshFamily(ctx, f1.ID, revoked.Add(time.Minute)))
	f1.RevokedAt = revoked
	wantFamily(t, s, "after revoke", f1)
	wantToken(t, s, "after revoke", t1, f1)
	wantErr(t, "RevokeRefreshFamily(missing)", s.RevokeRefreshFamily(ctx, "fam-missing", revoked), store.ErrNotFound)

	// Revoking a user's sign-ins counts the families it revoked: not the
	// one already revoked, not another user's, not another pool's.
	signOut := t0.Add(10 * time.Minute)
	n, err := s.RevokeUserRefreshFamilies(ctx, a.ID, alice.Sub, signOut)
	noErr(t, "RevokeUserRefreshFamilies", err)
	if n != 2 {
		t.Errorf("RevokeUserRefreshFamilies = %d, want 2", n)
	}
	f2got, err := s.GetRefreshFamily(ctx, f2.ID)
	noErr(t, "GetRefreshFamily(fam-2)", err)
	if !f2got.RevokedAt.Equal(signOut) {
		t.Errorf("fam-2 RevokedAt = %v, want %v", f2got.RevokedAt, signOut)
	}
	f3.RevokedAt = signOut
	wantFamily(t, s, "fam-3 after user revoke", f3)
	wantFamily(t, s, "fam-1 after user revoke", f1)
	wantFamily(t, s, "bob's family after user revoke", f4)
	wantFamily(t, s, "other pool's family after user revoke", f5)
	n, err = s.RevokeUserRefreshFamilies(ctx, a.ID, alice.Sub, signOut.Add(time.Minute))
	noErr(t, "RevokeUserRefreshFamilies(again)", err)
	if n != 0 {
		t.Errorf("RevokeUserRefreshFamilies(again) = %d, want 0", n)
	}
	wantFamily(t, s, "fam-3 after second user revoke", f3)
	n, err = s.RevokeUserRefreshFamilies(ctx, a.ID, "sub-missing", signOut)
	noErr(t, "RevokeUserRefreshFamilies(no families)", err)
	if n != 0 {
		t.Errorf("RevokeUserRefreshFamilies(no families) = %d, want 0", n)
	}

	// Deleting a user ends its sign-ins, and only its own.
	noErr(t, "DeleteUser(alice)", s.DeleteUser(ctx, a.ID, alice.Sub))
	for _, f := range []store.RefreshFamily{f1, f2, f3} {
		wantNoFamily(t, s, "after DeleteUser", f.ID)
	}
	for _, tok := range []store.RefreshToken{t1, t2, t3} {
		wantNoToken(t, s, "after DeleteUser", tok.ID)
	}
	wantToken(t, s, "bob's token after DeleteUser", t4, f4)
	wantToken(t, s, "other pool's token after DeleteUser", t5, f5)
	// The user's ids are free again.
	mustUser(t, s, alice)
	f1.RevokedAt = time.Time{}
	mustFamily(t, s, f1, t1)

	// Deleting the pool ends every sign-in in it.
	noErr(t, "DeletePool", s.DeletePool(ctx, a.ID))
	for _, f := range []store.RefreshFamily{f1, f4} {
		wantNoFamily(t, s, "after DeletePool", f.ID)
	}
	for _, tok := range []store.RefreshToken{t1, t4} {
		wantNoToken(t, s, "after DeletePool", tok.ID)
	}
	wantToken(t, s, "other pool's token after DeletePool", t5, f5)
}

func testRefreshRotation(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustPool(t, s, "pool-a")
	u := mustUser(t, s, newUser(p.ID, "alice"))
	fam, old := newFamily(u, "fam")
	mustFamily(t, s, fam, old)

	// A plain rotation: old is marked, next joins the family (its
	// FamilyID left empty: the store puts it in old's family), and the
	// family lives as long as its newest token.
	at := t0.Add(10 * time.Minute)
	next := newToken("", "next-1", at, at.Add(time.Hour))
	noErr(t, "RotateRefreshToken", s.RotateRefreshToken(ctx, old.ID, at, at, time.Time{}, next))
	old.ReplacedAt = at
	next.FamilyID = fam.ID
	fam.ExpiresAt = next.ExpiresAt
	wantToken(t, s, "old after rotation", old, fam)
	wantToken(t, s, "next after rotation", next, fam)

	// Without grace, old cannot be rotated again, at the replacement
	// instant or later: nothing is written.
	for _, tc := range []struct {
		name           string
		at, graceStart time.Time
	}{
		{"same instant", at, at},
		{"later", at.Add(time.Second), at.Add(time.Second)},
		// Replaced exactly at graceStart is not "after" it.
		{"grace starting at the replacement", at.Add(30 * time.Second), at},
	} {
		again := newToken(fam.ID, "again-"+tc.name, tc.at, tc.at.Add(2*time.Hour))
		err := s.RotateRefreshToken(ctx, old.ID, tc.at, tc.graceStart, time.Time{}, again)
		wantErr(t, "RotateRefreshToken(replaced, "+tc.name+")", err, store.ErrReplaced)
		wantNoToken(t, s, "after conflict "+tc.name, again.ID)
	}
	wantToken(t, s, "old after conflicts", old, fam)
	wantFamily(t, s, "family after conflicts", fam)

	// Within the grace period (old was replaced after graceStart) a retry
	// succeeds, and old keeps its first replacement time, so retries
	// cannot stretch the grace period.
	retryAt := at.Add(5 * time.Second)
	retry := newToken(fam.ID, "retry", retryAt, retryAt.Add(time.Hour))
	noErr(t, "RotateRefreshToken(within grace)", s.RotateRefreshToken(ctx, old.ID, retryAt, retryAt.Add(-30*time.Second), time.Time{}, retry))
	fam.ExpiresAt = retry.ExpiresAt
	wantToken(t, s, "old after retry", old, fam)
	wantToken(t, s, "retry", retry, fam)
	wantToken(t, s, "next after retry", next, fam)

	// A rotation to a shorter-lived token does not shorten the family.
	short := newToken(fam.ID, "short", retryAt, t0.Add(30*time.Minute))
	noErr(t, "RotateRefreshToken(short)", s.RotateRefreshToken(ctx, next.ID, retryAt, retryAt, time.Time{}, short))
	next.ReplacedAt = retryAt
	wantToken(t, s, "short", short, fam)
	wantToken(t, s, "next after short", next, fam)

	// Missing token; next taken by an existing token: nothing changes.
	wantErr(t, "RotateRefreshToken(missing)",
		s.RotateRefreshToken(ctx, "tok-missing", at, at, time.Time{}, newToken(fam.ID, "orphan", at, at.Add(time.Hour))), store.ErrNotFound)
	wantNoToken(t, s, "after missing", "orphan")
	taken := newToken(fam.ID, old.ID, retryAt, retryAt.Add(3*time.Hour))
	wantErr(t, "RotateRefreshToken(next id taken)",
		s.RotateRefreshToken(ctx, retry.ID, retryAt, retryAt, time.Time{}, taken), store.ErrAlreadyExists)
	wantToken(t, s, "retry after failed rotation", retry, fam)
	wantToken(t, s, "old after failed rotation", old, fam)

	// In a transaction: a failed rotation leaves it usable, and a
	// rotation rolled back with it is undone.
	late := retryAt.Add(time.Minute)
	err := s.InTx(ctx, func(tx store.Store) error {
		err := tx.RotateRefreshToken(ctx, old.ID, late, late, time.Time{}, newToken(fam.ID, "in-tx-conflict", late, late.Add(time.Hour)))
		wantErr(t, "RotateRefreshToken(replaced) in tx", err, store.ErrReplaced)
		rolled := newToken(fam.ID, "in-tx", late, late.Add(5*time.Hour))
		noErr(t, "RotateRefreshToken in tx", tx.RotateRefreshToken(ctx, retry.ID, late, late, time.Time{}, rolled))
		gotT, gotF, err := tx.GetRefreshToken(ctx, rolled.ID)
		noErr(t, "GetRefreshToken in tx", err)
		if gotT.FamilyID != fam.ID || !gotF.ExpiresAt.Equal(rolled.ExpiresAt) {
			t.Errorf("inside tx: token %+v, family %+v", gotT, gotF)
		}
		return errBoom
	})
	wantErr(t, "InTx", err, errBoom)
	wantNoToken(t, s, "after rollback", "in-tx")
	wantToken(t, s, "retry after rollback", retry, fam)
	wantFamily(t, s, "family after rollback", fam)

	// A revocation that lands between redeeming and rotating wins: the
	// rotation writes nothing, even inside a grace period.
	revokedAt := late.Add(time.Minute)
	noErr(t, "RevokeRefreshFamily", s.RevokeRefreshFamily(ctx, fam.ID, revokedAt))
	afterRevoke := newToken(fam.ID, "after-revoke", revokedAt, revokedAt.Add(time.Hour))
	wantErr(t, "RotateRefreshToken(revoked family)",
		s.RotateRefreshToken(ctx, retry.ID, revokedAt, revokedAt.Add(-time.Hour), time.Time{}, afterRevoke), store.ErrRevoked)
	wantNoToken(t, s, "after revoked rotation", afterRevoke.ID)
}

// testRefreshRotationRace rotates one token from many goroutines at once
// with no grace period: exactly one may win, or a stolen refresh token
// could fork the family. It repeats on the winner's token, so a backend
// that lets two through has several chances to show it.
func testRefreshRotationRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustPool(t, s, "pool-a")
	u := mustUser(t, s, newUser(p.ID, "alice"))
	fam, first := newFamily(u, "fam")
	mustFamily(t, s, fam, first)

	const (
		rounds  = 5
		runners = 16
	)
	cur := first
	for round := range rounds {
		at := t0.Add(time.Duration(round+1) * time.Minute)
		var (
			wg      sync.WaitGroup
			start   = make(chan struct{})
			results [runners]error
			nexts   [runners]store.RefreshToken
		)
		for i := range runners {
			nexts[i] = newToken(fam.ID, fmt.Sprintf("r%d-%02d", round, i), at, at.Add(time.Hour))
			wg.Go(func() {
				<-start
				results[i] = s.RotateRefreshToken(ctx, cur.ID, at, at, time.Time{}, nexts[i])
			})
		}
		close(start)
		wg.Wait()

		winner := -1
		for i, err := range results {
			switch {
			case err == nil && winner >= 0:
				t.Errorf("round %d: rotations %d and %d both succeeded", round, winner, i)
			case err == nil:
				winner = i
			case !errors.Is(err, store.ErrReplaced):
				t.Errorf("round %d: rotation %d: err = %v, want nil or ErrReplaced", round, i, err)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no rotation succeeded", round)
		}
		// Exactly two tokens of this round exist: the old one, replaced,
		// and the winner's.
		cur.ReplacedAt = at
		gotOld, _, err := s.GetRefreshToken(ctx, cur.ID)
		noErr(t, "GetRefreshToken(old)", err)
		if d := diff(cur, gotOld); d != "" {
			t.Errorf("round %d: old token (-want +got):\n%s", round, d)
		}
		for i, next := range nexts {
			gotT, gotF, err := s.GetRefreshToken(ctx, next.ID)
			if i != winner {
				wantErr(t, fmt.Sprintf("round %d: loser %d", round, i), err, store.ErrNotFound)
				continue
			}
			if err != nil {
				t.Fatalf("round %d: winner: %v", round, err)
			}
			if d := diff(next, gotT); d != "" || gotF.ID != fam.ID {
				t.Errorf("round %d: winner's token in family %q (-want +got):\n%s", round, gotF.ID, d)
			}
		}
		cur = nexts[winner]
	}
}

// testRefreshConcurrentReads redeems one token from many goroutines while
// another family keeps rotating: reads must neither fail nor wait for a
// writer.
func testRefreshConcurrentReads(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustPool(t, s, "pool-a")
	u := mustUser(t, s, newUser(p.ID, "alice"))
	fam, tok := newFamily(u, "fam")
	mustFamily(t, s, fam, tok)
	busy, busyTok := newFamily(u, "busy")
	mustFamily(t, s, busy, busyTok)

	stop := make(chan struct{})
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		cur := busyTok.ID
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			at := t0.Add(time.Duration(i+1) * time.Second)
			next := newToken(busy.ID, fmt.Sprintf("busy-%d", i), at, at.Add(time.Hour))
			if err := s.RotateRefreshToken(ctx, cur, at, at, time.Time{}, next); err != nil {
				t.Errorf("background rotation %d: %v", i, err)
				return
			}
			cur = next.ID
		}
	}()

	const readers = 100
	var wg sync.WaitGroup
	for i := range readers {
		wg.Go(func() {
			gotT, gotF, err := s.GetRefreshToken(ctx, tok.ID)
			if err != nil {
				t.Errorf("reader %d: %v", i, err)
				return
			}
			if d := diff(tok, gotT); d != "" {
				t.Errorf("reader %d: token (-want +got):\n%s", i, d)
			}
			if d := diff(fam, gotF); d != "" {
				t.Errorf("reader %d: family (-want +got):\n%s", i, d)
			}
		})
	}
	wg.Wait()
	close(stop)
	<-writerDone
}

// testGarbageCollect pins down DeleteExpiredRefreshTokens: a token goes
// when it expired before `before` or its family did (the family's expiry
// bounds its tokens); a family goes when it expired before `before`. The
// count is every token and family removed.
func testGarbageCollect(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustPool(t, s, "pool-a")
	u := mustUser(t, s, newUser(p.ID, "alice"))
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }

	// A: live, with an expired replaced token and a live one.
	famA, a1 := newFamily(u, "A")
	a1.ExpiresAt = at(10)
	mustFamily(t, s, famA, a1)
	a2 := newToken(famA.ID, "A-t1", at(1), at(60))
	noErr(t, "RotateRefreshToken(A)", s.RotateRefreshToken(ctx, a1.ID, at(1), at(1), time.Time{}, a2))
	a1.ReplacedAt = at(1)
	// B: expires at 20 with its token.
	famB, b1 := newFamily(u, "B")
	famB.ExpiresAt, b1.ExpiresAt = at(20), at(20)
	mustFamily(t, s, famB, b1)
	// C: live, with a token that expires exactly at the first cut-off.
	famC, c1 := newFamily(u, "C")
	famC.ExpiresAt, c1.ExpiresAt = at(120), at(25)
	mustFamily(t, s, famC, c1)
	// D: expires at 30, although its token claims to live longer.
	famD, d1 := newFamily(u, "D")
	famD.ExpiresAt, d1.ExpiresAt = at(30), at(180)
	mustFamily(t, s, famD, d1)

	gc := func(before time.Time, want int) {
		t.Helper()
		n, err := s.DeleteExpiredRefreshTokens(ctx, before)
		noErr(t, "DeleteExpiredRefreshTokens", err)
		if n != want {
			t.Errorf("DeleteExpiredRefreshTokens(%v) = %d, want %d", before, n, want)
		}
	}
	gc(at(5), 0)
	// a1 and b1 expired, and family B; c1 expires at the cut-off itself.
	gc(at(25), 3)
	wantNoToken(t, s, "first collection", a1.ID)
	wantNoToken(t, s, "first collection", b1.ID)
	wantNoFamily(t, s, "first collection", famB.ID)
	famA.ExpiresAt = a2.ExpiresAt
	wantToken(t, s, "first collection", a2, famA)
	wantToken(t, s, "first collection", c1, famC)
	wantToken(t, s, "first collection", d1, famD)
	gc(at(25), 0)

	// c1 expired; family D and its token.
	gc(at(45), 3)
	wantNoToken(t, s, "second collection", c1.ID)
	wantNoToken(t, s, "second collection", d1.ID)
	wantNoFamily(t, s, "second collection", famD.ID)
	// C lives on without tokens until it expires itself.
	wantFamily(t, s, "second collection", famC)
	wantToken(t, s, "second collection", a2, famA)

	gc(at(90), 2) // a2 and A
	wantNoFamily(t, s, "third collection", famA.ID)
	wantFamily(t, s, "third collection", famC)
	gc(at(24*60), 1) // C
	wantNoFamily(t, s, "last collection", famC.ID)

	// Many rows at once (more than a thousand, a likely batch size):
	// however a backend splits the work, all of it is done and counted,
	// and live rows stay.
	const many = 1100
	err := s.InTx(ctx, func(tx store.Store) error {
		for i := range many {
			f, tok := newFamily(u, fmt.Sprintf("bulk-%04d", i))
			if i%100 == 0 {
				f.ExpiresAt, tok.ExpiresAt = at(24*60), at(24*60)
			}
			if err := tx.CreateRefreshFamily(ctx, f, tok); err != nil {
				return err
			}
		}
		return nil
	})
	noErr(t, "bulk CreateRefreshFamily", err)
	live := many / 100
	gc(at(90), 2*(many-live))
	for i := 0; i < many; i += 100 {
		f, tok := newFamily(u, fmt.Sprintf("bulk-%04d", i))
		f.ExpiresAt, tok.ExpiresAt = at(24*60), at(24*60)
		wantToken(t, s, "live bulk family", tok, f)
	}
	wantNoFamily(t, s, "bulk", "bulk-0001")
	gc(at(90), 0)
}

// testRotateCollectsRotatedOut pins down the collection a rotation makes:
// the family's tokens replaced before collectBefore go in the same
// transaction, those replaced later (the one just replaced included) and
// the current one stay, other families are left alone, and a rotation
// that fails collects nothing.
func testRotateCollectsRotatedOut(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustPool(t, s, "pool-a")
	u := mustUser(t, s, newUser(p.ID, "alice"))
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }

	fam, t1 := newFamily(u, "A")
	fam.ExpiresAt, t1.ExpiresAt = at(600), at(600)
	mustFamily(t, s, fam, t1)
	other, o1 := newFamily(u, "B")
	other.ExpiresAt, o1.ExpiresAt = at(600), at(600)
	mustFamily(t, s, other, o1)
	o2 := newToken(other.ID, "B-t1", at(1), at(600))
	noErr(t, "rotate B", s.RotateRefreshToken(ctx, o1.ID, at(1), at(1), time.Time{}, o2))
	o1.ReplacedAt = at(1)

	t2 := newToken(fam.ID, "A-t1", at(1), at(600))
	noErr(t, "rotate A at 1", s.RotateRefreshToken(ctx, t1.ID, at(1), at(1), time.Time{}, t2))
	t1.ReplacedAt = at(1)
	t3 := newToken(fam.ID, "A-t2", at(2), at(600))
	// t1 was replaced at 1, not before 1: it stays.
	noErr(t, "rotate A at 2", s.RotateRefreshToken(ctx, t2.ID, at(2), at(2), at(1), t3))
	t2.ReplacedAt = at(2)
	wantToken(t, s, "replaced at the cut-off", t1, fam)
	wantToken(t, s, "just replaced", t2, fam)

	// A rotation that fails (t2 is replaced, no grace) collects nothing.
	wantErr(t, "rotate A's replaced token", s.RotateRefreshToken(ctx, t2.ID, at(5), at(5), at(5), newToken(fam.ID, "A-lost", at(5), at(600))), store.ErrReplaced)
	wantToken(t, s, "after a failed rotation", t1, fam)
	wantNoToken(t, s, "the failed rotation's token", "A-lost")

	t4 := newToken(fam.ID, "A-t3", at(5), at(600))
	noErr(t, "rotate A at 5", s.RotateRefreshToken(ctx, t3.ID, at(5), at(5), at(4), t4))
	t3.ReplacedAt = at(5)
	wantNoToken(t, s, "replaced at 1, collected at 5", t1.ID)
	wantNoToken(t, s, "replaced at 2, collected at 5", t2.ID)
	wantToken(t, s, "replaced at 5", t3, fam)
	wantToken(t, s, "current", t4, fam)
	// The other family's rotated-out token is not this rotation's to take.
	wantToken(t, s, "another family's rotated-out token", o1, other)
	wantToken(t, s, "another family's current token", o2, other)

	// In a transaction, the collection is undone with it.
	err := s.InTx(ctx, func(tx store.Store) error {
		noErr(t, "rotate A in tx", tx.RotateRefreshToken(ctx, t4.ID, at(9), at(9), at(9), newToken(fam.ID, "A-rolled", at(9), at(600))))
		return errBoom
	})
	wantErr(t, "InTx", err, errBoom)
	wantToken(t, s, "after a rolled-back rotation", t3, fam)
	wantToken(t, s, "after a rolled-back rotation", t4, fam)
}

// GetUserBySubAndFamily reads what GetUserBySub and GetRefreshFamily read,
// in one statement: the same user, and the family's existence and
// revocation, whoever it belongs to.
func testUserAndFamily(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	alice := mustUser(t, s, newUser(a.ID, "alice",
		store.Attribute{Name: "email", Value: "alice@example.com"}, store.Attribute{Name: "name", Value: "Alice"}))
	bob := mustUser(t, s, newUser(a.ID, "bob"))
	f1, t1 := newFamily(alice, "fam-1")
	mustFamily(t, s, f1, t1)
	f2, t2 := newFamily(bob, "fam-2")
	mustFamily(t, s, f2, t2)

	check := func(what, sub, familyID string, want store.FamilyState) {
		t.Helper()
		wantUser, err := s.GetUserBySub(ctx, a.ID, sub)
		noErr(t, what+": GetUserBySub", err)
		u, fam, err := s.GetUserBySubAndFamily(ctx, a.ID, sub, familyID)
		noErr(t, what+": GetUserBySubAndFamily", err)
		if d := diff(wantUser, u); d != "" {
			t.Errorf("%s: user (-GetUserBySub +GetUserBySubAndFamily):\n%s", what, d)
		}
		if d := diff(want, fam); d != "" {
			t.Errorf("%s: family state (-want +got):\n%s", what, d)
		}
	}
	check("live", alice.Sub, f1.ID, store.FamilyState{Found: true})
	check("another user's family", alice.Sub, f2.ID, store.FamilyState{Found: true})
	check("missing family", alice.Sub, "fam-missing", store.FamilyState{})
	check("another user", bob.Sub, f2.ID, store.FamilyState{Found: true})

	revoked := t0.Add(time.Minute)
	noErr(t, "RevokeRefreshFamily", s.RevokeRefreshFamily(ctx, f1.ID, revoked))
	check("revoked", alice.Sub, f1.ID, store.FamilyState{Found: true, RevokedAt: revoked})
	check("the other family", bob.Sub, f2.ID, store.FamilyState{Found: true})

	_, fam, err := s.GetUserBySubAndFamily(ctx, a.ID, "sub-missing", f1.ID)
	wantErr(t, "GetUserBySubAndFamily(missing user)", err, store.ErrNotFound)
	if fam != (store.FamilyState{}) {
		t.Errorf("missing user: family state %+v, want the zero state", fam)
	}
	_, _, err = s.GetUserBySubAndFamily(ctx, "pool-missing", alice.Sub, f1.ID)
	wantErr(t, "GetUserBySubAndFamily(other pool)", err, store.ErrNotFound)

	// In a transaction, its own writes are read.
	err = s.InTx(ctx, func(tx store.Store) error {
		noErr(t, "RevokeRefreshFamily(in tx)", tx.RevokeRefreshFamily(ctx, f2.ID, revoked))
		_, fam, err := tx.GetUserBySubAndFamily(ctx, a.ID, bob.Sub, f2.ID)
		noErr(t, "GetUserBySubAndFamily(in tx)", err)
		if fam.RevokedAt.IsZero() {
			t.Errorf("in tx: the family's revocation is not read")
		}
		return nil
	})
	noErr(t, "InTx", err)
}

// testCreateRefreshFamilies loads more families than one statement takes
// (two whole chunks and some left over, whatever the chunk, as long as it
// is below 70) and checks that each reads back as CreateRefreshFamily's
// would, and that a load with one bad family writes nothing at all.
func testCreateRefreshFamilies(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	alice := mustUser(t, s, newUser(a.ID, "alice"))
	bob := mustUser(t, s, newUser(a.ID, "bob"))
	single, singleTok := newFamily(bob, "fam-single")
	mustFamily(t, s, single, singleTok)

	const n = 70
	fams := make([]store.RefreshFamily, n)
	toks := make([]store.RefreshToken, n)
	for i := range n {
		u := alice
		if i%3 == 0 {
			u = bob
		}
		fams[i], toks[i] = newFamily(u, fmt.Sprintf("fam-%02d", i))
		if i%5 == 0 {
			fams[i].Scopes, fams[i].DeviceKey = nil, ""
			toks[i].FamilyID = "" // joins its family, as in CreateRefreshFamily
		}
	}

	// Each bad family in turn, at the start, inside a whole chunk and
	// among the rows left over: nothing of the load may remain.
	for _, bad := range []struct {
		name string
		at   int
		make func(f *store.RefreshFamily, tok *store.RefreshToken)
		want error
	}{
		{"missing user", 0, func(f *store.RefreshFamily, _ *store.RefreshToken) { f.Sub = "sub-missing" }, store.ErrNotFound},
		{"missing pool", 40, func(f *store.RefreshFamily, _ *store.RefreshToken) { f.PoolID = "pool-missing" }, store.ErrNotFound},
		{"taken family id", 68, func(f *store.RefreshFamily, _ *store.RefreshToken) { f.ID = "fam-single" }, store.ErrAlreadyExists},
		{"taken token id", 69, func(_ *store.RefreshFamily, tok *store.RefreshToken) { tok.ID = "fam-single-t0" }, store.ErrAlreadyExists},
	} {
		bf, bt := append([]store.RefreshFamily(nil), fams...), append([]store.RefreshToken(nil), toks...)
		bad.make(&bf[bad.at], &bt[bad.at])
		if bt[bad.at].FamilyID != "" {
			bt[bad.at].FamilyID = bf[bad.at].ID
		}
		wantErr(t, "CreateRefreshFamilies("+bad.name+")", s.CreateRefreshFamilies(ctx, bf, bt), bad.want)
		for i := range n {
			if i != bad.at {
				wantNoFamily(t, s, "after "+bad.name, fams[i].ID)
				wantNoToken(t, s, "after "+bad.name, toks[i].ID)
			}
		}
	}
	mismatched := append([]store.RefreshToken(nil), toks...)
	mismatched[7].FamilyID = "fam-single"
	if err := s.CreateRefreshFamilies(ctx, fams, mismatched); err == nil {
		t.Error("CreateRefreshFamilies with a token naming another family: no error")
	}
	if err := s.CreateRefreshFamilies(ctx, fams, toks[:n-1]); err == nil {
		t.Error("CreateRefreshFamilies with a token short: no error")
	}
	wantNoFamily(t, s, "after refused loads", fams[0].ID)

	if err := s.CreateRefreshFamilies(ctx, fams, toks); err != nil {
		t.Fatalf("CreateRefreshFamilies: %v", err)
	}
	for i := range n {
		tok := toks[i]
		tok.FamilyID = fams[i].ID
		wantFamily(t, s, "after load", fams[i])
		wantToken(t, s, "after load", tok, fams[i])
	}
	if err := s.CreateRefreshFamilies(ctx, nil, nil); err != nil {
		t.Errorf("CreateRefreshFamilies of none: %v", err)
	}
	// A loaded family is one like any other: it rotates and its user's
	// deletion takes it.
	next := newToken(fams[1].ID, "fam-01-t1", t0.Add(time.Minute), t0.Add(2*time.Hour))
	if err := s.RotateRefreshToken(ctx, toks[1].ID, t0.Add(time.Minute), time.Time{}, time.Time{}, next); err != nil {
		t.Errorf("RotateRefreshToken of a loaded token: %v", err)
	}
	noErr(t, "DeleteUser(bob)", s.DeleteUser(ctx, a.ID, bob.Sub))
	wantNoFamily(t, s, "after its user's deletion", fams[0].ID)
	wantFamily(t, s, "alice's, after bob's deletion", fams[2])
}
