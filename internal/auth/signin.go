package auth

import (
	"context"
	"errors"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/userpool"
)

// signIn is one sign-in under way: the value every step works on, from
// InitiateAuth or the hosted login page through the challenges to the
// tokens. A step reads what it needs from it and records what it learns
// (the user, the device named, the session it was answered with), so the
// steps stay small and are put together by what each returns, rather
// than handing the pool, client, user and device down a chain of calls.
//
// A sign-in lives for one request. Between requests it travels in a
// sealed session (session.go), and each challenge response opens it again
// from there.
type signIn struct {
	pool   *cognito.UserPoolType
	client *userpool.AppClient
	// user is who is signing in, once a step has found them.
	user store.User
	// named is the user a password was typed for, found even when the
	// password turns out wrong: their auth event records the failure.
	named store.User
	// sender is who the request says the user is (events.go).
	sender Sender
	// dev is the device the sign-in named, carried in its sessions.
	dev namedDevice
	// prefix is "" at the JSON API and hostedChallenge on the hosted
	// login page: it is sealed into every challenge the sign-in is
	// asked, so that each door opens only its own sessions.
	prefix string
	// sess is the session of the challenge being answered; nil at the
	// first step.
	sess *session
	// passwordless says the first factor was a one-time code: no MFA
	// follows it (userauth.go).
	passwordless bool
	// validation is InitiateAuth's ClientMetadata, which
	// PreAuthentication receives as validationData; metadata is
	// RespondToAuthChallenge's, which the later triggers receive.
	validation, metadata map[string]string
	// tokenSource is the pre token generation source of the tokens the
	// sign-in ends with, when not Authentication.
	tokenSource string
	// custom says the sign-in is CUSTOM_AUTH, which goes back to
	// DefineAuthChallenge once SRP has proven the password (custom.go).
	custom bool
	// event is the id of the sign-in's auth event (events.go), sealed
	// into its sessions and SRP blocks; "" in a pool that keeps no
	// events, and for a session sealed before sessions carried it.
	event string
}

// start begins or resumes a sign-in at the JSON API for the app client a
// request names (and, for the admin actions, the pool it must belong to).
func (e *Engine) start(ctx context.Context, clientID, poolID string, admin bool) (*signIn, error) {
	pool, client, err := e.client(ctx, clientID, poolID, admin)
	if err != nil {
		return nil, err
	}
	return &signIn{pool: pool, client: client}, nil
}

// startHosted begins or resumes a sign-in on the hosted login page.
func (e *Engine) startHosted(ctx context.Context, clientID string) (*signIn, error) {
	si, err := e.start(ctx, clientID, "", false)
	if err != nil {
		return nil, err
	}
	si.prefix = hostedChallenge
	return si, nil
}

// session is the session of the sign-in's next challenge, as far as the
// sign-in itself says: its pool, client and user, and the challenge with
// the door's prefix. Steps add what only they know.
func (si *signIn) session(challenge string) session {
	return session{
		Pool: si.pool.ID, Client: si.client.Config.ClientID, Sub: si.user.Sub, Username: si.user.Username,
		Challenge: si.prefix + challenge, Event: si.event,
	}
}

// resume records the session a challenge was answered with: its device
// goes on with the sign-in.
func (si *signIn) resume(s *session) {
	si.sess, si.dev = s, s.device()
}

// The steps of a sign-in once the password is proven, in order: a new
// password when the one used was temporary (afterFirstFactor), the device
// named (nameDevice), MFA (mfaGate, mfa.go), the device's proof
// (secondFactorSettled, devices.go), and tokens (issueTokens).

// afterFirstFactor is where a sign-in goes once the password is proven:
// a user with a temporary password must choose a new one (and the device
// named, deviceKey, goes on with the sign-in after it); anyone else goes
// on to MFA and the device's proof (nameDevice).
func (e *Engine) afterFirstFactor(ctx context.Context, si *signIn, deviceKey string) (*Result, error) {
	if si.user.Status == cognito.UserStatusForceChangePassword {
		si.dev = namedDevice{Key: deviceKey}
		return e.newPasswordChallenge(si), nil
	}
	return e.nameDevice(ctx, si, deviceKey)
}

// nameDevice takes a sign-in whose first factor is complete to its next
// step, with the device it names. A DEVICE_KEY that names no device of
// the user answers ResourceNotFoundException "Device does not exist.", as
// Cognito does: amazon-cognito-identity-js and Amplify both catch exactly
// that, forget the device they kept and sign in again without it. In a
// pool that does not track devices (any more) the key is ignored.
func (e *Engine) nameDevice(ctx context.Context, si *signIn, deviceKey string) (*Result, error) {
	si.dev = namedDevice{}
	if deviceKey != "" && userpool.TracksDevices(si.pool) {
		d, err := e.cfg.Users.Device(ctx, si.pool.ID, si.user.Sub, deviceKey)
		if err != nil {
			return nil, err
		}
		si.dev.Key = d.Key
		if deviceReplacesMFA(si.pool, d) {
			return e.deviceChallenge(si, false), nil
		}
	}
	return e.mfaGate(ctx, si)
}

// mfaGate asks for MFA when it applies to the user (mfa.go), carrying the
// device in the challenge's session; otherwise, and after a passwordless
// first factor, the second factor is settled now.
func (e *Engine) mfaGate(ctx context.Context, si *signIn) (*Result, error) {
	if si.passwordless {
		return e.secondFactorSettled(ctx, si)
	}
	if r, _, err := e.mfaStep(ctx, si); r != nil || err != nil {
		return r, err
	}
	return e.secondFactorSettled(ctx, si)
}

// secondFactorSettled goes on with a sign-in that has passed MFA, or
// needed none: a device named and not yet proven proves itself now; else
// the sign-in ends with tokens. A device proven earlier in the sign-in
// and forgotten since binds nothing: the sign-in gets a new device.
func (e *Engine) secondFactorSettled(ctx context.Context, si *signIn) (*Result, error) {
	if si.dev.Key != "" && !si.dev.Proven && userpool.TracksDevices(si.pool) {
		return e.deviceChallenge(si, true), nil
	}
	if si.dev.Proven {
		_, err := e.cfg.Users.Device(ctx, si.pool.ID, si.user.Sub, si.dev.Key)
		switch {
		case errors.Is(err, cognito.ResourceNotFound("")):
			si.dev = namedDevice{}
		case err != nil:
			return nil, err
		}
	}
	return e.issueTokens(ctx, si)
}
