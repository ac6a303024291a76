package auth

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/password"
	"github.com/userpool/userpool/internal/seal"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/sqlite"
	"github.com/userpool/userpool/internal/userpool"
)

var testT0 = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

func testSealer(t testing.TB) *seal.Sealer {
	t.Helper()
	s, err := seal.New(bytes.Repeat([]byte{7}, seal.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The lockout Cognito's developer guide describes: the fifth failure in a
// row locks the user out for a second, each further one doubles that up
// to fifteen minutes, and fifteen minutes without a failure start the
// count over.
func TestRecordFailure(t *testing.T) {
	var u store.User
	at := testT0
	fail := func(after time.Duration) {
		at = at.Add(after)
		recordFailure(&u, at)
	}
	for i := 1; i <= 4; i++ {
		fail(time.Second)
		if u.FailedSignIns != i || at.Before(u.LockedUntil) {
			t.Fatalf("failure %d: count %d, locked until %v (now %v)", i, u.FailedSignIns, u.LockedUntil, at)
		}
	}
	// From the fifth failure, each one at the end of the previous lockout.
	lock := time.Second
	for i := 5; i <= 14; i++ {
		fail(lock)
		if u.FailedSignIns != i || !u.LockedUntil.Equal(at.Add(time.Second<<(i-5))) {
			t.Fatalf("failure %d: count %d, locked for %v, want %v", i, u.FailedSignIns, u.LockedUntil.Sub(at), time.Second<<(i-5))
		}
		lock = u.LockedUntil.Sub(at)
	}
	// 2^10 s is more than fifteen minutes: the lockout stops growing.
	fail(lock)
	if u.FailedSignIns != 15 || u.LockedUntil.Sub(at) != 15*time.Minute {
		t.Fatalf("failure 15: count %d, locked for %v, want 15m", u.FailedSignIns, u.LockedUntil.Sub(at))
	}
	// Another failure a moment before fifteen minutes have passed since
	// the last one cannot happen (the user is locked out); one at fifteen
	// minutes is the first of a new count.
	fail(15 * time.Minute)
	if u.FailedSignIns != 1 || at.Before(u.LockedUntil) {
		t.Fatalf("after 15 minutes without a failure: count %d, locked until %v (now %v)", u.FailedSignIns, u.LockedUntil, at)
	}
}

// The count starts over fifteen minutes after the last failure, not after
// the end of the lockout that failure caused.
func TestRecordFailureReset(t *testing.T) {
	for _, tc := range []struct {
		after     time.Duration
		wantCount int
		wantLock  time.Duration
	}{
		{15*time.Minute - time.Millisecond, 6, 2 * time.Second},
		{15 * time.Minute, 1, 0},
		{time.Hour, 1, 0},
	} {
		t.Run(tc.after.String(), func(t *testing.T) {
			var u store.User
			for range 5 {
				recordFailure(&u, testT0)
			}
			if u.FailedSignIns != 5 || !u.LockedUntil.Equal(testT0.Add(time.Second)) {
				t.Fatalf("five failures: count %d, locked until %v", u.FailedSignIns, u.LockedUntil)
			}
			at := testT0.Add(tc.after)
			recordFailure(&u, at)
			if u.FailedSignIns != tc.wantCount || u.LockedUntil.Sub(at) != tc.wantLock {
				t.Errorf("count %d, locked for %v; want %d, %v", u.FailedSignIns, u.LockedUntil.Sub(at), tc.wantCount, tc.wantLock)
			}
		})
	}
	// A success in between (which zeroes the count and leaves the time)
	// starts a new count at once.
	var u store.User
	for range 7 {
		recordFailure(&u, testT0)
	}
	u.FailedSignIns = 0
	at := u.LockedUntil
	recordFailure(&u, at)
	if u.FailedSignIns != 1 || at.Before(u.LockedUntil) {
		t.Errorf("after a success: count %d, locked until %v", u.FailedSignIns, u.LockedUntil)
	}
}

// groupEnv is an engine over a SQLite store with one pool and one user,
// enough for groupClaims.
type groupEnv struct {
	e    *Engine
	svc  *userpool.Service
	pool string
	ctx  context.Context
}

func newGroupEnv(t *testing.T) *groupEnv {
	t.Helper()
	ctx := t.Context()
	st, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "auth.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sealer := testSealer(t)
	now := func() time.Time { return testT0 }
	svc := userpool.New(userpool.Config{Store: st, Sealer: sealer, Passwords: password.Hasher{MemoryKiB: 64, Iterations: 1}, Now: now})
	pool, err := svc.CreatePool(ctx, &cognito.CreateUserPoolInput{PoolName: "groups"})
	if err != nil {
		t.Fatal(err)
	}
	return &groupEnv{e: New(Config{Users: svc, Store: st, Sealer: sealer, Now: now}), svc: svc, pool: pool.ID, ctx: ctx}
}

// user creates a user in the groups given, creating each group (named
// "<user>-<name>") with its precedence (nil when negative) and role.
func (g *groupEnv) user(t *testing.T, name string, groups ...testGroup) string {
	t.Helper()
	if _, err := g.svc.AdminCreateUser(g.ctx, &cognito.AdminCreateUserInput{UserPoolID: g.pool, Username: name, MessageAction: cognito.MessageActionSuppress}); err != nil {
		t.Fatal(err)
	}
	for _, gr := range groups {
		in := &cognito.CreateGroupInput{UserPoolID: g.pool, GroupName: gr.name, RoleARn: gr.role}
		if gr.precedence >= 0 {
			p := gr.precedence
			in.Precedence = &p
		}
		if _, err := g.svc.CreateGroup(g.ctx, in); err != nil && !errors.Is(err, cognito.GroupExists("")) {
			t.Fatal(err)
		}
		if err := g.svc.AdminAddUserToGroup(g.ctx, &cognito.AdminAddUserToGroupInput{UserPoolID: g.pool, Username: name, GroupName: gr.name}); err != nil {
			t.Fatal(err)
		}
	}
	pool, err := g.svc.Pool(g.ctx, g.pool)
	if err != nil {
		t.Fatal(err)
	}
	u, err := g.svc.LookupUser(g.ctx, pool, name)
	if err != nil {
		t.Fatal(err)
	}
	return u.Sub
}

type testGroup struct {
	name       string
	precedence int64 // -1: none
	role       string
}

func role(n int) string { return fmt.Sprintf("arn:aws:iam::123456789012:role/r%d", n) }

func TestGroupClaims(t *testing.T) {
	g := newGroupEnv(t)
	for i, tc := range []struct {
		name      string
		groups    []testGroup
		names     []string
		preferred string
		roles     []string
	}{
		{name: "no groups"},
		{
			name:   "by precedence, then name, groups without precedence last",
			groups: []testGroup{{"c", -1, ""}, {"b", 2, ""}, {"a", 2, ""}, {"z", 0, ""}, {"y", -1, ""}},
			names:  []string{"z", "a", "b", "c", "y"},
		},
		{
			name:      "lowest precedence with a role is preferred",
			groups:    []testGroup{{"low", 0, ""}, {"mid", 3, role(1)}, {"high", 7, role(2)}},
			names:     []string{"low", "mid", "high"},
			preferred: role(1), roles: []string{role(1), role(2)},
		},
		{
			name:   "equal precedence, different roles: none preferred",
			groups: []testGroup{{"a", 1, role(1)}, {"b", 1, role(2)}, {"c", 4, role(3)}},
			names:  []string{"a", "b", "c"},
			roles:  []string{role(1), role(2), role(3)},
		},
		{
			name:      "equal precedence, same role: that role",
			groups:    []testGroup{{"a", 1, role(1)}, {"b", 1, role(1)}, {"c", 4, role(3)}},
			names:     []string{"a", "b", "c"},
			preferred: role(1), roles: []string{role(1), role(3)},
		},
		{
			name:      "a group with precedence beats one without",
			groups:    []testGroup{{"a", -1, role(1)}, {"b", 9, role(2)}},
			names:     []string{"b", "a"},
			preferred: role(2), roles: []string{role(2), role(1)},
		},
		{
			name:      "the only role, in a group without precedence",
			groups:    []testGroup{{"a", -1, role(1)}, {"b", 0, ""}},
			names:     []string{"b", "a"},
			preferred: role(1), roles: []string{role(1)},
		},
		{
			name:   "two roles in groups without precedence: none preferred",
			groups: []testGroup{{"a", -1, role(1)}, {"b", -1, role(2)}},
			names:  []string{"a", "b"},
			roles:  []string{role(1), role(2)},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			user := fmt.Sprintf("user%d", i)
			var groups []testGroup
			for _, gr := range tc.groups {
				gr.name = user + "-" + gr.name
				groups = append(groups, gr)
			}
			sub := g.user(t, user, groups...)
			names, preferred, roles, err := g.e.groupClaims(g.ctx, g.pool, sub)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, n := range tc.names {
				want = append(want, user+"-"+n)
			}
			if diff := cmp.Diff(want, names); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
			if preferred != tc.preferred {
				t.Errorf("preferred role = %q, want %q", preferred, tc.preferred)
			}
			if diff := cmp.Diff(tc.roles, roles); diff != "" {
				t.Errorf("roles (-want +got):\n%s", diff)
			}
		})
	}
}

// More groups than one page of the store's listing all make the claim.
func TestGroupClaimsPages(t *testing.T) {
	g := newGroupEnv(t)
	var groups []testGroup
	var want []string
	for i := range 75 {
		n := fmt.Sprintf("g%03d", i)
		groups = append(groups, testGroup{n, int64(75 - i), ""})
		want = append([]string{n}, want...)
	}
	sub := g.user(t, "many", groups...)
	names, _, _, err := g.e.groupClaims(g.ctx, g.pool, sub)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
}

// sessionEngine is an engine that only seals and opens sessions, with a
// settable clock.
func sessionEngine(t testing.TB, now *time.Time) *Engine {
	return New(Config{Sealer: testSealer(t), Now: func() time.Time { return *now }})
}

func TestOpenSession(t *testing.T) {
	now := testT0
	e := sessionEngine(t, &now)
	s := session{Pool: "us-east-1_abc", Client: "client1", Sub: "sub-1", Username: "nina", Challenge: cognito.ChallengeNameTypeNewPasswordRequired}
	raw := e.newSession(s, 3*time.Minute)
	wrongAD := base64.RawURLEncoding.EncodeToString(e.cfg.Sealer.Seal([]byte(`{"p":"us-east-1_abc","c":"client1"}`), []byte("other")))
	notJSON := base64.RawURLEncoding.EncodeToString(e.cfg.Sealer.Seal([]byte("not json"), sessionAD))
	for _, tc := range []struct {
		name              string
		raw, client, chal string
		after             time.Duration
		msg               string
	}{
		{"valid", raw, "client1", s.Challenge, 0, ""},
		{"just before expiry", raw, "client1", s.Challenge, 3*time.Minute - time.Millisecond, ""},
		{"at expiry", raw, "client1", s.Challenge, 3 * time.Minute, msgSessionExpired},
		{"another client", raw, "client2", s.Challenge, 0, msgSessionInvalid},
		{"another challenge", raw, "client1", cognito.ChallengeNameTypeSoftwareTokenMfa, 0, msgSessionInvalid},
		{"sealed for something else", wrongAD, "client1", s.Challenge, 0, msgSessionInvalid},
		{"sealed, not JSON", notJSON, "client1", s.Challenge, 0, msgSessionInvalid},
		{"truncated", raw[:len(raw)-4], "client1", s.Challenge, 0, msgSessionInvalid},
		{"not base64", "!!!!", "client1", s.Challenge, 0, msgSessionInvalid},
		{"empty", "", "client1", s.Challenge, 0, msgSessionInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now = testT0.Add(tc.after)
			got, err := e.openSession(tc.raw, tc.client, tc.chal)
			if tc.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				want := s
				want.Expires = testT0.Add(3 * time.Minute).UnixMilli()
				if *got != want {
					t.Errorf("session = %+v, want %+v", *got, want)
				}
				return
			}
			wantSessionError(t, err, tc.msg)
		})
	}
}

func wantSessionError(t *testing.T, err error, msg string) {
	t.Helper()
	var ce *cognito.Error
	if !errors.As(err, &ce) || ce.Type != cognito.TypeNotAuthorized || ce.Message != msg {
		t.Fatalf("err = %v, want NotAuthorizedException %q", err, msg)
	}
}

// FuzzOpenSession: whatever a client sends as Session, openSession answers
// one of Cognito's two session errors, or returns one of the sessions this
// engine's key sealed, unexpired, for the client and challenge it was
// sealed for. (The fuzzing workers run this function again, sealing with
// new nonces, so sessions are recognised by content, not by bytes.)
func FuzzOpenSession(f *testing.F) {
	now := testT0
	e := sessionEngine(f, &now)
	var valid []session
	add := func(s session, ttl time.Duration) string {
		raw := e.newSession(s, ttl)
		s.Expires = now.Add(ttl).UnixMilli()
		if ttl > 0 {
			valid = append(valid, s)
		}
		return raw
	}
	good := add(session{Pool: "us-east-1_abc", Client: "client1", Sub: "s", Username: "u", Challenge: cognito.ChallengeNameTypeNewPasswordRequired}, 3*time.Minute)
	expired := add(session{Pool: "us-east-1_abc", Client: "client1", Sub: "s", Username: "u", Challenge: cognito.ChallengeNameTypeNewPasswordRequired}, -time.Second)
	other := add(session{Pool: "us-east-1_abc", Client: "client1", Challenge: cognito.ChallengeNameTypePasswordVerifier}, time.Minute)
	js, _ := json.Marshal(session{Client: "client1", Challenge: cognito.ChallengeNameTypeNewPasswordRequired})
	noExpiry := base64.RawURLEncoding.EncodeToString(e.cfg.Sealer.Seal(js, sessionAD))
	for _, seed := range []struct{ raw, client string }{
		{good, "client1"}, {good, "client2"}, {expired, "client1"}, {other, "client1"}, {noExpiry, "client1"},
		{good[:len(good)/2], "client1"}, {good + "A", "client1"}, {"", ""}, {"!!", "client1"},
		{base64.RawURLEncoding.EncodeToString(js), "client1"},
	} {
		f.Add(seed.raw, seed.client)
	}
	f.Fuzz(func(t *testing.T, raw, client string) {
		s, err := e.openSession(raw, client, cognito.ChallengeNameTypeNewPasswordRequired)
		if err != nil {
			var ce *cognito.Error
			if !errors.As(err, &ce) || ce.Type != cognito.TypeNotAuthorized || (ce.Message != msgSessionInvalid && ce.Message != msgSessionExpired) {
				t.Fatalf("err = %v", err)
			}
			return
		}
		if !slices.Contains(valid, *s) || client != s.Client || s.Challenge != cognito.ChallengeNameTypeNewPasswordRequired || !now.Before(time.UnixMilli(s.Expires)) {
			t.Fatalf("opened %+v from %q for %q", *s, raw, client)
		}
	})
}
