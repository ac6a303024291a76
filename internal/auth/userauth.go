package auth

import (
	"context"
	"errors"
	"slices"

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
	if !found {
		return nil, userNotFound(si.client)
	}
	si.user = u
	available, err := e.firstChallenges(ctx, si)
	if err != nil {
		return nil, err
	}
	if _, otp := otpFactors[preferred]; otp && slices.Contains(available, preferred) {
		return e.otpChallenge(ctx, si, preferred)
	}
	return &Result{
		ChallengeName:       cognito.ChallengeNameTypeSelectChallenge,
		ChallengeParameters: map[string]string{},
		AvailableChallenges: available,
		Session:             e.newSession(si.session(cognito.ChallengeNameTypeSelectChallenge), si.client.AuthSessionTTL()),
	}, nil
}

// firstChallenges lists the challenges the sign-in's user may choose as
// a first factor: PASSWORD and PASSWORD_SRP for the password, then the
// one-time codes the pool allows and the user can receive. A user whom
// MFA applies to, or who is not yet CONFIRMED (a temporary password to
// change, a reset under way), gets the password factors only: Cognito
// does not combine passwordless sign-in with MFA, and the other states
// are settled through the password.
func (e *Engine) firstChallenges(ctx context.Context, si *signIn) ([]string, error) {
	passwordOnly := si.user.Status != cognito.UserStatusConfirmed
	if !passwordOnly {
		step, err := e.cfg.Users.MFAFor(ctx, si.pool, si.user)
		if err != nil {
			return nil, err
		}
		passwordOnly = step != nil
	}
	var out []string
	for _, f := range userpool.FirstAuthFactors(si.pool, si.user) {
		switch {
		case f == cognito.AuthFactorPassword:
			out = append(out, cognito.ChallengeNameTypePassword, cognito.ChallengeNameTypePasswordSrp)
		case !passwordOnly:
			out = append(out, f)
		}
	}
	return out, nil
}

// otpChallenge sends a one-time code for factor (EMAIL_OTP or SMS_OTP) as
// the sign-in's first factor, valid as long as the challenge's session. A
// disabled or locked-out user gets no code.
func (e *Engine) otpChallenge(ctx context.Context, si *signIn, factor string) (*Result, error) {
	if err := e.mayContinue(si.user); err != nil {
		return nil, err
	}
	ttl := si.client.AuthSessionTTL()
	d, err := e.cfg.Users.SendMFACode(ctx, si.pool, si.user, otpFactors[factor], ttl)
	if err != nil {
		return nil, err
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
	if err := e.mfaUser(ctx, si, r, r.Name); err != nil {
		return nil, err
	}
	answer := r.Responses["ANSWER"]
	if answer == "" {
		return nil, cognito.InvalidParameter("Missing required parameter ANSWER")
	}
	available, err := e.firstChallenges(ctx, si)
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
	}
	return e.otpChallenge(ctx, si, answer)
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
	if err := e.mfaUser(ctx, si, r, firstFactorMark+r.Name); err != nil {
		return nil, err
	}
	key := r.Name + "_CODE"
	code := r.Responses[key]
	if code == "" {
		return nil, cognito.InvalidParameter("Missing required parameter " + key)
	}
	err := e.countMFAAnswer(ctx, si, func() error {
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
