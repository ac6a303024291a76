package auth

import (
	"context"
	"errors"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/srp"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/tokens"
	"github.com/userpool/userpool/internal/userpool"
)

// Remembered devices in sign-in. In a pool with a DeviceConfiguration:
//
//   - a sign-in that no device proved is issued a new device key
//     (NewDeviceMetadata in AuthenticationResult) and its refresh token is
//     bound to that key; the app confirms the device with ConfirmDevice;
//   - a sign-in whose first factor names a confirmed device of the user
//     (DEVICE_KEY) goes on with DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER,
//     the device's proof of its secret, and its refresh token is bound to
//     that device;
//   - a refresh of a bound sign-in needs the device key (REFRESH_TOKEN_AUTH's
//     DEVICE_KEY, GetTokensFromRefreshToken's DeviceKey) and a device that
//     is still confirmed; ForgetDevice revokes the sign-ins bound to it.

// deviceCtxKey carries, through signIn, the device that proved itself in
// this sign-in (DEVICE_PASSWORD_VERIFIER).
type deviceCtxKey struct{}

type provenDevice struct {
	key        string
	remembered bool
}

func withProvenDevice(ctx context.Context, d store.Device) context.Context {
	return context.WithValue(ctx, deviceCtxKey{}, provenDevice{key: d.Key, remembered: d.RememberedStatus == store.DeviceRemembered})
}

// rememberedDeviceSignIn reports whether the sign-in under way was proven
// by a remembered device. Cognito lets such a sign-in skip MFA; the MFA
// gate may ask this.
func rememberedDeviceSignIn(ctx context.Context) bool {
	d, ok := ctx.Value(deviceCtxKey{}).(provenDevice)
	return ok && d.remembered
}

// deviceReplacesMFA reports whether the remembered device the user just
// proved stands in for the second factor: Cognito lets it when the pool's
// DeviceConfiguration has ChallengeRequiredOnNewDevice, and otherwise
// still asks for MFA.
func deviceReplacesMFA(ctx context.Context, pool *cognito.UserPoolType) bool {
	dc := pool.DeviceConfiguration
	return dc != nil && dc.ChallengeRequiredOnNewDevice != nil && *dc.ChallengeRequiredOnNewDevice && rememberedDeviceSignIn(ctx)
}

// signInDevice is signIn's hook: the device key a new sign-in's refresh
// token is bound to, and the NewDeviceMetadata to return when it is a new
// device. A device proven in this sign-in binds it; otherwise, in a pool
// that tracks devices, a new key is issued (and stored only when the app
// confirms it); otherwise there is none.
func (e *Engine) signInDevice(ctx context.Context, pool *cognito.UserPoolType, u store.User) (key string, issued *cognito.NewDeviceMetadataType) {
	if d, ok := ctx.Value(deviceCtxKey{}).(provenDevice); ok {
		return d.key, nil
	}
	if !userpool.TracksDevices(pool) {
		return "", nil
	}
	key = userpool.NewDeviceKey(pool.ID)
	return key, &cognito.NewDeviceMetadataType{DeviceKey: key, DeviceGroupKey: userpool.DeviceGroupKey(pool.ID, u.Sub)}
}

// afterFirstFactor is where a sign-in goes once the password is proven:
// a user with a temporary password must choose a new one; a user signing
// in from a device they confirmed proves the device (DEVICE_SRP_AUTH);
// anyone else is signed in (signIn, which applies MFA).
//
// A DEVICE_KEY that names no device of the user answers
// ResourceNotFoundException "Device does not exist.", as Cognito does:
// amazon-cognito-identity-js and Amplify both catch exactly that, forget
// the device they kept and sign in again without it. In a pool that does
// not track devices (any more) the key is ignored.
func (e *Engine) afterFirstFactor(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, u store.User, deviceKey string) (*Result, error) {
	if u.Status == cognito.UserStatusForceChangePassword {
		return e.newPasswordChallenge(pool, client, u), nil
	}
	if deviceKey != "" && userpool.TracksDevices(pool) {
		if _, err := e.cfg.Users.Device(ctx, pool.ID, u.Sub, deviceKey); err != nil {
			return nil, err
		}
		return &Result{
			ChallengeName:       cognito.ChallengeNameTypeDeviceSrpAuth,
			ChallengeParameters: map[string]string{"USERNAME": u.Username},
			Session: e.newSession(session{
				Pool: pool.ID, Client: client.Config.ClientID, Sub: u.Sub, Username: u.Username,
				Challenge: cognito.ChallengeNameTypeDeviceSrpAuth,
			}, client.AuthSessionTTL()),
		}, nil
	}
	return e.signIn(ctx, pool, client, u)
}

// respondDeviceSRPAuth answers DEVICE_SRP_AUTH: the device's SRP_A, to
// which the server answers DEVICE_PASSWORD_VERIFIER with the device's
// salt and its own SRP_B. Only a session from a sign-in whose password
// was proven gets here, so a device never signs a user in alone.
func (e *Engine) respondDeviceSRPAuth(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, r ChallengeRequest) (*Result, error) {
	s, err := e.openSession(r.Session, client.Config.ClientID, r.Name)
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
	d, err := e.cfg.Users.Device(ctx, pool.ID, u.Sub, deviceKey)
	if err != nil {
		return nil, err
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
		SRPA: srpA, B: srv.SecretB(), Salt: d.Salt, Device: d.Key,
	})
	return &Result{
		ChallengeName: cognito.ChallengeNameTypeDevicePasswordVerifier,
		ChallengeParameters: map[string]string{
			"SALT":         srp.SaltHex(d.Salt),
			"SRP_B":        srv.B(),
			"SECRET_BLOCK": block,
			"USERNAME":     u.Username,
		},
		Session: e.newSession(session{
			Pool: pool.ID, Client: client.Config.ClientID, Sub: u.Sub, Username: u.Username,
			Challenge: cognito.ChallengeNameTypeDevicePasswordVerifier,
		}, client.AuthSessionTTL()),
	}, nil
}

// respondDevicePasswordVerifier answers DEVICE_PASSWORD_VERIFIER: the
// device's proof, signed with its DeviceGroupKey in the pool name's place
// and its DeviceKey as the user id. A wrong proof is not a wrong password,
// so it does not count towards the user's lockout.
func (e *Engine) respondDevicePasswordVerifier(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, r ChallengeRequest) (*Result, error) {
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
	if u, err = e.firstFactorPassed(ctx, pool, u); err != nil {
		return nil, err
	}
	if err := e.cfg.Users.DeviceAuthenticated(ctx, pool.ID, u.Sub, d.Key); err != nil {
		return nil, err
	}
	return e.signIn(withProvenDevice(ctx, d), pool, client, u)
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
