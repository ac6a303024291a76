package api_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Remembered devices and MFA together. Cognito's order, which both
// JavaScript clients follow: the password, then MFA (answered with
// DEVICE_KEY), then the device's proof; a remembered device replaces MFA
// where the pool's ChallengeRequiredOnNewDevice says so.

// deviceMFASetup creates a pool that tracks and always remembers devices,
// with ChallengeRequiredOnNewDevice as given and optional TOTP MFA, and
// gives alice an authenticator she prefers and a confirmed device. It
// returns the authenticator's secret and the device.
func deviceMFASetup(t *testing.T, e *env, replaces bool) (string, *types.UserPoolClientType, string, devicesSecret) {
	t.Helper()
	pool, c := srpSetup(t, e, func(in *cip.CreateUserPoolInput) {
		in.DeviceConfiguration = &types.DeviceConfigurationType{ChallengeRequiredOnNewDevice: replaces}
	}, nil)
	mfaConfigure(t, e, pool, types.UserPoolMfaTypeOptional, "SOFTWARE_TOKEN_MFA")
	secret := mfaEnrollTOTP(t, e, aws.ToString(srpTokens(t, e, pool, c, "alice", tokensPassword).AccessToken), true)
	// The sign-in that registers the device passes MFA like any other.
	out, err := srpSignIn(t, e, pool, c, "alice", tokensPassword, nil)
	if err != nil || out.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa {
		t.Fatalf("sign-in without a device: %v, challenge %q", err, out.ChallengeName)
	}
	r := deviceMFAAnswer(t, e, c, out.Session, secret, "")
	d, _ := devicesConfirm(t, e, mfaWantTokens(t, e, r, nil))
	return pool, c, secret, d
}

// deviceMFAAnswer answers SOFTWARE_TOKEN_MFA with the current code (and
// DEVICE_KEY when given, as the clients send it), then moves the clock on
// so the next code differs.
func deviceMFAAnswer(t *testing.T, e *env, c *types.UserPoolClientType, session *string, secret, deviceKey string) *cip.RespondToAuthChallengeOutput {
	t.Helper()
	pairs := []string{"SOFTWARE_TOKEN_MFA_CODE", mfaCode(t, e, secret)}
	if deviceKey != "" {
		pairs = append(pairs, "DEVICE_KEY", deviceKey)
	}
	out, err := mfaRespond(e, c, types.ChallengeNameTypeSoftwareTokenMfa, session, "alice", pairs...)
	if err != nil {
		t.Fatalf("SOFTWARE_TOKEN_MFA: %v", err)
	}
	mfaNextStep(e)
	return out
}

// deviceProve answers DEVICE_SRP_AUTH (with its session) and
// DEVICE_PASSWORD_VERIFIER for the device, and returns the last answer.
func deviceProve(t *testing.T, e *env, c *types.UserPoolClientType, d devicesSecret, session *string) *cip.RespondToAuthChallengeOutput {
	t.Helper()
	s := devicesProof(t, c, d)
	ch, err := devicesSRPAuth(e, c, s, "alice", d, session)
	if err != nil || ch.ChallengeName != types.ChallengeNameTypeDevicePasswordVerifier {
		t.Fatalf("DEVICE_SRP_AUTH: %v, challenge %q", err, ch.ChallengeName)
	}
	out, err := srpRespond(e, c, types.ChallengeNameTypeDevicePasswordVerifier, devicesAnswer(t, e, s, d, ch.ChallengeParameters), ch.Session)
	if err != nil {
		t.Fatalf("DEVICE_PASSWORD_VERIFIER: %v", err)
	}
	return out
}

// deviceWantBound asserts tokens belong to the device: no new device, the
// access token names it, and the refresh token needs its key.
func deviceWantBound(t *testing.T, e *env, c *types.UserPoolClientType, r *types.AuthenticationResultType, d devicesSecret) {
	t.Helper()
	if r.NewDeviceMetadata != nil {
		t.Errorf("NewDeviceMetadata %+v for a device that proved itself", r.NewDeviceMetadata)
	}
	if got := tokensClaims(t, aws.ToString(r.AccessToken))["device_key"]; got != d.Key {
		t.Errorf("device_key %v, want %s", got, d.Key)
	}
	_, err := devicesRefresh(e, c, "alice", aws.ToString(r.RefreshToken), "")
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token.")
	if _, err := devicesRefresh(e, c, "alice", aws.ToString(r.RefreshToken), d.Key); err != nil {
		t.Errorf("refresh with the device key: %v", err)
	}
}

// deviceCount is how many devices alice has.
func deviceCount(t *testing.T, e *env, pool string) int {
	t.Helper()
	out, err := e.Client.AdminListDevices(e.ctx(), &cip.AdminListDevicesInput{UserPoolId: aws.String(pool), Username: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	return len(out.Devices)
}

// Without ChallengeRequiredOnNewDevice, a confirmed device does not spare
// MFA: the MFA answer leads to the device's proof, and the tokens are
// bound to that device.
func TestDeviceSignInAfterMFA(t *testing.T) {
	e := newEnv(t)
	pool, c, secret, d := deviceMFASetup(t, e, false)

	out, err := srpSignIn(t, e, pool, c, "alice", tokensPassword, map[string]string{"DEVICE_KEY": d.Key})
	if err != nil || out.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa {
		t.Fatalf("SRP with a confirmed device: %v, challenge %q, want SOFTWARE_TOKEN_MFA", err, out.ChallengeName)
	}
	next := deviceMFAAnswer(t, e, c, out.Session, secret, d.Key)
	if next.ChallengeName != types.ChallengeNameTypeDeviceSrpAuth || next.AuthenticationResult != nil || next.ChallengeParameters["USERNAME"] != "alice" {
		t.Fatalf("MFA answer = challenge %q %v, want DEVICE_SRP_AUTH", next.ChallengeName, next.ChallengeParameters)
	}
	r := mfaWantTokens(t, e, deviceProve(t, e, c, d, next.Session), nil)
	deviceWantBound(t, e, c, r, d)
	if n := deviceCount(t, e, pool); n != 1 {
		t.Errorf("%d devices after signing in with the confirmed one, want 1", n)
	}

	// USER_PASSWORD_AUTH names the device as DEVICE_KEY too.
	init, err := e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: c.ClientId,
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": tokensPassword, "DEVICE_KEY": d.Key},
	})
	if err != nil || init.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa {
		t.Fatalf("USER_PASSWORD_AUTH with DEVICE_KEY: %v, challenge %q", err, init.ChallengeName)
	}
	next = deviceMFAAnswer(t, e, c, init.Session, secret, "")
	if next.ChallengeName != types.ChallengeNameTypeDeviceSrpAuth {
		t.Fatalf("MFA answer = challenge %q, want DEVICE_SRP_AUTH", next.ChallengeName)
	}
	deviceWantBound(t, e, c, mfaWantTokens(t, e, deviceProve(t, e, c, d, next.Session), nil), d)

	// A user without MFA goes from the password to the device's proof.
	if _, err := e.Client.AdminSetUserMFAPreference(e.ctx(), &cip.AdminSetUserMFAPreferenceInput{
		UserPoolId: aws.String(pool), Username: aws.String("alice"), SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{},
	}); err != nil {
		t.Fatal(err)
	}
	out, err = srpSignIn(t, e, pool, c, "alice", tokensPassword, map[string]string{"DEVICE_KEY": d.Key})
	if err != nil || out.ChallengeName != types.ChallengeNameTypeDeviceSrpAuth {
		t.Fatalf("no MFA, confirmed device: %v, challenge %q, want DEVICE_SRP_AUTH", err, out.ChallengeName)
	}
	deviceWantBound(t, e, c, mfaWantTokens(t, e, deviceProve(t, e, c, d, out.Session), nil), d)
}

// With ChallengeRequiredOnNewDevice, a remembered device proves itself in
// MFA's place; a device that is not remembered, or stops being remembered
// before its proof, still gets MFA, and a sign-in with no device gets MFA
// as before.
func TestDeviceReplacesMFA(t *testing.T) {
	e := newEnv(t)
	pool, c, secret, d := deviceMFASetup(t, e, true)

	out, err := srpSignIn(t, e, pool, c, "alice", tokensPassword, map[string]string{"DEVICE_KEY": d.Key})
	if err != nil || out.ChallengeName != types.ChallengeNameTypeDeviceSrpAuth {
		t.Fatalf("remembered device: %v, challenge %q, want DEVICE_SRP_AUTH", err, out.ChallengeName)
	}
	deviceWantBound(t, e, c, mfaWantTokens(t, e, deviceProve(t, e, c, d, out.Session), nil), d)

	if out, _ := srpSignIn(t, e, pool, c, "alice", tokensPassword, nil); out.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa {
		t.Errorf("no device: challenge %q, want SOFTWARE_TOKEN_MFA", out.ChallengeName)
	}

	setStatus := func(status types.DeviceRememberedStatusType) {
		t.Helper()
		if _, err := e.Client.AdminUpdateDeviceStatus(e.ctx(), &cip.AdminUpdateDeviceStatusInput{
			UserPoolId: aws.String(pool), Username: aws.String("alice"), DeviceKey: aws.String(d.Key), DeviceRememberedStatus: status,
		}); err != nil {
			t.Fatal(err)
		}
	}

	// Stopped being remembered between the password and the proof: the
	// proof leads to MFA, whose answer ends the sign-in on the device.
	out, err = srpSignIn(t, e, pool, c, "alice", tokensPassword, map[string]string{"DEVICE_KEY": d.Key})
	if err != nil || out.ChallengeName != types.ChallengeNameTypeDeviceSrpAuth {
		t.Fatalf("remembered device: %v, challenge %q", err, out.ChallengeName)
	}
	setStatus(types.DeviceRememberedStatusTypeNotRemembered)
	proved := deviceProve(t, e, c, d, out.Session)
	if proved.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa {
		t.Fatalf("proof of a device no longer remembered = challenge %q, want SOFTWARE_TOKEN_MFA", proved.ChallengeName)
	}
	answered, err := mfaRespondTOTP(t, e, c, proved.Session, secret)
	deviceWantBound(t, e, c, mfaWantTokens(t, e, answered, err), d)

	// Not remembered: MFA, then the proof.
	out, err = srpSignIn(t, e, pool, c, "alice", tokensPassword, map[string]string{"DEVICE_KEY": d.Key})
	if err != nil || out.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa {
		t.Fatalf("device not remembered: %v, challenge %q, want SOFTWARE_TOKEN_MFA", err, out.ChallengeName)
	}
	next := deviceMFAAnswer(t, e, c, out.Session, secret, d.Key)
	if next.ChallengeName != types.ChallengeNameTypeDeviceSrpAuth {
		t.Fatalf("MFA answer = challenge %q, want DEVICE_SRP_AUTH", next.ChallengeName)
	}
	deviceWantBound(t, e, c, mfaWantTokens(t, e, deviceProve(t, e, c, d, next.Session), nil), d)

	// Remembered again, the device spares MFA again.
	setStatus(types.DeviceRememberedStatusTypeRemembered)
	out, err = srpSignIn(t, e, pool, c, "alice", tokensPassword, map[string]string{"DEVICE_KEY": d.Key})
	if err != nil || out.ChallengeName != types.ChallengeNameTypeDeviceSrpAuth {
		t.Fatalf("remembered again: %v, challenge %q", err, out.ChallengeName)
	}
}

// mfaRespondTOTP answers SOFTWARE_TOKEN_MFA with the current code.
func mfaRespondTOTP(t *testing.T, e *env, c *types.UserPoolClientType, session *string, secret string) (*cip.RespondToAuthChallengeOutput, error) {
	t.Helper()
	out, err := mfaRespond(e, c, types.ChallengeNameTypeSoftwareTokenMfa, session, "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaCode(t, e, secret))
	mfaNextStep(e)
	return out, err
}

// ChallengeRequiredOnNewDevice adds no MFA of its own: where MFA does not
// apply to a user, a new device signs in with the password alone.
func TestDeviceNewWithoutMFA(t *testing.T) {
	e := newEnv(t)
	pool, c := srpSetup(t, e, func(in *cip.CreateUserPoolInput) {
		in.DeviceConfiguration = &types.DeviceConfigurationType{ChallengeRequiredOnNewDevice: true}
	}, nil)
	mfaConfigure(t, e, pool, types.UserPoolMfaTypeOptional, "SOFTWARE_TOKEN_MFA")
	r := srpTokens(t, e, pool, c, "alice", tokensPassword)
	if r.NewDeviceMetadata == nil {
		t.Error("no NewDeviceMetadata for a new device")
	}
}

// The device's proof must be the device's the sign-in named, and the
// MFA answer cannot skip it.
func TestDeviceMFAErrors(t *testing.T) {
	e := newEnv(t)
	pool, c, secret, d := deviceMFASetup(t, e, false)
	// A second confirmed device of alice's.
	other, _ := devicesConfirm(t, e, mfaWantTokens(t, e, deviceMFAAnswer(t, e, c, mustChallenge(t, e, pool, c, nil), secret, ""), nil))

	out, err := srpSignIn(t, e, pool, c, "alice", tokensPassword, map[string]string{"DEVICE_KEY": d.Key})
	if err != nil || out.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa {
		t.Fatalf("%v, challenge %q", err, out.ChallengeName)
	}
	next := deviceMFAAnswer(t, e, c, out.Session, secret, d.Key)
	// The MFA session's answer was DEVICE_SRP_AUTH's session, which is
	// not a SOFTWARE_TOKEN_MFA session.
	_, err = mfaRespond(e, c, types.ChallengeNameTypeSoftwareTokenMfa, next.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaCode(t, e, secret))
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	// Another of alice's devices cannot prove itself in this sign-in.
	s := devicesProof(t, c, other)
	_, err = devicesSRPAuth(e, c, s, "alice", other, next.Session)
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	// The device named can.
	deviceWantBound(t, e, c, mfaWantTokens(t, e, deviceProve(t, e, c, d, next.Session), nil), d)

	// Forgotten between MFA and its proof: the device no longer exists.
	out, _ = srpSignIn(t, e, pool, c, "alice", tokensPassword, map[string]string{"DEVICE_KEY": d.Key})
	next = deviceMFAAnswer(t, e, c, out.Session, secret, d.Key)
	if _, err := e.Client.AdminForgetDevice(e.ctx(), &cip.AdminForgetDeviceInput{
		UserPoolId: aws.String(pool), Username: aws.String("alice"), DeviceKey: aws.String(d.Key),
	}); err != nil {
		t.Fatal(err)
	}
	_, err = devicesSRPAuth(e, c, devicesProof(t, c, d), "alice", d, next.Session)
	wantAPIError(t, err, "ResourceNotFoundException", "Device does not exist.")
}

// mustChallenge runs an SRP sign-in of alice that must stop at a
// challenge, and returns its session.
func mustChallenge(t *testing.T, e *env, pool string, c *types.UserPoolClientType, extra map[string]string) *string {
	t.Helper()
	out, err := srpSignIn(t, e, pool, c, "alice", tokensPassword, extra)
	if err != nil || out.ChallengeName == "" {
		t.Fatalf("SRP sign-in: %v, challenge %q", err, out.ChallengeName)
	}
	return out.Session
}

// amazon-cognito-identity-js answers DEVICE_SRP_AUTH with the session of
// the MFA challenge it answered (sendMFACode does not keep the new one):
// that session proves the device once, and only once, its MFA answer was
// right.
func TestDeviceProofWithMFASession(t *testing.T) {
	e := newEnv(t)
	pool, c, secret, d := deviceMFASetup(t, e, false)
	other, _ := devicesConfirm(t, e, mfaWantTokens(t, e, deviceMFAAnswer(t, e, c, mustChallenge(t, e, pool, c, nil), secret, ""), nil))

	mfaSession := mustChallenge(t, e, pool, c, map[string]string{"DEVICE_KEY": d.Key})
	// Not answered yet: no proof with it.
	_, err := devicesSRPAuth(e, c, devicesProof(t, c, d), "alice", d, mfaSession)
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	// A wrong answer does not open it either.
	_, err = mfaRespond(e, c, types.ChallengeNameTypeSoftwareTokenMfa, mfaSession, "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaWrong(t, e, secret), "DEVICE_KEY", d.Key)
	wantAPIError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	_, err = devicesSRPAuth(e, c, devicesProof(t, c, d), "alice", d, mfaSession)
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")

	if next := deviceMFAAnswer(t, e, c, mfaSession, secret, d.Key); next.ChallengeName != types.ChallengeNameTypeDeviceSrpAuth {
		t.Fatalf("MFA answer = challenge %q, want DEVICE_SRP_AUTH", next.ChallengeName)
	}
	// Another of alice's devices cannot use it.
	_, err = devicesSRPAuth(e, c, devicesProof(t, c, other), "alice", other, mfaSession)
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	// Another client cannot.
	_, err = devicesSRPAuth(e, srpClientFor(t, e, pool, nil), devicesProof(t, c, d), "alice", d, mfaSession)
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	// The device named can, and signs in without MFA again.
	deviceWantBound(t, e, c, mfaWantTokens(t, e, deviceProve(t, e, c, d, mfaSession), nil), d)

	// A later sign-in's answer replaces the mark: the earlier session no
	// longer opens.
	second := mustChallenge(t, e, pool, c, map[string]string{"DEVICE_KEY": d.Key})
	deviceMFAAnswer(t, e, c, second, secret, d.Key)
	_, err = devicesSRPAuth(e, c, devicesProof(t, c, d), "alice", d, mfaSession)
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	// And it expires with its session.
	e.Clock.Advance(3 * time.Minute)
	_, err = devicesSRPAuth(e, c, devicesProof(t, c, d), "alice", d, second)
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
}
