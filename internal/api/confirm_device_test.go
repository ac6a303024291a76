package api_test

import (
	"encoding/base64"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestConfirmDevice(t *testing.T) {
	e := newEnv(t)
	pool, client := devicesSetup(t, e, false, nil)
	r := srpTokens(t, e, pool, client, "alice", tokensPassword)
	d, out := devicesConfirm(t, e, r)
	if out.UserConfirmationNecessary {
		t.Error("UserConfirmationNecessary = true, want false: the pool remembers devices at once")
	}
	got, err := e.Client.AdminGetDevice(e.ctx(), &cip.AdminGetDeviceInput{
		UserPoolId: aws.String(pool), Username: aws.String("alice"), DeviceKey: aws.String(d.Key),
	})
	if err != nil {
		t.Fatal(err)
	}
	attrs := devicesAttrs(got.Device)
	if attrs["dev:device_remembered_status"] != "remembered" || attrs["device_name"] != "Test device" {
		t.Errorf("device attributes %v", attrs)
	}
	created := aws.ToTime(got.Device.DeviceCreateDate)
	if !created.Equal(e.Clock.Now()) {
		t.Errorf("DeviceCreateDate = %v, want %v", created, e.Clock.Now())
	}

	// Confirming again replaces the verifier: the old device password no
	// longer signs in, the new one does.
	newer := d
	newer.Password = "another device password"
	if _, err := e.Client.ConfirmDevice(e.ctx(), &cip.ConfirmDeviceInput{
		AccessToken: r.AccessToken, DeviceKey: aws.String(d.Key),
		DeviceSecretVerifierConfig: devicesVerifier(d.GroupKey, d.Key, newer.Password),
	}); err != nil {
		t.Fatalf("ConfirmDevice again: %v", err)
	}
	if out, err := devicesSignIn(t, e, pool, client, "alice", tokensPassword, newer); err != nil || out.AuthenticationResult == nil {
		t.Errorf("sign-in with the new device password: %v", err)
	}
	_, err = srpRespond(e, client, types.ChallengeNameTypeDevicePasswordVerifier, devicesWrongProof(t, e, pool, client, d), nil)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
}

func TestConfirmDeviceOnUserPrompt(t *testing.T) {
	e := newEnv(t)
	pool, client := devicesSetup(t, e, true, nil)
	r := srpTokens(t, e, pool, client, "alice", tokensPassword)
	d, out := devicesConfirm(t, e, r)
	if !out.UserConfirmationNecessary {
		t.Error("UserConfirmationNecessary = false, want true: the pool remembers devices on the user's word")
	}
	got, err := e.Client.AdminGetDevice(e.ctx(), &cip.AdminGetDeviceInput{
		UserPoolId: aws.String(pool), Username: aws.String("alice"), DeviceKey: aws.String(d.Key),
	})
	if err != nil {
		t.Fatal(err)
	}
	if s := devicesAttrs(got.Device)["dev:device_remembered_status"]; s != "not_remembered" {
		t.Errorf("remembered status %q, want not_remembered", s)
	}
	// A confirmed device that is not remembered still proves itself and
	// refreshes: it is tracked, only not remembered.
	if _, err := devicesRefresh(e, client, "alice", aws.ToString(r.RefreshToken), d.Key); err != nil {
		t.Errorf("refresh with a device not remembered: %v", err)
	}
	if out, err := devicesSignIn(t, e, pool, client, "alice", tokensPassword, d); err != nil || out.AuthenticationResult == nil {
		t.Errorf("sign-in from a device not remembered: %v", err)
	}
}

func TestConfirmDeviceErrors(t *testing.T) {
	e := newEnv(t)
	pool, client := devicesSetup(t, e, false, nil)
	r := srpTokens(t, e, pool, client, "alice", tokensPassword)
	d := devicesNew(t, r)
	good := devicesVerifier(d.GroupKey, d.Key, d.Password)
	plain, plainClient := srpSetup(t, e, nil, nil)
	untracked := srpTokens(t, e, plain, plainClient, "alice", tokensPassword)
	confirm := func(access *string, key string, v *types.DeviceSecretVerifierConfigType) error {
		_, err := e.Client.ConfirmDevice(e.ctx(), &cip.ConfirmDeviceInput{AccessToken: access, DeviceKey: aws.String(key), DeviceSecretVerifierConfig: v})
		return err
	}
	b64 := func(b []byte) *string { return aws.String(base64.StdEncoding.EncodeToString(b)) }
	for _, tc := range []struct {
		name     string
		err      error
		typ, msg string
	}{
		{"another key", confirm(r.AccessToken, "us-east-1_00000000-0000-4000-8000-000000000000", good),
			"ResourceNotFoundException", "Device does not exist."},
		{"a sign-in without a device", confirm(untracked.AccessToken, d.Key, good),
			"ResourceNotFoundException", "Device does not exist."},
		{"no verifier", confirm(r.AccessToken, d.Key, nil),
			"InvalidParameterException", "Missing required parameter DeviceSecretVerifierConfig"},
		{"no salt", confirm(r.AccessToken, d.Key, &types.DeviceSecretVerifierConfigType{PasswordVerifier: good.PasswordVerifier}),
			"InvalidParameterException", "Missing required parameter DeviceSecretVerifierConfig"},
		{"verifier not base64", confirm(r.AccessToken, d.Key, &types.DeviceSecretVerifierConfigType{PasswordVerifier: aws.String("***"), Salt: good.Salt}),
			"InvalidParameterException", "DeviceSecretVerifierConfig is invalid: PasswordVerifier and Salt must be the base64 of an SRP verifier and its salt."},
		{"salt not base64", confirm(r.AccessToken, d.Key, &types.DeviceSecretVerifierConfigType{PasswordVerifier: good.PasswordVerifier, Salt: aws.String("***")}),
			"InvalidParameterException", "DeviceSecretVerifierConfig is invalid: PasswordVerifier and Salt must be the base64 of an SRP verifier and its salt."},
		// A verifier of 1 would let anyone pass the device's proof.
		{"verifier 1", confirm(r.AccessToken, d.Key, &types.DeviceSecretVerifierConfigType{PasswordVerifier: b64([]byte{1}), Salt: good.Salt}),
			"InvalidParameterException", "DeviceSecretVerifierConfig is invalid: PasswordVerifier and Salt must be the base64 of an SRP verifier and its salt."},
		{"verifier 0", confirm(r.AccessToken, d.Key, &types.DeviceSecretVerifierConfigType{PasswordVerifier: b64([]byte{0, 0}), Salt: good.Salt}),
			"InvalidParameterException", "DeviceSecretVerifierConfig is invalid: PasswordVerifier and Salt must be the base64 of an SRP verifier and its salt."},
		{"verifier too long", confirm(r.AccessToken, d.Key, &types.DeviceSecretVerifierConfigType{PasswordVerifier: b64(make([]byte, 400)), Salt: good.Salt}),
			"InvalidParameterException", "DeviceSecretVerifierConfig is invalid: PasswordVerifier and Salt must be the base64 of an SRP verifier and its salt."},
		{"bad access token", confirm(aws.String("not-a-token"), d.Key, good), "NotAuthorizedException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) { wantAPIError(t, tc.err, tc.typ, tc.msg) })
	}
	// Nothing was stored by the failures.
	list, err := e.Client.AdminListDevices(e.ctx(), &cip.AdminListDevicesInput{UserPoolId: aws.String(pool), Username: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Devices) != 0 {
		t.Errorf("%d devices stored by failed confirmations", len(list.Devices))
	}
	// A revoked sign-in cannot confirm its device.
	if _, err := e.Client.GlobalSignOut(e.ctx(), &cip.GlobalSignOutInput{AccessToken: r.AccessToken}); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, confirm(r.AccessToken, d.Key, good), "NotAuthorizedException", "Access Token has been revoked")
}
