package auth

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/password"
	"github.com/userpool/userpool/internal/store/sqlite"
	"github.com/userpool/userpool/internal/userpool"
)

// hostedEnv is an engine over a SQLite store with one pool, for the hosted
// sign-in: it mints nothing, so it needs no token issuer.
type hostedEnv struct {
	e    *Engine
	svc  *userpool.Service
	pool string
	now  time.Time
}

func newHostedEnv(t *testing.T) *hostedEnv {
	t.Helper()
	return newHostedEnvWith(t, password.Hasher{MemoryKiB: 64, Iterations: 1})
}

// newHostedEnvWith is newHostedEnv with the password hasher given.
func newHostedEnvWith(t *testing.T, hasher userpool.PasswordHasher) *hostedEnv {
	t.Helper()
	ctx := t.Context()
	st, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "hosted.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := &hostedEnv{now: testT0}
	clock := func() time.Time { return h.now }
	sealer := testSealer(t)
	h.svc = userpool.New(userpool.Config{Store: st, Sealer: sealer, Passwords: hasher, Now: clock})
	h.e = New(Config{Users: h.svc, Store: st, Sealer: sealer, Now: clock})
	pool, err := h.svc.CreatePool(ctx, &cognito.CreateUserPoolInput{PoolName: "hosted"})
	if err != nil {
		t.Fatal(err)
	}
	h.pool = pool.ID
	return h
}

// client creates an app client with the given explicit flows and
// PreventUserExistenceErrors setting.
func (h *hostedEnv) client(t *testing.T, prevent string, flows ...string) string {
	t.Helper()
	c, err := h.svc.CreateClient(t.Context(), &cognito.CreateUserPoolClientInput{
		UserPoolID: h.pool, ClientName: "web", ExplicitAuthFlows: flows, PreventUserExistenceErrors: prevent,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c.ClientID
}

// user creates a user with a temporary password, made permanent unless
// temporary is set.
func (h *hostedEnv) user(t *testing.T, name, pw string, temporary bool) string {
	t.Helper()
	ctx := t.Context()
	if _, err := h.svc.AdminCreateUser(ctx, &cognito.AdminCreateUserInput{UserPoolID: h.pool, Username: name, TemporaryPassword: pw, MessageAction: cognito.MessageActionSuppress}); err != nil {
		t.Fatal(err)
	}
	if !temporary {
		yes := true
		if err := h.svc.AdminSetUserPassword(ctx, &cognito.AdminSetUserPasswordInput{UserPoolID: h.pool, Username: name, Password: pw, Permanent: &yes}); err != nil {
			t.Fatal(err)
		}
	}
	pool, err := h.svc.Pool(ctx, h.pool)
	if err != nil {
		t.Fatal(err)
	}
	u, err := h.svc.LookupUser(ctx, pool, name)
	if err != nil {
		t.Fatal(err)
	}
	return u.Sub
}

func wantHostedError(t *testing.T, err error, typ, msg string) {
	t.Helper()
	var ce *cognito.Error
	if !errors.As(err, &ce) || ce.Type != typ || ce.Message != msg {
		t.Fatalf("err = %v, want %s %q", err, typ, msg)
	}
}

const hostedTestPassword = "Correct-Horse-9!"

func TestHostedSignIn(t *testing.T) {
	h := newHostedEnv(t)
	// A client that allows no password flow of the JSON API: the hosted
	// page does not depend on ExplicitAuthFlows.
	clientID := h.client(t, "", "ALLOW_REFRESH_TOKEN_AUTH")
	sub := h.user(t, "alice", hostedTestPassword, false)
	res, err := h.e.HostedSignIn(t.Context(), clientID, "alice", hostedTestPassword)
	if err != nil {
		t.Fatal(err)
	}
	if res.PoolID != h.pool || res.Sub != sub || res.Username != "alice" || !res.AuthTime.Equal(testT0) || res.NewPassword != nil {
		t.Errorf("result = %+v", res)
	}
	_, err = h.e.InitiateAuth(t.Context(), InitiateRequest{ClientID: clientID, Flow: cognito.AuthFlowUserPasswordAuth,
		Params: map[string]string{"USERNAME": "alice", "PASSWORD": hostedTestPassword}})
	wantHostedError(t, err, cognito.TypeInvalidParameter, "USER_PASSWORD_AUTH flow not enabled for this client")
}

func TestHostedSignInErrors(t *testing.T) {
	h := newHostedEnv(t)
	legacy := h.client(t, "")
	enabled := h.client(t, cognito.PreventUserExistenceErrorTypesEnabled)
	h.user(t, "alice", hostedTestPassword, false)
	h.user(t, "bob", hostedTestPassword, false)
	if err := h.svc.AdminDisableUser(t.Context(), &cognito.AdminDisableUserInput{UserPoolID: h.pool, Username: "bob"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, client, username, password, typ, msg string
	}{
		{"wrong password", legacy, "alice", "Wrong-1!", cognito.TypeNotAuthorized, msgIncorrect},
		{"unknown user", legacy, "nobody", hostedTestPassword, cognito.TypeUserNotFound, msgUserNotFound},
		{"unknown user, existence hidden", enabled, "nobody", hostedTestPassword, cognito.TypeNotAuthorized, msgIncorrect},
		{"disabled", legacy, "bob", hostedTestPassword, cognito.TypeNotAuthorized, msgDisabled},
		{"no username", legacy, "", hostedTestPassword, cognito.TypeInvalidParameter, "Missing required parameter USERNAME"},
		{"no password", legacy, "alice", "", cognito.TypeInvalidParameter, "Missing required parameter PASSWORD"},
		{"unknown client", "1example23456789abcdefghij", "alice", hostedTestPassword, cognito.TypeResourceNotFound, "User pool client 1example23456789abcdefghij does not exist."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := h.e.HostedSignIn(t.Context(), tc.client, tc.username, tc.password)
			wantHostedError(t, err, tc.typ, tc.msg)
		})
	}
}

// The hosted page and InitiateAuth count failures together: one lockout,
// whichever door the guesses come through.
func TestHostedSignInSharesLockout(t *testing.T) {
	h := newHostedEnv(t)
	clientID := h.client(t, "", "ALLOW_USER_PASSWORD_AUTH")
	h.user(t, "alice", hostedTestPassword, false)
	for i := range 5 {
		var err error
		if i%2 == 0 {
			_, err = h.e.HostedSignIn(t.Context(), clientID, "alice", "Wrong-1!")
		} else {
			_, err = h.e.InitiateAuth(t.Context(), InitiateRequest{ClientID: clientID, Flow: cognito.AuthFlowUserPasswordAuth,
				Params: map[string]string{"USERNAME": "alice", "PASSWORD": "Wrong-1!"}})
		}
		wantHostedError(t, err, cognito.TypeNotAuthorized, msgIncorrect)
	}
	_, err := h.e.HostedSignIn(t.Context(), clientID, "alice", hostedTestPassword)
	wantHostedError(t, err, cognito.TypeNotAuthorized, msgAttemptsExceeded)
	h.now = h.now.Add(time.Second)
	if _, err := h.e.HostedSignIn(t.Context(), clientID, "alice", hostedTestPassword); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
}

func TestHostedNewPassword(t *testing.T) {
	h := newHostedEnv(t)
	clientID := h.client(t, "")
	other := h.client(t, "")
	sub := h.user(t, "carol", "Temporary-Pass-1!", true)
	res, err := h.e.HostedSignIn(t.Context(), clientID, "carol", "Temporary-Pass-1!")
	if err != nil {
		t.Fatal(err)
	}
	if res.NewPassword == nil || res.NewPassword.Session == "" || len(res.NewPassword.RequiredAttributes) != 0 {
		t.Fatalf("result = %+v, want a new-password step without required attributes", res)
	}
	sess := res.NewPassword.Session

	// The session is the hosted page's: the JSON API's challenge and
	// another client cannot open it.
	if _, err := h.e.openSession(sess, clientID, cognito.ChallengeNameTypeNewPasswordRequired); err == nil {
		t.Error("a hosted session opened as the API's NEW_PASSWORD_REQUIRED")
	}
	_, err = h.e.HostedNewPassword(t.Context(), other, sess, "Brand-New-Pass-2!", nil)
	wantHostedError(t, err, cognito.TypeNotAuthorized, msgSessionInvalid)
	_, err = h.e.HostedNewPassword(t.Context(), clientID, sess, "", nil)
	wantHostedError(t, err, cognito.TypeInvalidParameter, "Missing required parameter NEW_PASSWORD")
	_, err = h.e.HostedNewPassword(t.Context(), clientID, sess, "short", nil)
	if !errors.Is(err, cognito.New(cognito.TypeInvalidPassword, "")) {
		t.Errorf("a weak password: %v", err)
	}

	done, err := h.e.HostedNewPassword(t.Context(), clientID, sess, "Brand-New-Pass-2!", []cognito.AttributeType{{Name: "given_name", Value: "Carol"}})
	if err != nil {
		t.Fatal(err)
	}
	if done.Sub != sub || done.NewPassword != nil || !done.AuthTime.Equal(h.now) {
		t.Errorf("result = %+v", done)
	}
	// Used up: the user is confirmed now.
	_, err = h.e.HostedNewPassword(t.Context(), clientID, sess, "Another-Pass-3!", nil)
	wantHostedError(t, err, cognito.TypeNotAuthorized, msgSessionInvalid)
	if _, err := h.e.HostedSignIn(t.Context(), clientID, "carol", "Brand-New-Pass-2!"); err != nil {
		t.Errorf("the new password: %v", err)
	}
}

func TestHostedNewPasswordExpired(t *testing.T) {
	h := newHostedEnv(t)
	clientID := h.client(t, "")
	h.user(t, "carol", "Temporary-Pass-1!", true)
	res, err := h.e.HostedSignIn(t.Context(), clientID, "carol", "Temporary-Pass-1!")
	if err != nil {
		t.Fatal(err)
	}
	h.now = h.now.Add(3 * time.Minute) // the default AuthSessionValidity
	_, err = h.e.HostedNewPassword(t.Context(), clientID, res.NewPassword.Session, "Brand-New-Pass-2!", nil)
	wantHostedError(t, err, cognito.TypeNotAuthorized, msgSessionExpired)
}

func TestHostedUser(t *testing.T) {
	h := newHostedEnv(t)
	confirmed := h.user(t, "alice", hostedTestPassword, false)
	temporary := h.user(t, "carol", "Temporary-Pass-1!", true)
	disabled := h.user(t, "bob", hostedTestPassword, false)
	if err := h.svc.AdminDisableUser(t.Context(), &cognito.AdminDisableUserInput{UserPoolID: h.pool, Username: "bob"}); err != nil {
		t.Fatal(err)
	}
	for sub, want := range map[string]bool{confirmed: true, temporary: false, disabled: false, "no-such-sub": false} {
		_, ok, err := h.e.HostedUser(t.Context(), h.pool, sub)
		if err != nil || ok != want {
			t.Errorf("HostedUser(%s) = %v, %v; want %v", sub, ok, err, want)
		}
	}
}
