package auth

import (
	"context"
	"errors"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// MFA set-up during a sign-in (MFA_SETUP): an authenticator app, through
// AssociateSoftwareToken and VerifySoftwareToken called with the
// challenge's Session instead of an access token, or e-mail codes, when
// the pool offers them, through an EMAIL response and the EMAIL_OTP
// challenge that takes the code sent to the address.

// challengeMFASetupVerified is what the session VerifySoftwareToken
// answers on the MFA_SETUP path is sealed for: RespondToAuthChallenge
// completes MFA_SETUP only with it, so the challenge cannot be passed
// without verifying an authenticator. No challenge name opens it.
const challengeMFASetupVerified = cognito.ChallengeNameTypeMfaSetup + ":verified"

// respondMFASetup answers MFA_SETUP. With the session VerifySoftwareToken
// returned, the authenticator verified there becomes the user's MFA, and
// the sign-in goes on past MFA. With an EMAIL response, the sign-in's
// own MFA_SETUP session sets up e-mail codes instead (respondEmailSetup).
func (e *Engine) respondMFASetup(ctx context.Context, si *signIn, r ChallengeRequest) (*Result, error) {
	if address, ok := r.Responses["EMAIL"]; ok {
		return e.respondEmailSetup(ctx, si, r, address)
	}
	if err := e.mfaUser(ctx, si, r, challengeMFASetupVerified); err != nil {
		return nil, err
	}
	if si.user.MFA.TOTPEnabled {
		// Set up already: the session has been used.
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	var err error
	if si.user, err = e.cfg.Users.CompleteMFASetup(ctx, si.pool, si.user); err != nil {
		return nil, err
	}
	return e.mfaPassed(ctx, si)
}

// respondEmailSetup answers MFA_SETUP with EMAIL, an address for e-mail
// MFA, when the step offered EMAIL_OTP: a code goes to the address, and
// the answer is the EMAIL_OTP challenge, whose session carries the
// address and lasts no longer than the sign-in's. The right code makes
// the address the user's verified e-mail and their MFA (respondFactor).
func (e *Engine) respondEmailSetup(ctx context.Context, si *signIn, r ChallengeRequest, address string) (*Result, error) {
	if err := e.mfaUser(ctx, si, r, cognito.ChallengeNameTypeMfaSetup); err != nil {
		return nil, err
	}
	next, d, err := e.startEmailSetup(ctx, si, address)
	if err != nil {
		return nil, err
	}
	return &Result{
		ChallengeName: cognito.ChallengeNameTypeEmailOtp,
		ChallengeParameters: map[string]string{
			"USER_ID_FOR_SRP":               si.user.Username,
			"CODE_DELIVERY_DELIVERY_MEDIUM": d.DeliveryMedium,
			"CODE_DELIVERY_DESTINATION":     d.Destination,
		},
		Session: next,
	}, nil
}

// startEmailSetup sends the code of an e-mail MFA set-up to address (if
// the user's MFA step offers it: userpool's rule), and returns the
// EMAIL_OTP session that takes the code, with where it went. The code
// and the session last as long as what is left of the set-up's session.
func (e *Engine) startEmailSetup(ctx context.Context, si *signIn, address string) (string, *cognito.CodeDeliveryDetailsType, error) {
	if address == "" {
		return "", nil, cognito.InvalidParameter("Missing required parameter EMAIL")
	}
	d, err := e.cfg.Users.SendEmailMFASetupCode(ctx, si.pool, si.user, address, time.UnixMilli(si.sess.Expires).Sub(e.now()))
	if err != nil {
		return "", nil, err
	}
	next := *si.sess
	next.Challenge, next.Email, next.Event = si.prefix+cognito.ChallengeNameTypeEmailOtp, address, si.event
	return e.resealSession(next), d, nil
}

// answerEmailSetup checks the code of an e-mail MFA set-up to the
// address its session carries and, when right, makes the address the
// user's e-mail and their MFA.
func (e *Engine) answerEmailSetup(ctx context.Context, si *signIn, code string) error {
	address := si.sess.Email
	pool, u := si.pool, si.user
	if err := e.countMFAAnswer(ctx, si, func() error { return e.cfg.Users.CheckEmailMFASetupCode(ctx, pool, u, address, code) }); err != nil {
		return err
	}
	var err error
	si.user, err = e.cfg.Users.CompleteEmailMFASetup(ctx, pool, u, address)
	return err
}

// AssociateSoftwareToken starts the software token of the user an
// MFA_SETUP session belongs to, as AssociateSoftwareToken does with a
// Session: it returns the secret and the session to verify it with.
func (e *Engine) AssociateSoftwareToken(ctx context.Context, sess string) (secretCode, next string, err error) {
	s, pool, u, err := e.setupSession(ctx, sess, cognito.ChallengeNameTypeMfaSetup)
	if err != nil {
		return "", "", err
	}
	if secretCode, err = e.cfg.Users.AssociateSoftwareToken(ctx, pool, u); err != nil {
		return "", "", err
	}
	return secretCode, e.resealSession(*s), nil
}

// VerifySoftwareToken verifies the software token of the user an
// MFA_SETUP session belongs to, as VerifySoftwareToken does with a
// Session: it returns the session that completes MFA_SETUP.
func (e *Engine) VerifySoftwareToken(ctx context.Context, sess, code, deviceName string) (string, error) {
	s, pool, u, err := e.setupSession(ctx, sess, cognito.ChallengeNameTypeMfaSetup)
	if err != nil {
		return "", err
	}
	if err := e.cfg.Users.VerifySoftwareToken(ctx, pool, u, code, deviceName); err != nil {
		return "", err
	}
	s.Challenge = challengeMFASetupVerified
	return e.resealSession(*s), nil
}

// CheckTokenOrSession refuses an AssociateSoftwareToken or
// VerifySoftwareToken request that has both or neither of AccessToken and
// Session: Cognito takes exactly one.
func CheckTokenOrSession(accessToken, sess string) error {
	if (accessToken == "") == (sess == "") {
		return cognito.InvalidParameter(msgMFATokenOrSession)
	}
	return nil
}

// setupSession opens a session of the JSON API's MFA_SETUP, which
// AssociateSoftwareToken and VerifySoftwareToken receive without a client
// id: the session names its client, whose pool and user must still exist.
func (e *Engine) setupSession(ctx context.Context, raw, challenge string) (*session, *cognito.UserPoolType, store.User, error) {
	var clientID string
	if claim := peekSession(e, raw); claim != nil {
		clientID = claim.Client
	}
	s, err := e.openSession(raw, clientID, challenge)
	if err != nil {
		return nil, nil, store.User{}, err
	}
	pool, _, err := e.client(ctx, s.Client, "", false)
	if err != nil || pool.ID != s.Pool {
		if err == nil || errors.Is(err, cognito.ResourceNotFound("")) {
			err = cognito.NotAuthorized(msgSessionInvalid)
		}
		return nil, nil, store.User{}, err
	}
	u, err := e.cfg.Users.UserBySub(ctx, pool.ID, s.Sub)
	if err != nil {
		return nil, nil, store.User{}, err
	}
	if err := e.mayContinue(u); err != nil {
		return nil, nil, store.User{}, err
	}
	return s, pool, u, nil
}
