package auth

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/srp"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/tokens"
	"github.com/userpool/userpool/internal/triggers"
	"github.com/userpool/userpool/internal/userpool"
)

// Remembered devices in sign-in. In a pool with a DeviceConfiguration:
//
//   - a sign-in that no device proved is issued a new device key
//     (NewDeviceMetadata in AuthenticationResult) and its refresh token is
//     bound to that key; the app confirms the device with ConfirmDevice;
//   - a sign-in whose first factor names a confirmed device of the user
//     (DEVICE_KEY) passes MFA, if MFA applies, and then DEVICE_SRP_AUTH and
//     DEVICE_PASSWORD_VERIFIER, the device's proof of its secret, and its
//     refresh token is bound to that device. A remembered device replaces
//     MFA when the pool's ChallengeRequiredOnNewDevice is set: the device
//     proves itself right after the password, and MFA is asked only if
//     it has stopped being remembered by then;
//   - a refresh of a bound sign-in needs the device key (REFRESH_TOKEN_AUTH's
//     DEVICE_KEY, GetTokensFromRefreshToken's DeviceKey) and a device that
//     is still confirmed; ForgetDevice revokes the sign-ins bound to it.
//
// MFA before the device's proof is Cognito's order, and the one clients
// expect: amazon-cognito-identity-js and Amplify send DEVICE_KEY with
// their MFA answer and go on to DEVICE_SRP_AUTH when the answer asks for
// it, while neither reads a challenge after DEVICE_PASSWORD_VERIFIER.

// namedDevice is the device a sign-in under way named, carried from step
// to step in its sessions: Key is a confirmed device of the user, Proven
// says it has passed DEVICE_PASSWORD_VERIFIER in this sign-in. The zero
// value is a sign-in that named none.
type namedDevice struct {
	Key    string
	Proven bool
}

// deviceReplacesMFA reports whether a device stands in for the second
// factor: Cognito lets a remembered device do so when the pool's
// DeviceConfiguration has ChallengeRequiredOnNewDevice, and otherwise
// still asks for MFA. A device that is only confirmed (not remembered, in
// a pool that remembers on the user's word) never does. Whatever the
// flag, a device that is not remembered gets MFA wherever MFA applies to
// the user, and no more (docs/design.md).
func deviceReplacesMFA(pool *cognito.UserPoolType, d store.Device) bool {
	dc := pool.DeviceConfiguration
	return dc != nil && dc.ChallengeRequiredOnNewDevice != nil && *dc.ChallengeRequiredOnNewDevice && d.RememberedStatus == store.DeviceRemembered
}

// deviceFor is issueTokens' hook: the device key a new sign-in's refresh
// token is bound to, and the NewDeviceMetadata to return when it is a new
// device. A device proven in this sign-in binds it; otherwise, in a pool
// that tracks devices, a new key is issued (and stored only when the app
// confirms it); otherwise there is none.
func (e *Engine) deviceFor(pool *cognito.UserPoolType, u store.User, dev namedDevice) (key string, issued *cognito.NewDeviceMetadataType) {
	if dev.Proven {
		return dev.Key, nil
	}
	if !userpool.TracksDevices(pool) {
		return "", nil
	}
	return newDevice(pool, u)
}

// newDevice issues a device key to the user: NewDeviceMetadata, with the
// user's DeviceGroupKey.
func newDevice(pool *cognito.UserPoolType, u store.User) (string, *cognito.NewDeviceMetadataType) {
	key := userpool.NewDeviceKey(pool.ID)
	return key, &cognito.NewDeviceMetadataType{DeviceKey: key, DeviceGroupKey: userpool.DeviceGroupKey(pool.ID, u.Sub)}
}

// deviceChallenge asks the device named to prove itself (DEVICE_SRP_AUTH).
// settled records whether the second factor is settled; when it is not,
// the device is standing in for MFA.
func (e *Engine) deviceChallenge(si *signIn, settled bool) *Result {
	s := si.session(cognito.ChallengeNameTypeDeviceSrpAuth)
	s.Device, s.Settled = si.dev.Key, settled
	return &Result{
		ChallengeName:       cognito.ChallengeNameTypeDeviceSrpAuth,
		ChallengeParameters: map[string]string{"USERNAME": si.user.Username},
		Session:             e.newSession(s, si.client.AuthSessionTTL()),
	}
}

// respondDeviceSRPAuth answers DEVICE_SRP_AUTH: the device's SRP_A, to
// which the server answers DEVICE_PASSWORD_VERIFIER with the device's
// salt and its own SRP_B. Only a session from a sign-in whose password
// was proven gets here, so a device never signs a user in alone.
func (e *Engine) respondDeviceSRPAuth(ctx context.Context, si *signIn, r ChallengeRequest) (*Result, error) {
	pool, client := si.pool, si.client
	s, err := e.deviceSession(ctx, si, r.Session)
	if err != nil {
		return nil, err
	}
	if s.Pool != pool.ID {
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	username, deviceKey, srpA := r.Responses["USERNAME"], r.Responses["DEVICE_KEY"], r.Responses["SRP_A"]
	for _, m := range []struct{ name, value string }{{"USERNAME", username}, {"DEVICE_KEY", deviceKey}, {"SRP_A", srpA}} {
		if m.value == "" {
			return nil, cognito.InvalidParameter("Missing required parameter " + m.name)
		}
	}
	if err := checkSecretHash(client, r.Responses["SECRET_HASH"], username, s.Username); err != nil {
		return nil, err
	}
	u, err := e.cfg.Users.UserBySub(ctx, pool.ID, s.Sub)
	if err != nil {
		return nil, err
	}
	if named, err := e.cfg.Users.LookupUser(ctx, pool, username); err != nil || named.Sub != u.Sub {
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	if !u.Enabled {
		return nil, cognito.NotAuthorized(msgDisabled)
	}
	si.user = u
	d, err := e.cfg.Users.Device(ctx, pool.ID, u.Sub, deviceKey)
	if err != nil {
		return nil, err
	}
	if !sameKey(d.Key, s.Device) {
		// Another of the user's devices than the one the sign-in named.
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	srv, err := srp.NewServer(srpA, d.Verifier)
	if errors.Is(err, srp.ErrInvalidA) {
		return nil, cognito.InvalidParameter(msgInvalidSRPA)
	}
	if err != nil {
		return nil, err
	}
	block := e.sealBlock(srpBlock{
		Kind: blockDevice, Pool: pool.ID, Client: client.Config.ClientID, Sub: u.Sub, Username: u.Username,
		SRPA: srpA, B: srv.SecretB(), Salt: d.Salt, Device: d.Key, Settled: s.Settled, Event: si.event,
	})
	return &Result{
		ChallengeName: cognito.ChallengeNameTypeDevicePasswordVerifier,
		ChallengeParameters: map[string]string{
			"SALT":         srp.SaltHex(d.Salt),
			"SRP_B":        srv.B(),
			"SECRET_BLOCK": block,
			"USERNAME":     u.Username,
		},
		Session: e.newSession(si.session(cognito.ChallengeNameTypeDevicePasswordVerifier), client.AuthSessionTTL()),
	}, nil
}

// deviceSession opens the session DEVICE_SRP_AUTH is answered with: the
// one the challenge came with, or the session of the MFA challenge whose
// answer it was, once that answer is recorded as right (mfaPassed).
// amazon-cognito-identity-js sends the latter: after an MFA answer,
// sendMFACode goes on to DEVICE_SRP_AUTH without keeping the session the
// answer returned, and its device sign-ins after MFA depend on that
// session being taken. An MFA session not yet
// answered, or of another sign-in, is refused as any wrong session is.
func (e *Engine) deviceSession(ctx context.Context, si *signIn, raw string) (*session, error) {
	pool, client := si.pool, si.client
	s, err := e.openSession(raw, client.Config.ClientID, cognito.ChallengeNameTypeDeviceSrpAuth)
	if err == nil || !errors.Is(err, cognito.NotAuthorized(msgSessionInvalid)) {
		return s, err
	}
	m := peekSession(e, raw)
	if m == nil || m.ID == "" || m.Device == "" || m.DeviceProven || m.Pool != pool.ID || m.Client != client.Config.ClientID ||
		strings.HasPrefix(m.Challenge, hostedChallenge) {
		return nil, err
	}
	if !e.now().Before(time.UnixMilli(m.Expires)) {
		return nil, cognito.NotAuthorized(msgSessionExpired)
	}
	passed, perr := e.cfg.Users.MFAPassed(ctx, pool.ID, m.Sub, m.ID)
	if perr != nil {
		return nil, perr
	}
	if !passed {
		return nil, err
	}
	m.Challenge, m.Settled, m.ID = cognito.ChallengeNameTypeDeviceSrpAuth, true, ""
	return m, nil
}

// respondDevicePasswordVerifier answers DEVICE_PASSWORD_VERIFIER: the
// device's proof, signed with its DeviceGroupKey in the pool name's place
// and its DeviceKey as the user id. A wrong proof is not a wrong password,
// so it does not count towards the user's lockout.
func (e *Engine) respondDevicePasswordVerifier(ctx context.Context, si *signIn, r ChallengeRequest) (*Result, error) {
	pool, client := si.pool, si.client
	c, err := e.readClaim(r.Responses)
	if err != nil {
		return nil, err
	}
	deviceKey := r.Responses["DEVICE_KEY"]
	if deviceKey == "" {
		return nil, cognito.InvalidParameter("Missing required parameter DEVICE_KEY")
	}
	b, sealed, err := e.openBlock(c.block, pool, client, blockDevice)
	if err != nil {
		return nil, err
	}
	if err := checkSecretHash(client, r.Responses["SECRET_HASH"], c.username, b.Username); err != nil {
		return nil, err
	}
	if !sameKey(deviceKey, b.Device) {
		return nil, cognito.NotAuthorized(msgIncorrect)
	}
	u, err := e.cfg.Users.UserBySub(ctx, pool.ID, b.Sub)
	if errors.Is(err, cognito.UserNotFound("")) {
		return nil, cognito.NotAuthorized(msgIncorrect)
	}
	if err != nil {
		return nil, err
	}
	if named, err := e.cfg.Users.LookupUser(ctx, pool, c.username); err != nil || named.Sub != u.Sub {
		return nil, cognito.NotAuthorized(msgIncorrect)
	}
	d, err := e.cfg.Users.Device(ctx, pool.ID, u.Sub, b.Device)
	if errors.Is(err, cognito.ResourceNotFound("")) {
		// Forgotten since the challenge.
		return nil, cognito.NotAuthorized(msgIncorrect)
	}
	if err != nil {
		return nil, err
	}
	if !sameKey(string(d.Salt), string(b.Salt)) {
		return nil, cognito.NotAuthorized(msgIncorrect)
	}
	srv, err := srp.NewServerWithB(b.SRPA, d.Verifier, b.B)
	if err != nil || !srv.Verify(d.GroupKey, d.Key, sealed, c.timestamp, c.signature) {
		return nil, cognito.NotAuthorized(msgIncorrect)
	}
	si.user = u
	if err := e.firstFactorPassed(ctx, si); err != nil {
		return nil, err
	}
	if err := e.cfg.Users.DeviceAuthenticated(ctx, pool.ID, u.Sub, d.Key); err != nil {
		return nil, err
	}
	si.dev = namedDevice{Key: d.Key, Proven: true}
	si.tokenSource = triggers.TokenAuthenticateDevice
	if b.Settled || deviceReplacesMFA(pool, d) {
		return e.issueTokens(ctx, si)
	}
	// The device stood in for MFA, and is no longer remembered.
	return e.mfaGate(ctx, si)
}

// refreshDevice is the device a GetTokensFromRefreshToken of a sign-in
// bound to none stands for, in a pool that tracks devices: Cognito's
// documentation says that when the request names no registered device
// it issues a new one. So the request's DeviceKey, when it names a
// confirmed device of the user, is the device of the new tokens (their
// device_key); otherwise a new device is issued (NewDeviceMetadata) and
// the new access token carries its key, so that ConfirmDevice can
// register it. It returns fam with that device, for minting.
//
// The sign-in itself stays bound to no device: its refresh tokens go on
// working without a key, as they did. Amplify, for one, ignores
// NewDeviceMetadata in a refresh's answer, so binding the sign-in to a
// device issued there would end its sessions at the next refresh.
func (e *Engine) refreshDevice(ctx context.Context, pool *cognito.UserPoolType, u store.User, fam store.RefreshFamily, given string) (store.RefreshFamily, *cognito.NewDeviceMetadataType, error) {
	if fam.DeviceKey != "" || !userpool.TracksDevices(pool) {
		return fam, nil, nil
	}
	if given != "" {
		d, err := e.cfg.Users.Device(ctx, pool.ID, u.Sub, given)
		if err == nil {
			fam.DeviceKey = d.Key
			return fam, nil, nil
		}
		if !errors.Is(err, cognito.ResourceNotFound("")) {
			return fam, nil, err
		}
	}
	key, issued := newDevice(pool, u)
	fam.DeviceKey = key
	return fam, issued, nil
}

// checkRefreshDevice enforces a sign-in's device binding on a refresh: a
// family bound to a device refreshes only with that device's key, and
// only while the device is confirmed. Anything else is, as on Cognito,
// "Invalid Refresh Token." A key given for a family bound to none is
// ignored.
func (e *Engine) checkRefreshDevice(ctx context.Context, fam store.RefreshFamily, given string) error {
	if fam.DeviceKey == "" {
		return nil
	}
	if !sameKey(given, fam.DeviceKey) {
		return cognito.NotAuthorized(tokens.ErrRefreshInvalid.Error())
	}
	_, err := e.cfg.Users.Device(ctx, fam.PoolID, fam.Sub, fam.DeviceKey)
	if errors.Is(err, cognito.ResourceNotFound("")) {
		return cognito.NotAuthorized(tokens.ErrRefreshInvalid.Error())
	}
	return err
}
