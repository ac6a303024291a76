package auth

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/userpool"
)

// Multi-factor authentication: the MFA gate every sign-in passes through
// (mfaGate, signin.go), the challenges it answers with (SOFTWARE_TOKEN_MFA,
// SMS_MFA, EMAIL_OTP, SELECT_MFA_TYPE, MFA_SETUP) and their responses.
// Setting MFA up during a sign-in is in mfa_setup.go, the hosted login
// page's form of these steps in hosted_mfa.go. Which step applies, and
// the checks of codes, are the userpool package's rules (userpool/mfa.go).

// Answers where the reference is silent; ours.
const (
	msgMFATokenOrSession = "Exactly one of AccessToken and Session must be given."
	msgMFAInvalidAnswer  = "The ANSWER is not one of the MFA types the user can choose."
	msgHostedNoSetup     = "This user pool requires MFA, and the user has no MFA method that can be set up here."
)

// mfaStep is the MFA gate: the challenge the sign-in's user must pass
// before they get tokens, with the step of userpool's rules it asks, or
// nil when MFA does not apply.
func (e *Engine) mfaStep(ctx context.Context, si *signIn) (*Result, *userpool.MFAStep, error) {
	step, err := e.cfg.Users.MFAFor(ctx, si.pool, si.user)
	if err != nil || step == nil {
		return nil, nil, err
	}
	if len(step.Factors) == 1 {
		r, err := e.factorChallenge(ctx, si, step.Factors[0])
		return r, step, err
	}
	name, key, list := cognito.ChallengeNameTypeSelectMfaType, "MFAS_CAN_CHOOSE", step.Factors
	if len(step.Factors) == 0 {
		name, key, list = cognito.ChallengeNameTypeMfaSetup, "MFAS_CAN_SETUP", step.Setup
	}
	if list == nil {
		list = []string{}
	}
	b, _ := json.Marshal(list)
	return &Result{
		ChallengeName:       name,
		ChallengeParameters: map[string]string{key: string(b), "USER_ID_FOR_SRP": si.user.Username},
		Session:             e.newSession(mfaSession(si, name), si.client.AuthSessionTTL()),
	}, step, nil
}

// mfaSession is the session of an MFA challenge: it carries the device
// the sign-in named and, when that device must prove itself after MFA, an
// id that a right answer is recorded against (mfaPassed).
func mfaSession(si *signIn, challenge string) session {
	s := si.session(challenge)
	s.Device, s.DeviceProven = si.dev.Key, si.dev.Proven
	if si.dev.Key != "" && !si.dev.Proven {
		s.ID = rand.Text()
	}
	return s
}

// mfaPassed goes on with a sign-in whose MFA challenge the user has just
// answered. When the device the sign-in named must prove itself next, the
// answer is recorded against the challenge's session first: one client
// proves the device with that session itself (deviceSession).
func (e *Engine) mfaPassed(ctx context.Context, si *signIn) (*Result, error) {
	if s := si.sess; s.ID != "" && si.dev.Key != "" && !si.dev.Proven {
		if err := e.cfg.Users.RecordMFAPassed(ctx, si.pool.ID, si.user.Sub, s.ID, time.UnixMilli(s.Expires)); err != nil {
			return nil, err
		}
	}
	return e.secondFactorSettled(ctx, si)
}

// factorChallenge asks for one factor's code; for SMS and e-mail it sends
// the code first, valid as long as the challenge's session.
func (e *Engine) factorChallenge(ctx context.Context, si *signIn, factor string) (*Result, error) {
	u := si.user
	params := map[string]string{"USER_ID_FOR_SRP": u.Username}
	ttl := si.client.AuthSessionTTL()
	switch factor {
	case userpool.MFASoftwareToken:
		if u.MFA.TOTPName != "" {
			params["FRIENDLY_DEVICE_NAME"] = u.MFA.TOTPName
		}
	case userpool.MFASMS, userpool.MFAEmail:
		d, err := e.cfg.Users.SendMFACode(ctx, si.pool, u, factor, ttl)
		if err != nil {
			return nil, err
		}
		params["CODE_DELIVERY_DELIVERY_MEDIUM"] = d.DeliveryMedium
		params["CODE_DELIVERY_DESTINATION"] = d.Destination
	}
	return &Result{
		ChallengeName:       factor,
		ChallengeParameters: params,
		Session:             e.newSession(mfaSession(si, factor+totpBinding(factor, u)), ttl),
	}, nil
}

// totpBinding is what a SOFTWARE_TOKEN_MFA session is sealed for besides
// the challenge: the time step of the last code the user's authenticator
// gave. Signing in with a code moves it on, so the session is then used
// up, and cannot sign in again with a later code; a wrong code leaves it,
// so the user may try again.
func totpBinding(factor string, u store.User) string {
	if factor != userpool.MFASoftwareToken {
		return ""
	}
	return "#" + strconv.FormatInt(u.MFA.TOTPLastStep, 10)
}

// openMFASession resumes a sign-in from the session of an MFA challenge
// (challenge without the door's prefix, which the sign-in adds; factor
// is what the code answers), whose user must still exist. The user is
// read first, from the session's own claim, because a SOFTWARE_TOKEN_MFA
// session is sealed for the user's state (totpBinding); openSession then
// checks everything, the claim included.
func (e *Engine) openMFASession(ctx context.Context, si *signIn, raw, challenge, factor string) error {
	var u store.User
	if claim := peekSession(e, raw); claim != nil && claim.Pool == si.pool.ID {
		var err error
		if u, err = e.cfg.Users.UserBySub(ctx, si.pool.ID, claim.Sub); err != nil && !errors.Is(err, cognito.UserNotFound("")) {
			return err
		}
	}
	s, err := e.openSession(raw, si.client.Config.ClientID, si.prefix+challenge+totpBinding(factor, u))
	if err != nil {
		return err
	}
	if s.Pool != si.pool.ID || s.Sub != u.Sub {
		return cognito.NotAuthorized(msgSessionInvalid)
	}
	si.user = u
	si.resume(s)
	return nil
}

// mfaUser resumes the sign-in an MFA challenge response is for: the
// session must be one the server sealed for this challenge, client and
// pool, and not expired; USERNAME must name the session's user,
// SECRET_HASH be right for a client with a secret, and the user be
// enabled and not locked out.
func (e *Engine) mfaUser(ctx context.Context, si *signIn, r ChallengeRequest, challenge string) error {
	if err := e.openMFASession(ctx, si, r.Session, challenge, r.Name); err != nil {
		return err
	}
	username := r.Responses["USERNAME"]
	if username == "" {
		return cognito.InvalidParameter("Missing required parameter USERNAME")
	}
	if named, err := e.cfg.Users.LookupUser(ctx, si.pool, username); err != nil || named.Sub != si.user.Sub {
		return cognito.NotAuthorized(msgSessionInvalid)
	}
	if err := checkSecretHash(si.client, r.Responses["SECRET_HASH"], username, si.user.Username); err != nil {
		return err
	}
	return e.mayContinue(si.user)
}

// mayContinue refuses a sign-in's next step for a user disabled since it
// began, or locked out by wrong codes.
func (e *Engine) mayContinue(u store.User) error {
	if !u.Enabled {
		return cognito.NotAuthorized(msgDisabled)
	}
	if lockedOut(u, e.now()) {
		return cognito.NotAuthorized(msgAttemptsExceeded)
	}
	return nil
}

// checkMFAAnswer checks a code given for factor: when the sign-in sets up
// e-mail MFA, the set-up's code (answerEmailSetup), else the factor's.
func (e *Engine) checkMFAAnswer(ctx context.Context, si *signIn, factor, code string) error {
	if si.sess.Email != "" {
		return e.answerEmailSetup(ctx, si, code)
	}
	pool, u := si.pool, si.user
	return e.countMFAAnswer(ctx, si, func() error {
		if factor == userpool.MFASoftwareToken {
			return e.cfg.Users.CheckSoftwareTokenCode(ctx, pool, u, code)
		}
		return e.cfg.Users.CheckMFACode(ctx, pool, u, factor, code)
	})
}

// countMFAAnswer runs the check of an MFA code. Wrong codes count toward
// the same lockout as wrong passwords, so a stolen password does not buy
// unlimited guesses at the second factor; a right one clears the count.
func (e *Engine) countMFAAnswer(ctx context.Context, si *signIn, check func() error) error {
	u := si.user
	err := check()
	if errors.Is(err, cognito.CodeMismatch("")) {
		now := e.now()
		if _, serr := e.cfg.Users.UpdateSignInState(ctx, si.pool.ID, u.Sub, func(w *store.User) { recordFailure(w, now) }); serr != nil {
			return serr
		}
	}
	if err != nil {
		return err
	}
	if u.FailedSignIns > 0 {
		if _, err := e.cfg.Users.ClearSignInFailures(ctx, u); err != nil {
			return err
		}
	}
	return nil
}

// codeResponses names the response that carries each factor's code.
var codeResponses = map[string]string{
	userpool.MFASoftwareToken: "SOFTWARE_TOKEN_MFA_CODE",
	userpool.MFASMS:           "SMS_MFA_CODE",
	userpool.MFAEmail:         "EMAIL_OTP_CODE",
}

// respondFactor answers SOFTWARE_TOKEN_MFA, SMS_MFA and EMAIL_OTP, the
// last also when it completes an e-mail MFA set-up.
func (e *Engine) respondFactor(ctx context.Context, si *signIn, r ChallengeRequest) (*Result, error) {
	if err := e.mfaUser(ctx, si, r, r.Name); err != nil {
		return nil, err
	}
	key := codeResponses[r.Name]
	code := r.Responses[key]
	if code == "" {
		return nil, cognito.InvalidParameter("Missing required parameter " + key)
	}
	if err := e.checkMFAAnswer(ctx, si, r.Name, code); err != nil {
		return nil, err
	}
	return e.mfaPassed(ctx, si)
}

// selectAnswer reads SELECT_MFA_TYPE's ANSWER: a factor, with EMAIL_MFA,
// the name Cognito's documentation gives the e-mail factor there, taken
// for EMAIL_OTP.
func selectAnswer(answer string) string {
	if answer == "EMAIL_MFA" {
		return userpool.MFAEmail
	}
	return answer
}

// respondSelectMFAType answers SELECT_MFA_TYPE with the chosen factor's
// challenge.
func (e *Engine) respondSelectMFAType(ctx context.Context, si *signIn, r ChallengeRequest) (*Result, error) {
	if err := e.mfaUser(ctx, si, r, r.Name); err != nil {
		return nil, err
	}
	answer := selectAnswer(r.Responses["ANSWER"])
	if answer == "" {
		return nil, cognito.InvalidParameter("Missing required parameter ANSWER")
	}
	return e.selectFactor(ctx, si, answer)
}

// selectFactor goes on with the factor a user chose, if it is one they may
// still choose.
func (e *Engine) selectFactor(ctx context.Context, si *signIn, factor string) (*Result, error) {
	step, err := e.cfg.Users.MFAFor(ctx, si.pool, si.user)
	if err != nil {
		return nil, err
	}
	if step == nil || !slices.Contains(step.Factors, factor) {
		return nil, cognito.InvalidParameter(msgMFAInvalidAnswer)
	}
	return e.factorChallenge(ctx, si, factor)
}
