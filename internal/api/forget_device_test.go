package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// TestForgetDevice: forgetting a device ends the sign-ins bound to it
// (their refresh tokens and access tokens) and the device's sign-ins;
// other sign-ins go on.
func TestForgetDevice(t *testing.T) {
	e := newEnv(t)
	pool, client := devicesSetup(t, e, false, nil)
	d, first := devicesRemembered(t, e, pool, client, "alice", tokensPassword)
	out, err := devicesSignIn(t, e, pool, client, "alice", tokensPassword, d)
	if err != nil {
		t.Fatal(err)
	}
	second := out.AuthenticationResult
	other, _ := devicesRemembered(t, e, pool, client, "alice", tokensPassword)
	otherTokens, err := devicesSignIn(t, e, pool, client, "alice", tokensPassword, other)
	if err != nil {
		t.Fatal(err)
	}

	if _, err := e.Client.ForgetDevice(e.ctx(), &cip.ForgetDeviceInput{AccessToken: second.AccessToken, DeviceKey: aws.String(d.Key)}); err != nil {
		t.Fatalf("ForgetDevice: %v", err)
	}
	for _, rt := range []*string{first.RefreshToken, second.RefreshToken} {
		_, err := devicesRefresh(e, client, "alice", aws.ToString(rt), d.Key)
		wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
		_, err = e.Client.GetTokensFromRefreshToken(e.ctx(), &cip.GetTokensFromRefreshTokenInput{
			ClientId: client.ClientId, RefreshToken: rt, DeviceKey: aws.String(d.Key),
		})
		wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
	}
	_, err = tokensGetUser(e, aws.ToString(second.AccessToken))
	wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")

	// The other device's sign-in is untouched.
	if _, err := devicesRefresh(e, client, "alice", aws.ToString(otherTokens.AuthenticationResult.RefreshToken), other.Key); err != nil {
		t.Errorf("refresh of another device's sign-in: %v", err)
	}
	// The forgotten key no longer signs in.
	_, err = srpSignIn(t, e, pool, client, "alice", tokensPassword, map[string]string{"DEVICE_KEY": d.Key})
	wantAPIError(t, err, "ResourceNotFoundException", "Device does not exist.")
	_, err = e.Client.ForgetDevice(e.ctx(), &cip.ForgetDeviceInput{AccessToken: otherTokens.AuthenticationResult.AccessToken, DeviceKey: aws.String(d.Key)})
	wantAPIError(t, err, "ResourceNotFoundException", "Device does not exist.")
}
