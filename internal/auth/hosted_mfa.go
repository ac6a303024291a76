package auth

import (
	"context"
	"slices"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/userpool"
)

// The hosted login page's MFA: the same gate and checks as the JSON
// API's (mfa.go, mfa_setup.go), asked as the page's steps. Its sessions
// are sealed with hostedChallenge before the challenge name, so neither
// door accepts the other's.

// hostedChallenge prefixes the challenge a hosted page's session is
// sealed for: the JSON API cannot answer it, nor the page an API session.
const hostedChallenge = "hosted:"

// Steps of the hosted page's MFA set-up that the JSON API has no
// challenge for, since an app asks its user itself: choosing what to set
// up, when the pool offers both authenticator apps and e-mail codes, and
// giving the e-mail address. They are sealed into the page's sessions as
// challenge names are.
const (
	HostedSetupChoice = cognito.ChallengeNameTypeMfaSetup + ":choose"
	HostedSetupEmail  = cognito.ChallengeNameTypeMfaSetup + ":email"
)

// MFAStep is the hosted form of an MFA challenge.
type MFAStep struct {
	// Session carries the sign-in to HostedMFA. It is sealed for the
	// hosted page only, like NewPasswordStep's.
	Session string
	// Challenge is SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP,
	// SELECT_MFA_TYPE, MFA_SETUP (an authenticator app's), or one of the
	// page's own set-up steps, HostedSetupChoice and HostedSetupEmail.
	Challenge string
	// Options are the factors a SELECT_MFA_TYPE or HostedSetupChoice step
	// offers.
	Options []string
	// Destination is where an SMS_MFA or EMAIL_OTP code went, masked.
	Destination string
	// SecretCode is the new authenticator secret an MFA_SETUP step shows
	// the user.
	SecretCode string
}

// hostedMFAStep is the MFA gate of the hosted page: the step a user who
// has passed their password must take, or nil.
func (e *Engine) hostedMFAStep(ctx context.Context, si *signIn) (*MFAStep, error) {
	r, step, err := e.mfaStep(ctx, si)
	if err != nil || r == nil {
		return nil, err
	}
	return e.hostedStep(ctx, si, r, step)
}

// hostedStep renders a challenge as the page's step. MFA_SETUP becomes
// the set-up of what the page can set up: an authenticator app, e-mail
// codes, or a choice of the two.
func (e *Engine) hostedStep(ctx context.Context, si *signIn, r *Result, step *userpool.MFAStep) (*MFAStep, error) {
	out := &MFAStep{Session: r.Session, Challenge: r.ChallengeName, Destination: r.ChallengeParameters["CODE_DELIVERY_DESTINATION"]}
	switch r.ChallengeName {
	case cognito.ChallengeNameTypeSelectMfaType:
		out.Options = step.Factors
	case cognito.ChallengeNameTypeMfaSetup:
		var can []string
		for _, f := range []string{userpool.MFASoftwareToken, userpool.MFAEmail} {
			if slices.Contains(step.Setup, f) {
				can = append(can, f)
			}
		}
		s := peekSession(e, r.Session)
		switch {
		case len(can) == 0 || s == nil:
			return nil, cognito.New(cognito.TypeMFAMethodNotFound, msgHostedNoSetup)
		case len(can) > 1:
			out.Challenge, out.Options = HostedSetupChoice, can
			out.Session = e.hostedReseal(*s, HostedSetupChoice)
		default:
			return e.hostedSetup(ctx, si, *s, can[0])
		}
	}
	return out, nil
}

// hostedSetup is the page's step that sets up factor: an authenticator
// app's key to enter (MFA_SETUP), or the form for the e-mail address.
func (e *Engine) hostedSetup(ctx context.Context, si *signIn, s session, factor string) (*MFAStep, error) {
	s.Event = si.event // the event this step goes on with (resumeSessionEvent)
	if factor == userpool.MFAEmail {
		return &MFAStep{Challenge: HostedSetupEmail, Session: e.hostedReseal(s, HostedSetupEmail)}, nil
	}
	secret, err := e.cfg.Users.AssociateSoftwareToken(ctx, si.pool, si.user)
	if err != nil {
		return nil, err
	}
	return &MFAStep{Challenge: cognito.ChallengeNameTypeMfaSetup, Session: e.hostedReseal(s, cognito.ChallengeNameTypeMfaSetup), SecretCode: secret}, nil
}

// hostedReseal seals a hosted MFA session again for another step of the
// same sign-in, keeping its expiry.
func (e *Engine) hostedReseal(s session, step string) string {
	s.Challenge = hostedChallenge + step
	return e.resealSession(s)
}

// HostedMFA answers a hosted MFA step for the app client clientID: a code
// for SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP, which signs the user in
// (an EMAIL_OTP code of an e-mail set-up also makes the address the
// user's e-mail and MFA); a factor for SELECT_MFA_TYPE, which leads to
// that factor's step, or for HostedSetupChoice, which leads to its
// set-up; an address for HostedSetupEmail, which sends a code there; or,
// for MFA_SETUP, a code from the authenticator the step showed the secret
// of, which makes it the user's MFA and signs them in. The checks,
// lockout included, are those of RespondToAuthChallenge.
func (e *Engine) HostedMFA(ctx context.Context, clientID, sess, challenge, answer string) (res *HostedResult, err error) {
	_, isFactor := codeResponses[challenge]
	switch {
	case isFactor, challenge == cognito.ChallengeNameTypeSelectMfaType, challenge == cognito.ChallengeNameTypeMfaSetup,
		challenge == HostedSetupChoice, challenge == HostedSetupEmail:
	default:
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	si, err := e.startHosted(ctx, clientID)
	if err != nil {
		return nil, err
	}
	e.resumeSessionEvent(ctx, si, sess)
	defer func() {
		step := stepNone
		if _, isFactor := codeResponses[challenge]; isFactor && answer != "" {
			step = stepMFA
		}
		e.recordSignIn(ctx, si, step, hostedEnded(res), err, true)
	}()
	if err := e.openMFASession(ctx, si, sess, challenge, challenge); err != nil {
		return nil, err
	}
	if err := e.mayContinue(si.user); err != nil {
		return nil, err
	}
	if answer == "" {
		return nil, cognito.InvalidParameter("Missing required parameter ANSWER")
	}
	step, err := e.hostedAnswer(ctx, si, challenge, answer)
	if err != nil {
		return nil, err
	}
	res = si.hostedResult()
	if res.MFA = step; step == nil {
		res.AuthTime = e.now()
	}
	return e.hostedDone(ctx, si, res)
}

// hostedAnswer takes one hosted MFA step's answer: the page's next step,
// or nil when the user has passed MFA.
func (e *Engine) hostedAnswer(ctx context.Context, si *signIn, challenge, answer string) (*MFAStep, error) {
	switch challenge {
	case cognito.ChallengeNameTypeSelectMfaType:
		r, err := e.selectFactor(ctx, si, selectAnswer(answer))
		if err != nil {
			return nil, err
		}
		return e.hostedStep(ctx, si, r, nil)
	case HostedSetupChoice:
		step, err := e.cfg.Users.MFAFor(ctx, si.pool, si.user)
		if err != nil {
			return nil, err
		}
		if step == nil || len(step.Factors) > 0 || !slices.Contains(step.Setup, answer) ||
			(answer != userpool.MFASoftwareToken && answer != userpool.MFAEmail) {
			return nil, cognito.InvalidParameter(msgMFAInvalidAnswer)
		}
		return e.hostedSetup(ctx, si, *si.sess, answer)
	case HostedSetupEmail:
		next, d, err := e.startEmailSetup(ctx, si, answer)
		if err != nil {
			return nil, err
		}
		return &MFAStep{Challenge: cognito.ChallengeNameTypeEmailOtp, Session: next, Destination: d.Destination}, nil
	case cognito.ChallengeNameTypeMfaSetup:
		if err := e.cfg.Users.VerifySoftwareToken(ctx, si.pool, si.user, answer, ""); err != nil {
			return nil, err
		}
		var err error
		si.user, err = e.cfg.Users.CompleteMFASetup(ctx, si.pool, si.user)
		return nil, err
	}
	return nil, e.checkMFAAnswer(ctx, si, challenge, answer)
}
