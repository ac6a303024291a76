package auth

import (
	"context"
	"errors"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/userpool"
)

// Sign-in straight after sign-up (Amplify v6's autoSignIn with USER_AUTH):
// SignUp answers a Session; ConfirmSignUp given it answers another, once
// the user is confirmed; InitiateAuth USER_AUTH given that one signs the
// user in without a password, the confirmation code having proven them,
// and without MFA, as Cognito counts that code as the second factor too.
// The sessions are sealed like challenge sessions, under challenge names
// no challenge response can use.

const (
	signUpMark    = "signup"
	confirmedMark = "signup:confirmed"
)

// SignUpSession is the Session SignUp answers for the user it created
// (sub) through the app client clientID.
func (e *Engine) SignUpSession(ctx context.Context, clientID, sub string) (string, error) {
	si, err := e.start(ctx, clientID, "", false)
	if err != nil {
		return "", err
	}
	return e.newSession(session{Pool: si.pool.ID, Client: clientID, Sub: sub, Challenge: signUpMark}, userpool.SignUpSessionTTL), nil
}

// signUpUser opens SignUp's session raw for ConfirmSignUp through
// clientID, which must name the same user as username: the user, or
// NotAuthorizedException.
func (e *Engine) signUpUser(ctx context.Context, clientID, raw, username string) (*signIn, store.User, error) {
	si, err := e.start(ctx, clientID, "", false)
	if err != nil {
		return nil, store.User{}, err
	}
	s, err := e.openSession(raw, clientID, signUpMark)
	if err != nil {
		return nil, store.User{}, err
	}
	u, err := e.cfg.Users.LookupUser(ctx, si.pool, username)
	if err != nil && !errors.Is(err, cognito.UserNotFound("")) {
		return nil, store.User{}, err
	}
	if err != nil || s.Pool != si.pool.ID || u.Sub != s.Sub {
		return nil, store.User{}, cognito.NotAuthorized(msgSessionInvalid)
	}
	return si, u, nil
}

// CheckSignUpSession refuses, before ConfirmSignUp uses its code, a
// Session that is not SignUp's for the user being confirmed.
func (e *Engine) CheckSignUpSession(ctx context.Context, clientID, raw, username string) error {
	_, _, err := e.signUpUser(ctx, clientID, raw, username)
	return err
}

// ConfirmedSession is the Session ConfirmSignUp answers, given SignUp's
// session raw, once the user is confirmed: it leads to one sign-in
// within the app client's AuthSessionValidity.
func (e *Engine) ConfirmedSession(ctx context.Context, clientID, raw, username string) (string, error) {
	si, u, err := e.signUpUser(ctx, clientID, raw, username)
	if err != nil {
		return "", err
	}
	if u.Status != cognito.UserStatusConfirmed {
		return "", cognito.NotAuthorized(msgSessionInvalid)
	}
	ttl := si.client.AuthSessionTTL()
	secret, err := e.cfg.Users.GrantSignUpSignIn(ctx, u, clientID, ttl)
	if err != nil {
		return "", err
	}
	return e.newSession(session{Pool: si.pool.ID, Client: clientID, Sub: u.Sub, Username: u.Username, Challenge: confirmedMark, ID: secret}, ttl), nil
}

// confirmedSignIn is USER_AUTH given ConfirmSignUp's Session: the user it
// names (USERNAME must be them) signs in once, with no other factor.
func (e *Engine) confirmedSignIn(ctx context.Context, si *signIn, p map[string]string, raw string) (*Result, error) {
	s, err := e.openSession(raw, si.client.Config.ClientID, confirmedMark)
	if err != nil {
		return nil, err
	}
	username := p["USERNAME"]
	if username == "" {
		return nil, cognito.InvalidParameter("Missing required parameter USERNAME")
	}
	u, err := e.cfg.Users.LookupUser(ctx, si.pool, username)
	if err != nil && !errors.Is(err, cognito.UserNotFound("")) {
		return nil, err
	}
	if err != nil || s.Pool != si.pool.ID || u.Sub != s.Sub {
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	if err := checkSecretHash(si.client, p["SECRET_HASH"], username, u.Username); err != nil {
		return nil, err
	}
	if err := e.mayContinue(u); err != nil {
		return nil, err
	}
	si.user = u
	if err := e.preAuthentication(ctx, si, u); err != nil {
		return nil, err
	}
	ok, err := e.cfg.Users.UseSignUpSignIn(ctx, u, si.client.Config.ClientID, s.ID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	if err := e.firstFactorPassed(ctx, si); err != nil {
		return nil, err
	}
	si.passwordless = true
	return e.nameDevice(ctx, si, p["DEVICE_KEY"])
}
