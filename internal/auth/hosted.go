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

// hostedResult is the sign-in's user, as the hosted page's answer names
// them.
func (si *signIn) hostedResult() *HostedResult {
	return &HostedResult{PoolID: si.pool.ID, Sub: si.user.Sub, Username: si.user.Username}
}

// hostedDone ends a hosted step: a user who needs no further step has
// signed in, which PostAuthentication hears of (and may still refuse).
func (e *Engine) hostedDone(ctx context.Context, si *signIn, res *HostedResult) (*HostedResult, error) {
	if res.MFA != nil || res.NewPassword != nil {
		return res, nil
	}
	if err := e.postAuthentication(ctx, si, false); err != nil {
		return nil, err
	}
	return res, nil
}

// HostedSignIn checks a username and password typed on the hosted login
// page for the app client clientID. It shares verifyPassword with
// InitiateAuth, so lockout, disabled and unconfirmed users and
// PreventUserExistenceErrors behave the same, but it does not look at the
// client's ExplicitAuthFlows: those govern the JSON API, and Cognito's
// hosted pages work whatever they say. Nor does it need SECRET_HASH: a
// client with a secret proves itself when it redeems the code.
func (e *Engine) HostedSignIn(ctx context.Context, clientID, username, password string) (res *HostedResult, err error) {
	if username == "" {
		return nil, cognito.InvalidParameter("Missing required parameter USERNAME")
	}
	if password == "" {
		return nil, cognito.InvalidParameter("Missing required parameter PASSWORD")
	}
	si, err := e.startHosted(ctx, clientID)
	if err != nil {
		return nil, err
	}
	e.beginEvent(si)
	defer func() { e.recordSignIn(ctx, si, stepPassword, hostedEnded(res), err, false) }()
	if err := e.verifyPassword(ctx, si, username, password, nil); err != nil {
		return nil, err
	}
	res = si.hostedResult()
	res.AuthTime = e.now()
	if si.user.Status == cognito.UserStatusForceChangePassword {
		res.NewPassword = &NewPasswordStep{
			Session:            e.newSession(si.session(cognito.ChallengeNameTypeNewPasswordRequired), si.client.AuthSessionTTL()),
			RequiredAttributes: requiredAttributeNames(e.cfg.Users.RequiredAttributesMissing(si.pool, si.user)),
		}
		return res, nil
	}
	// The MFA gate, as mfaGate's for the JSON API.
	if res.MFA, err = e.hostedMFAStep(ctx, si); err != nil {
		return nil, err
	}
	return e.hostedDone(ctx, si, res)
}

// HostedNewPassword completes a hosted sign-in that HostedSignIn answered
// with a NewPasswordStep: it sets the new password under the pool's policy,
// with the required attributes given (name without "userAttributes."), as
// RespondToAuthChallenge does for NEW_PASSWORD_REQUIRED.
func (e *Engine) HostedNewPassword(ctx context.Context, clientID, sess, newPassword string, attrs []cognito.AttributeType) (res *HostedResult, err error) {
	si, err := e.startHosted(ctx, clientID)
	if err != nil {
		return nil, err
	}
	e.resumeSessionEvent(ctx, si, sess)
	defer func() { e.recordSignIn(ctx, si, stepNone, hostedEnded(res), err, true) }()
	s, err := e.openSession(sess, si.client.Config.ClientID, hostedChallenge+cognito.ChallengeNameTypeNewPasswordRequired)
	if err != nil {
		return nil, err
	}
	if s.Pool != si.pool.ID {
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	if newPassword == "" {
		return nil, cognito.InvalidParameter("Missing required parameter NEW_PASSWORD")
	}
	u, err := e.cfg.Users.UserBySub(ctx, si.pool.ID, s.Sub)
	if err != nil {
		return nil, err
	}
	if !u.Enabled {
		return nil, cognito.NotAuthorized(msgDisabled)
	}
	if u.Status != cognito.UserStatusForceChangePassword {
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	if err := userpool.CheckUserWritable(si.client.Config, attrs); err != nil {
		return nil, err
	}
	if si.user, err = e.cfg.Users.CompleteNewPassword(ctx, si.pool, u, newPassword, attrs); err != nil {
		return nil, err
	}
	res = si.hostedResult()
	res.AuthTime = e.now()
	// The MFA gate, as mfaGate's for the JSON API.
	if res.MFA, err = e.hostedMFAStep(ctx, si); err != nil {
		return nil, err
	}
	return e.hostedDone(ctx, si, res)
}

// hostedEnded says a hosted step signed its user in: no further step.
func hostedEnded(res *HostedResult) bool {
	return res != nil && res.MFA == nil && res.NewPassword == nil
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

// HostedSessionHolds reports whether a hosted session issued at issued
// still holds for u: it was not issued before the user last signed out
// (GlobalSignOut, AdminUserGlobalSignOut, AdminDisableUser, or /logout:
// EndHostedSessions), nor before their password last changed. Both are
// watermarks on the user, so a sealed session cookie, which the server
// keeps no record of, ends on every node at once, and a copy replayed
// later is refused. A session issued in the very millisecond of the
// watermark holds: a browser cannot sign in and out that fast, and the
// hosted new-password step sets the password and issues the session in
// one request.
func HostedSessionHolds(u store.User, issued time.Time) bool {
	return !issued.Before(u.SignedOutAt) && !issued.Before(u.PasswordUpdatedAt)
}

// EndHostedSessions ends the user's hosted sessions, as /logout does: it
// moves the user's sign-out watermark to now, which every session issued
// before refuses (HostedSessionHolds). Tokens already issued are left
// alone: their sign-ins end with their refresh tokens (RevokeToken,
// GlobalSignOut), as Cognito's /logout leaves them.
func (e *Engine) EndHostedSessions(ctx context.Context, poolID, sub string) error {
	now := e.now().Truncate(time.Millisecond)
	_, err := e.cfg.Users.UpdateSignInState(ctx, poolID, sub, func(u *store.User) {
		if now.After(u.SignedOutAt) {
			u.SignedOutAt = now
		}
	})
	if errors.Is(err, cognito.UserNotFound("")) {
		return nil
	}
	return err
}

func requiredAttributeNames(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		out = append(out, strings.TrimPrefix(n, "userAttributes."))
	}
	return out
}
