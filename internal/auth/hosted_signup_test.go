package auth

import (
	"testing"

	"github.com/userpool/userpool/internal/cognito"
)

// HostedSignedUp signs in a confirmed, enabled user without a password,
// and no one else: not a user still unconfirmed or one without a
// permanent password, not a disabled one.
func TestHostedSignedUp(t *testing.T) {
	h := newHostedEnv(t)
	clientID := h.client(t, "")
	sub := h.user(t, "alice", hostedTestPassword, false)
	res, err := h.e.HostedSignedUp(t.Context(), clientID, sub)
	if err != nil {
		t.Fatal(err)
	}
	if res.PoolID != h.pool || res.Sub != sub || res.Username != "alice" || !res.AuthTime.Equal(testT0) || res.MFA != nil {
		t.Errorf("result = %+v", res)
	}

	temporary := h.user(t, "bob", hostedTestPassword, true)
	_, err = h.e.HostedSignedUp(t.Context(), clientID, temporary)
	wantHostedError(t, err, cognito.TypeNotAuthorized, msgSessionInvalid)

	if err := h.svc.AdminDisableUser(t.Context(), &cognito.AdminDisableUserInput{UserPoolID: h.pool, Username: "alice"}); err != nil {
		t.Fatal(err)
	}
	_, err = h.e.HostedSignedUp(t.Context(), clientID, sub)
	wantHostedError(t, err, cognito.TypeNotAuthorized, msgDisabled)

	_, err = h.e.HostedSignedUp(t.Context(), clientID, "00000000-0000-4000-8000-000000000000")
	wantHostedError(t, err, cognito.TypeUserNotFound, "User does not exist.")
}
