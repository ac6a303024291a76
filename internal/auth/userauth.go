package auth

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/userpool"
)

// Choice-based sign-in (USER_AUTH): the user names a first factor
// (PREFERRED_CHALLENGE) or picks one from the ones they may use
// (SELECT_CHALLENGE), then answers it. A password or SRP proof goes on as
// in the password flows, to MFA when it applies; a one-time code sent by
// e-mail (EMAIL_OTP) or SMS (SMS_OTP) is a first factor of its own, after
// which Cognito asks no MFA, since its MFA is defined as an addition to a
// password.

// Answers where the reference is silent; ours, in the style of Cognito's.
const (
	msgSelectAnswer       = "The ANSWER is not one of the available challenges for the user."
	msgPreferredChallenge = "Invalid PREFERRED_CHALLENGE: must be one of PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP, WEB_AUTHN."
)

// firstFactorMark is sealed before the name of a one-time-code challenge
// asked as a first factor, so that its session and that of the e-mail MFA
// challenge of the same name (EMAIL_OTP) never answer for each other.
const firstFactorMark = "first:"

// otpFactors maps each one-time-code first factor to the MFA factor whose
// code it sends and checks: the codes, their messages, their attempts and
// their single use are the same (userpool/mfa.go).
var otpFactors = map[string]string{
	cognito.ChallengeNameTypeEmailOtp: userpool.MFAEmail,
	cognito.ChallengeNameTypeSmsOtp:   userpool.MFASMS,
}

// userAuthSignIn runs USER_AUTH's first step for InitiateAuth and
// AdminInitiateAuth. PASSWORD and PASSWORD_SRP are answered at once, as
// USER_PASSWORD_AUTH and USER_SRP_AUTH would be; a preferred one-time
// code is sent when the user may sign in with it; anything else, and a
// preferred factor the user cannot use, gets SELECT_CHALLENGE.
func (e *Engine) userAuthSignIn(ctx context.Context, si *signIn, p map[string]string) (*Result, error) {
	username, preferred := p["USERNAME"], p["PREFERRED_CHALLENGE"]
	if username == "" {
		return nil, cognito.InvalidParameter("Missing required parameter USERNAME")
	}
	switch preferred {
	case cognito.ChallengeNameTypePassword:
		return e.passwordSignIn(ctx, si, p)
	case cognito.ChallengeNameTypePasswordSrp:
		return e.srpSignIn(ctx, si, p)
	case "", cognito.ChallengeNameTypeEmailOtp, cognito.ChallengeNameTypeSmsOtp, cognito.ChallengeNameTypeWebAuthn:
	default:
		return nil, cognito.InvalidParameter(msgPreferredChallenge)
	}
	u, err := e.cfg.Users.LookupUser(ctx, si.pool, username)
	found := err == nil
	if err != nil && !errors.Is(err, cognito.UserNotFound("")) {
		return nil, err
	}
	if err := checkSecretHash(si.client, p["SECRET_HASH"], username, u.Username); err != nil {
		return nil, err
	}
	if !found && !si.client.PreventsExistenceErrors() {
		return nil, userNotFound(si.client)
	}
	// An unknown user, when the client prevents user-existence errors, is
	// answered as a user could be (simulated): their session has no sub,
	// and every answer to it fails as a wrong one would.
	si.user = u
	simulated := !found
	if simulated {
		si.user = store.User{Username: username}
	}
	available, err := e.firstChallenges(ctx, si, simulated)
	if err != nil {
		return nil, err
	}
	if preferred != "" && slices.Contains(available, preferred) {
		return e.firstFactorChallenge(ctx, si, preferred, simulated)
	}
	return &Result{
		ChallengeName:       cognito.ChallengeNameTypeSelectChallenge,
		ChallengeParameters: map[string]string{},
		AvailableChallenges: available,
		Session:             e.newSession(si.session(cognito.ChallengeNameTypeSelectChallenge), si.client.AuthSessionTTL()),
	}, nil
}

// openUserAuth resumes the sign-in a USER_AUTH challenge response is for
// (challenge is what its session was sealed for), as mfaUser does, and
// says whether it is a simulated one: a session without a sub, which only
// an unknown user's sign-in has.
func (e *Engine) openUserAuth(ctx context.Context, si *signIn, r ChallengeRequest, challenge string) (simulated bool, err error) {
	claim := peekSession(e, r.Session)
	if claim == nil || claim.Sub != "" {
		return false, e.mfaUser(ctx, si, r, challenge)
	}
	s, err := e.openSession(r.Session, si.client.Config.ClientID, si.prefix+challenge)
	if err != nil {
		return false, err
	}
	username := r.Responses["USERNAME"]
	if username == "" {
		return false, cognito.InvalidParameter("Missing required parameter USERNAME")
	}
	if s.Pool != si.pool.ID || username != s.Username {
		return false, cognito.NotAuthorized(msgSessionInvalid)
	}
	if err := checkSecretHash(si.client, r.Responses["SECRET_HASH"], username, ""); err != nil {
		return false, err
	}
	si.user = store.User{Username: username}
	si.resume(s)
	return true, nil
}

// firstChallenges lists the challenges the sign-in's user may choose as
// a first factor: PASSWORD and PASSWORD_SRP for the password, then the
// one-time codes the pool allows and the user can receive. A user whom
// MFA applies to, or who is not yet CONFIRMED (a temporary password to
// change, a reset under way), gets the password factors only: Cognito
// does not combine passwordless sign-in with MFA, and the other states
// are settled through the password. The exception is a passkey that is
// MFA itself (userpool.PasskeyIsMFA): signed with user verification, it
// is offered to a user whom MFA applies to, and satisfies it. A simulated
// sign-in is offered what the pool allows.
func (e *Engine) firstChallenges(ctx context.Context, si *signIn, simulated bool) ([]string, error) {
	factors, passwordOnly, passkeyMFA := userpool.SimulatedFirstAuthFactors(si.pool), false, false
	if !simulated {
		var err error
		if factors, err = e.cfg.Users.UserAuthFactors(ctx, si.pool, si.user); err != nil {
			return nil, err
		}
		passwordOnly = si.user.Status != cognito.UserStatusConfirmed
		if !passwordOnly {
			step, err := e.cfg.Users.MFAFor(ctx, si.pool, si.user)
			if err != nil {
				return nil, err
			}
			passwordOnly = step != nil
			// A passkey that satisfies MFA is still offered.
			if passwordOnly {
				if passkeyMFA, err = e.cfg.Users.PasskeyIsMFA(ctx, si.pool, si.user); err != nil {
					return nil, err
				}
			}
		}
	}
	var out []string
	for _, f := range factors {
		switch {
		case f == cognito.AuthFactorPassword:
			out = append(out, cognito.ChallengeNameTypePassword, cognito.ChallengeNameTypePasswordSrp)
		case !passwordOnly, f == cognito.AuthFactorWebAuthn && passkeyMFA:
			out = append(out, f)
		}
	}
	return out, nil
}

// otpChallenge sends a one-time code for factor (EMAIL_OTP or SMS_OTP) as
// the sign-in's first factor, valid as long as the challenge's session. A
// disabled or locked-out user gets no code; a simulated sign-in names
// where a code would have gone, and sends none.
func (e *Engine) otpChallenge(ctx context.Context, si *signIn, factor string, simulated bool) (*Result, error) {
	ttl := si.client.AuthSessionTTL()
	d := userpool.SimulatedCodeDelivery(si.pool.ID, si.user.Username, otpFactors[factor])
	if !simulated {
		if err := e.mayContinue(si.user); err != nil {
			return nil, err
		}
		var err error
		if d, err = e.cfg.Users.SendMFACode(ctx, si.pool, si.user, otpFactors[factor], ttl); err != nil {
			return nil, err
		}
	}
	return &Result{
		ChallengeName: factor,
		ChallengeParameters: map[string]string{
			"CODE_DELIVERY_DELIVERY_MEDIUM": d.DeliveryMedium,
			"CODE_DELIVERY_DESTINATION":     d.Destination,
		},
		Session: e.newSession(si.session(firstFactorMark+factor), ttl),
	}, nil
}

// respondSelectChallenge answers SELECT_CHALLENGE with the factor chosen
// (ANSWER), which must be one the user may still choose: a password
// (PASSWORD with the password itself, or PASSWORD_SRP with SRP_A) is
// checked or challenged at once, a one-time code is sent.
func (e *Engine) respondSelectChallenge(ctx context.Context, si *signIn, r ChallengeRequest) (*Result, error) {
	simulated, err := e.openUserAuth(ctx, si, r, r.Name)
	if err != nil {
		return nil, err
	}
	answer := r.Responses["ANSWER"]
	if answer == "" {
		return nil, cognito.InvalidParameter("Missing required parameter ANSWER")
	}
	available, err := e.firstChallenges(ctx, si, simulated)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(available, answer) {
		return nil, cognito.InvalidParameter(msgSelectAnswer)
	}
	switch answer {
	case cognito.ChallengeNameTypePassword:
		password := r.Responses["PASSWORD"]
		if password == "" {
			return nil, cognito.InvalidParameter("Missing required parameter PASSWORD")
		}
		if simulated {
			// What a wrong password costs, as verifyPassword does for
			// an unknown user.
			time.Sleep(time.Duration(e.attemptCost.Load()))
			e.cfg.Users.CheckPassword(store.User{}, password)
			return nil, cognito.NotAuthorized(msgIncorrect)
		}
		err := e.passwordAttempt(ctx, si, si.user.Sub, func(u store.User) bool { return e.cfg.Users.CheckPassword(u, password) })
		if err != nil {
			return nil, err
		}
		if err := e.firstFactorPassed(ctx, si); err != nil {
			return nil, err
		}
		return e.afterFirstFactor(ctx, si, r.Responses["DEVICE_KEY"])
	case cognito.ChallengeNameTypePasswordSrp:
		return e.srpSignIn(ctx, si, r.Responses)
	case cognito.ChallengeNameTypeWebAuthn:
		// With the passkey's answer already (CREDENTIAL), to options an
		// earlier WEB_AUTHN challenge gave, the sign-in ends in this round.
		if credential := r.Responses["CREDENTIAL"]; credential != "" {
			return e.passkeySignIn(ctx, si, credential, r.Responses["DEVICE_KEY"], simulated)
		}
	}
	return e.firstFactorChallenge(ctx, si, answer, simulated)
}

// respondPasswordChoice answers SELECT_CHALLENGE's session under the name
// of the password factor chosen (PASSWORD with PASSWORD, PASSWORD_SRP
// with SRP_A), as some clients send it: the same as SELECT_CHALLENGE with
// that ANSWER.
func (e *Engine) respondPasswordChoice(ctx context.Context, si *signIn, r ChallengeRequest) (*Result, error) {
	responses := make(map[string]string, len(r.Responses)+1)
	for k, v := range r.Responses {
		responses[k] = v
	}
	responses["ANSWER"] = r.Name
	r.Name, r.Responses = cognito.ChallengeNameTypeSelectChallenge, responses
	return e.respondSelectChallenge(ctx, si, r)
}

// firstFactorChallenge asks the challenge of a first factor chosen or
// preferred: a passkey's, or a one-time code's.
func (e *Engine) firstFactorChallenge(ctx context.Context, si *signIn, factor string, simulated bool) (*Result, error) {
	if factor == cognito.ChallengeNameTypeWebAuthn {
		return e.webAuthnChallenge(ctx, si)
	}
	return e.otpChallenge(ctx, si, factor, simulated)
}

// respondEmailOTP answers EMAIL_OTP, which names two challenges: the
// e-mailed code of a USER_AUTH first factor and that of e-mail MFA. The
// session says which it was asked as.
func (e *Engine) respondEmailOTP(ctx context.Context, si *signIn, r ChallengeRequest) (*Result, error) {
	if s := peekSession(e, r.Session); s != nil && s.Challenge == si.prefix+firstFactorMark+r.Name {
		return e.respondOTP(ctx, si, r)
	}
	return e.respondFactor(ctx, si, r)
}

// respondOTP answers a one-time code asked as the first factor
// (EMAIL_OTP_CODE, SMS_OTP_CODE). A wrong code counts toward the lockout
// as a wrong password does; a right one is used up, and the sign-in goes
// on with the device named, without MFA.
func (e *Engine) respondOTP(ctx context.Context, si *signIn, r ChallengeRequest) (*Result, error) {
	simulated, err := e.openUserAuth(ctx, si, r, firstFactorMark+r.Name)
	if err != nil {
		return nil, err
	}
	key := r.Name + "_CODE"
	code := r.Responses[key]
	if code == "" {
		return nil, cognito.InvalidParameter("Missing required parameter " + key)
	}
	if simulated {
		// No code was sent: the check refuses any, as for a wrong one.
		if err := e.cfg.Users.CheckMFACode(ctx, si.pool, si.user, otpFactors[r.Name], code); err != nil {
			return nil, err
		}
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	err = e.countMFAAnswer(ctx, si, func() error {
		return e.cfg.Users.CheckMFACode(ctx, si.pool, si.user, otpFactors[r.Name], code)
	})
	if err != nil {
		return nil, err
	}
	if err := e.firstFactorPassed(ctx, si); err != nil {
		return nil, err
	}
	si.passwordless = true
	return e.nameDevice(ctx, si, r.Responses["DEVICE_KEY"])
}
