package auth

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// The WEB_AUTHN challenge of choice-based sign-in: the user signs in with
// a passkey (userpool/passkeys.go keeps the challenge and checks the
// answer). Like a one-time code, a passkey is a first factor no MFA
// follows.

// webAuthnChallenge asks the sign-in's user for a passkey, with the
// options their browser needs (CREDENTIAL_REQUEST_OPTIONS). A disabled or
// locked-out user is refused.
func (e *Engine) webAuthnChallenge(ctx context.Context, si *signIn) (*Result, error) {
	if err := e.mayContinue(si.user); err != nil {
		return nil, err
	}
	ttl := si.client.AuthSessionTTL()
	options, err := e.cfg.Users.PasskeyLoginOptions(ctx, si.pool, si.user, ttl)
	if err != nil {
		return nil, err
	}
	return &Result{
		ChallengeName:       cognito.ChallengeNameTypeWebAuthn,
		ChallengeParameters: map[string]string{"CREDENTIAL_REQUEST_OPTIONS": options, "USERNAME": si.user.Username},
		Session:             e.newSession(si.session(firstFactorMark+cognito.ChallengeNameTypeWebAuthn), ttl),
	}, nil
}

// respondWebAuthn answers WEB_AUTHN with the passkey's signature
// (CREDENTIAL, an AuthenticationResponseJSON). A right one goes on with
// the device named, without MFA.
func (e *Engine) respondWebAuthn(ctx context.Context, si *signIn, r ChallengeRequest) (*Result, error) {
	simulated, err := e.openUserAuth(ctx, si, r, firstFactorMark+r.Name)
	if err != nil {
		return nil, err
	}
	credential := r.Responses["CREDENTIAL"]
	if credential == "" {
		return nil, cognito.InvalidParameter("Missing required parameter CREDENTIAL")
	}
	return e.passkeySignIn(ctx, si, credential, r.Responses["DEVICE_KEY"], simulated)
}

// passkeySignIn checks a passkey's answer (CREDENTIAL) to the user's live
// WEB_AUTHN challenge and goes on with the device named, without MFA.
func (e *Engine) passkeySignIn(ctx context.Context, si *signIn, credential, deviceKey string, simulated bool) (*Result, error) {
	if simulated {
		// Never asked: an unknown user is offered no passkey.
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	if err := e.cfg.Users.VerifyPasskeyLogin(ctx, si.pool, si.user, credential); err != nil {
		return nil, err
	}
	if err := e.firstFactorPassed(ctx, si); err != nil {
		return nil, err
	}
	si.passwordless = true
	return e.nameDevice(ctx, si, deviceKey)
}
