package api_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestInitiateAuthRememberedDevice is the remembered-device life: a first
// sign-in is issued a device, bound to its refresh token; the app confirms
// it; the next sign-in proves the device with DEVICE_SRP_AUTH and is bound
// to it too; refreshes need the device key.
func TestInitiateAuthRememberedDevice(t *testing.T) {
	e := newEnv(t)
	pool, client := devicesSetup(t, e, false, nil)

	first := srpTokens(t, e, pool, client, "alice", tokensPassword)
	m := first.NewDeviceMetadata
	if m == nil {
		t.Fatal("no NewDeviceMetadata in a pool that tracks devices")
	}
	if !devicesKeyRE.MatchString(aws.ToString(m.DeviceKey)) || aws.ToString(m.DeviceGroupKey) == "" {
		t.Errorf("NewDeviceMetadata %q / %q", aws.ToString(m.DeviceKey), aws.ToString(m.DeviceGroupKey))
	}
	if got := tokensClaims(t, aws.ToString(first.AccessToken))["device_key"]; got != aws.ToString(m.DeviceKey) {
		t.Errorf("access token device_key = %v, want %s", got, aws.ToString(m.DeviceKey))
	}
	d, confirmed := devicesConfirm(t, e, first)
	if confirmed.UserConfirmationNecessary {
		t.Error("UserConfirmationNecessary = true without DeviceOnlyRememberedOnUserPrompt")
	}

	// The first sign-in's refresh token is bound to its device.
	_, err := devicesRefresh(e, client, "alice", aws.ToString(first.RefreshToken), "")
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token.")
	_, err = devicesRefresh(e, client, "alice", aws.ToString(first.RefreshToken), "us-east-1_00000000-0000-4000-8000-000000000000")
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token.")
	refreshed, err := devicesRefresh(e, client, "alice", aws.ToString(first.RefreshToken), d.Key)
	if err != nil {
		t.Fatalf("REFRESH_TOKEN_AUTH with the device key: %v", err)
	}
	if refreshed.NewDeviceMetadata != nil || refreshed.RefreshToken != nil {
		t.Errorf("refresh answered NewDeviceMetadata %v, refresh token %v", refreshed.NewDeviceMetadata, refreshed.RefreshToken)
	}
	if got := tokensClaims(t, aws.ToString(refreshed.AccessToken))["device_key"]; got != d.Key {
		t.Errorf("refreshed access token device_key = %v", got)
	}

	// The next sign-in from the device proves it, and gets no new one.
	e.Clock.Advance(time.Minute)
	out, err := devicesSignIn(t, e, pool, client, "alice", tokensPassword, d)
	if err != nil {
		t.Fatalf("sign-in from the remembered device: %v", err)
	}
	second := out.AuthenticationResult
	if second == nil {
		t.Fatalf("DEVICE_PASSWORD_VERIFIER answered %q, want tokens", out.ChallengeName)
	}
	if second.NewDeviceMetadata != nil {
		t.Errorf("a sign-in from a remembered device was issued a new one: %+v", second.NewDeviceMetadata)
	}
	if got := tokensClaims(t, aws.ToString(second.AccessToken))["device_key"]; got != d.Key {
		t.Errorf("access token device_key = %v, want %s", got, d.Key)
	}
	tokensWantValid(t, e, aws.ToString(second.AccessToken))
	if _, err := devicesRefresh(e, client, "alice", aws.ToString(second.RefreshToken), d.Key); err != nil {
		t.Errorf("refresh of the device sign-in: %v", err)
	}
	_, err = devicesRefresh(e, client, "alice", aws.ToString(second.RefreshToken), "")
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token.")

	// The device's last authentication is the second sign-in.
	got, err := e.Client.GetDevice(e.ctx(), &cip.GetDeviceInput{AccessToken: second.AccessToken, DeviceKey: aws.String(d.Key)})
	if err != nil {
		t.Fatal(err)
	}
	if last := aws.ToTime(got.Device.DeviceLastAuthenticatedDate); !last.Equal(e.Clock.Now()) {
		t.Errorf("DeviceLastAuthenticatedDate = %v, want %v", last, e.Clock.Now())
	}

	// Without DEVICE_KEY the sign-in is a new device's, of the same group.
	fresh := srpTokens(t, e, pool, client, "alice", tokensPassword)
	if fresh.NewDeviceMetadata == nil || aws.ToString(fresh.NewDeviceMetadata.DeviceKey) == d.Key {
		t.Errorf("sign-in without DEVICE_KEY: NewDeviceMetadata %+v", fresh.NewDeviceMetadata)
	} else if g := aws.ToString(fresh.NewDeviceMetadata.DeviceGroupKey); g != d.GroupKey {
		t.Errorf("DeviceGroupKey %q, want the user's %q", g, d.GroupKey)
	}
	// A key that is none of the user's devices is refused as Cognito
	// refuses it, after the password: the JS clients catch exactly this,
	// forget the key and answer again without it, which then succeeds.
	s := srpNew(t, pool, client, "alice", tokensPassword)
	resp := srpAnswer(t, e, s, srpChallenge(t, e, client, s, nil).ChallengeParameters)
	resp["DEVICE_KEY"] = "us-east-1_00000000-0000-4000-8000-000000000000"
	_, err = srpRespond(e, client, types.ChallengeNameTypePasswordVerifier, resp, nil)
	wantAPIError(t, err, "ResourceNotFoundException", "Device does not exist.")
	delete(resp, "DEVICE_KEY")
	if retried, err := srpRespond(e, client, types.ChallengeNameTypePasswordVerifier, resp, nil); err != nil || retried.AuthenticationResult == nil {
		t.Errorf("the same answer without DEVICE_KEY: %v", err)
	}
	// A wrong password with such a key hears about the password.
	s = srpNew(t, pool, client, "alice", tokensWrongPassword)
	resp = srpAnswer(t, e, s, srpChallenge(t, e, client, s, nil).ChallengeParameters)
	resp["DEVICE_KEY"] = "us-east-1_00000000-0000-4000-8000-000000000000"
	_, err = srpRespond(e, client, types.ChallengeNameTypePasswordVerifier, resp, nil)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")

	// DEVICE_KEY in InitiateAuth counts for nothing: the answer's does.
	s = srpNew(t, pool, client, "alice", tokensPassword)
	ch := srpChallenge(t, e, client, s, map[string]string{"DEVICE_KEY": d.Key})
	next, err := srpRespond(e, client, types.ChallengeNameTypePasswordVerifier, srpAnswer(t, e, s, ch.ChallengeParameters), nil)
	if err != nil || next.AuthenticationResult == nil || next.AuthenticationResult.NewDeviceMetadata == nil {
		t.Errorf("DEVICE_KEY in InitiateAuth only: %v, challenge %q", err, next.ChallengeName)
	}
}

// TestInitiateAuthDeviceUserPasswordAuth: device tracking applies to
// USER_PASSWORD_AUTH too, whose refresh tokens are bound to the device
// issued; a pool without device tracking issues none.
func TestInitiateAuthDeviceUserPasswordAuth(t *testing.T) {
	e := newEnv(t)
	pool, client := devicesSetup(t, e, false, nil)
	r := signInUser(t, e, pool, client, "alice", tokensPassword)
	d, _ := devicesConfirm(t, e, r)
	_, err := devicesRefresh(e, client, "alice", aws.ToString(r.RefreshToken), "")
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token.")
	if _, err := devicesRefresh(e, client, "alice", aws.ToString(r.RefreshToken), d.Key); err != nil {
		t.Errorf("refresh with the device key: %v", err)
	}

	plain, plainClient := srpSetup(t, e, nil, nil)
	r = signInUser(t, e, plain, plainClient, "alice", tokensPassword)
	if r.NewDeviceMetadata != nil {
		t.Errorf("NewDeviceMetadata %+v without device tracking", r.NewDeviceMetadata)
	}
	// A DEVICE_KEY sent for a sign-in bound to no device is ignored.
	if _, err := devicesRefresh(e, plainClient, "alice", aws.ToString(r.RefreshToken), d.Key); err != nil {
		t.Errorf("refresh of an unbound sign-in with a DEVICE_KEY: %v", err)
	}
}

// TestInitiateAuthDeviceUnconfirmed: a device nobody confirmed cannot
// refresh, as on Cognito, whatever key is sent.
func TestInitiateAuthDeviceUnconfirmed(t *testing.T) {
	e := newEnv(t)
	pool, client := devicesSetup(t, e, false, nil)
	r := srpTokens(t, e, pool, client, "alice", tokensPassword)
	_, err := devicesRefresh(e, client, "alice", aws.ToString(r.RefreshToken), aws.ToString(r.NewDeviceMetadata.DeviceKey))
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token.")
	// The tokens themselves work.
	tokensWantValid(t, e, aws.ToString(r.AccessToken))
}
