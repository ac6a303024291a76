package auth

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/userpool"
)

// HostedResult is the outcome of a step on the hosted login page: a user
// who has authenticated, or the new password a user with a temporary
// password must choose first.
type HostedResult struct {
	PoolID   string
	Sub      string
	Username string
	// AuthTime is when the user authenticated; the tokens the hosted
	// session leads to carry it as auth_time.
	AuthTime time.Time
	// NewPassword, when not nil, means the user is not signed in yet:
	// they must choose a new password with HostedNewPassword.
	NewPassword *NewPasswordStep
	// MFA, when not nil, means the user is not signed in yet: they must
	// pass the MFA step with HostedMFA (mfa.go).
	MFA *MFAStep
}

// NewPasswordStep is the hosted form of NEW_PASSWORD_REQUIRED.
type NewPasswordStep struct {
	// Session carries the sign-in to HostedNewPassword. It is sealed like
	// a challenge session, but for the hosted page only: the JSON API's
	// RespondToAuthChallenge does not accept it.
	Session string
	// RequiredAttributes are the required attributes the user has no
	// value for ("given_name"), which they must give with the password.
	RequiredAttributes []string
}

// hostedNewPassword is the challenge a hosted page's session is sealed
// for; no challenge name the JSON API accepts can open it.
const hostedNewPassword = "hosted:" + cognito.ChallengeNameTypeNewPasswordRequired

// HostedSignIn checks a username and password typed on the hosted login
// page for the app client clientID. It shares verifyPassword with
// InitiateAuth, so lockout, disabled and unconfirmed users and
// PreventUserExistenceErrors behave the same, but it does not look at the
// client's ExplicitAuthFlows: those govern the JSON API, and Cognito's
// hosted pages work whatever they say. Nor does it need SECRET_HASH: a
// client with a secret proves itself when it redeems the code.
func (e *Engine) HostedSignIn(ctx context.Context, clientID, username, password string) (*HostedResult, error) {
	if username == "" {
		return nil, cognito.InvalidParameter("Missing required parameter USERNAME")
	}
	if password == "" {
		return nil, cognito.InvalidParameter("Missing required parameter PASSWORD")
	}
	pool, client, err := e.client(ctx, clientID, "", false)
	if err != nil {
		return nil, err
	}
	u, err := e.verifyPassword(ctx, pool, client, username, password, nil)
	if err != nil {
		return nil, err
	}
	res := &HostedResult{PoolID: pool.ID, Sub: u.Sub, Username: u.Username, AuthTime: e.now()}
	if u.Status == cognito.UserStatusForceChangePassword {
		res.NewPassword = &NewPasswordStep{
			Session: e.newSession(session{
				Pool: pool.ID, Client: client.Config.ClientID, Sub: u.Sub, Username: u.Username,
				Challenge: hostedNewPassword,
			}, client.AuthSessionTTL()),
			RequiredAttributes: requiredAttributeNames(e.cfg.Users.RequiredAttributesMissing(pool, u)),
		}
		return res, nil
	}
	// The MFA gate, as signIn's for the JSON API.
	if res.MFA, err = e.hostedMFAStep(ctx, pool, client, u); err != nil {
		return nil, err
	}
	return res, nil
}

// HostedNewPassword completes a hosted sign-in that HostedSignIn answered
// with a NewPasswordStep: it sets the new password under the pool's policy,
// with the required attributes given (name without "userAttributes."), as
// RespondToAuthChallenge does for NEW_PASSWORD_REQUIRED.
func (e *Engine) HostedNewPassword(ctx context.Context, clientID, sess, newPassword string, attrs []cognito.AttributeType) (*HostedResult, error) {
	pool, client, err := e.client(ctx, clientID, "", false)
	if err != nil {
		return nil, err
	}
	s, err := e.openSession(sess, client.Config.ClientID, hostedNewPassword)
	if err != nil {
		return nil, err
	}
	if s.Pool != pool.ID {
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	if newPassword == "" {
		return nil, cognito.InvalidParameter("Missing required parameter NEW_PASSWORD")
	}
	u, err := e.cfg.Users.UserBySub(ctx, pool.ID, s.Sub)
	if err != nil {
		return nil, err
	}
	if !u.Enabled {
		return nil, cognito.NotAuthorized(msgDisabled)
	}
	if u.Status != cognito.UserStatusForceChangePassword {
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	if err := userpool.CheckUserWritable(client.Config, attrs); err != nil {
		return nil, err
	}
	var updated store.User
	if updated, err = e.cfg.Users.CompleteNewPassword(ctx, pool, u, newPassword, attrs); err != nil {
		return nil, err
	}
	res := &HostedResult{PoolID: pool.ID, Sub: updated.Sub, Username: updated.Username, AuthTime: e.now()}
	// The MFA gate, as signIn's for the JSON API.
	if res.MFA, err = e.hostedMFAStep(ctx, pool, client, updated); err != nil {
		return nil, err
	}
	return res, nil
}

// HostedUser returns the user a hosted session names if that session may
// still sign them in without a password: the user exists and is enabled,
// and nothing (an administrator's password reset, a new temporary
// password) asks them to sign in again.
func (e *Engine) HostedUser(ctx context.Context, poolID, sub string) (store.User, bool, error) {
	u, err := e.cfg.Users.UserBySub(ctx, poolID, sub)
	if err != nil {
		if errors.Is(err, cognito.UserNotFound("")) {
			return store.User{}, false, nil
		}
		return store.User{}, false, err
	}
	ok := u.Enabled && u.Status != cognito.UserStatusResetRequired &&
		u.Status != cognito.UserStatusForceChangePassword && u.Status != cognito.UserStatusUnconfirmed
	return u, ok, nil
}

func requiredAttributeNames(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		out = append(out, strings.TrimPrefix(n, "userAttributes."))
	}
	return out
}
