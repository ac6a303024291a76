package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestGetTokensFromRefreshTokenDevice: a sign-in bound to a device
// refreshes only with its DeviceKey, with or without rotation.
func TestGetTokensFromRefreshTokenDevice(t *testing.T) {
	e := newEnv(t)
	pool, client := devicesSetup(t, e, false, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
	rotating := srpClientFor(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth}
		in.RefreshTokenRotation = &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled}
	})
	get := func(c *types.UserPoolClientType, refresh *string, key string) (*types.AuthenticationResultType, error) {
		return devicesGetTokens(e, c, refresh, key)
	}

	for _, c := range []*types.UserPoolClientType{client, rotating} {
		d, r := devicesRemembered(t, e, pool, c, "alice", tokensPassword)
		_, err := get(c, r.RefreshToken, "")
		wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token.")
		_, err = get(c, r.RefreshToken, "us-east-1_00000000-0000-4000-8000-000000000000")
		wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token.")
		got, err := get(c, r.RefreshToken, d.Key)
		if err != nil {
			t.Fatalf("GetTokensFromRefreshToken with the device key: %v", err)
		}
		if claims := tokensClaims(t, aws.ToString(got.AccessToken)); claims["device_key"] != d.Key {
			t.Errorf("device_key = %v", claims["device_key"])
		}
		if got.NewDeviceMetadata != nil {
			t.Errorf("NewDeviceMetadata %+v for a sign-in bound to a device", got.NewDeviceMetadata)
		}
		if rotates := got.RefreshToken != nil; rotates != (c == rotating) {
			t.Errorf("new refresh token returned: %v", rotates)
		}
		if c == rotating {
			// The rotated token is bound to the device too.
			_, err := get(c, got.RefreshToken, "")
			wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token.")
			if _, err := get(c, got.RefreshToken, d.Key); err != nil {
				t.Errorf("refresh of the rotated token: %v", err)
			}
		}
	}
}

// devicesGetTokens runs GetTokensFromRefreshToken with DeviceKey (none
// when "").
func devicesGetTokens(e *env, c *types.UserPoolClientType, refresh *string, key string) (*types.AuthenticationResultType, error) {
	in := &cip.GetTokensFromRefreshTokenInput{ClientId: c.ClientId, ClientSecret: c.ClientSecret, RefreshToken: refresh}
	if key != "" {
		in.DeviceKey = aws.String(key)
	}
	out, err := e.Client.GetTokensFromRefreshToken(e.ctx(), in)
	if err != nil {
		return nil, err
	}
	return out.AuthenticationResult, nil
}

// TestGetTokensFromRefreshTokenIssuesDevice: in a pool that tracks
// devices, a refresh of a sign-in bound to no device (here, one from
// before the pool tracked devices) that names no device of the user is
// issued a new one, which its access token carries, so ConfirmDevice can
// register it. The sign-in stays unbound: it refreshes without a key as
// before. Naming a confirmed device makes it the tokens' device.
func TestGetTokensFromRefreshTokenIssuesDevice(t *testing.T) {
	e := newEnv(t)
	pool, c := srpSetup(t, e, nil, nil)
	r := signInUser(t, e, pool, c, "alice", tokensPassword)
	refresh := r.RefreshToken

	// No device tracking: no device.
	got, err := devicesGetTokens(e, c, refresh, "")
	if err != nil || got.NewDeviceMetadata != nil {
		t.Fatalf("refresh without device tracking: %v, NewDeviceMetadata %+v", err, got)
	}
	if _, ok := tokensClaims(t, aws.ToString(got.AccessToken))["device_key"]; ok {
		t.Error("device_key without device tracking")
	}

	if _, err := e.Client.UpdateUserPool(e.ctx(), &cip.UpdateUserPoolInput{
		UserPoolId: aws.String(pool), DeviceConfiguration: &types.DeviceConfigurationType{},
	}); err != nil {
		t.Fatal(err)
	}
	got, err = devicesGetTokens(e, c, refresh, "")
	if err != nil {
		t.Fatalf("refresh once the pool tracks devices: %v", err)
	}
	m := got.NewDeviceMetadata
	if m == nil || !devicesKeyRE.MatchString(aws.ToString(m.DeviceKey)) || aws.ToString(m.DeviceGroupKey) == "" {
		t.Fatalf("NewDeviceMetadata %+v, want a new device", m)
	}
	if claims := tokensClaims(t, aws.ToString(got.AccessToken)); claims["device_key"] != aws.ToString(m.DeviceKey) {
		t.Errorf("device_key %v, want the device issued", claims["device_key"])
	}
	// The sign-in still refreshes without a key; each such refresh is
	// issued another device.
	again, err := devicesGetTokens(e, c, refresh, "")
	if err != nil || again.NewDeviceMetadata == nil || aws.ToString(again.NewDeviceMetadata.DeviceKey) == aws.ToString(m.DeviceKey) {
		t.Fatalf("second refresh without a key: %v, %+v", err, again)
	}
	// A key that names no device of alice's is no device: a new one.
	unknown, err := devicesGetTokens(e, c, refresh, "us-east-1_00000000-0000-4000-8000-000000000000")
	if err != nil || unknown.NewDeviceMetadata == nil {
		t.Fatalf("refresh with an unknown key: %v, %+v", err, unknown)
	}

	// The app registers the device with the refresh's access token.
	d, _ := devicesConfirm(t, e, got)
	named, err := devicesGetTokens(e, c, refresh, d.Key)
	if err != nil {
		t.Fatalf("refresh naming the confirmed device: %v", err)
	}
	if named.NewDeviceMetadata != nil {
		t.Errorf("NewDeviceMetadata %+v for a confirmed device", named.NewDeviceMetadata)
	}
	if claims := tokensClaims(t, aws.ToString(named.AccessToken)); claims["device_key"] != d.Key {
		t.Errorf("device_key %v, want the confirmed device", claims["device_key"])
	}
	// And signs in with it from now on.
	out, err := devicesSignIn(t, e, pool, c, "alice", tokensPassword, d)
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("sign-in with the device issued on refresh: %v", err)
	}
	// REFRESH_TOKEN_AUTH issues nothing: the documentation gives only
	// GetTokensFromRefreshToken a device of its own.
	old, err := devicesRefresh(e, c, "alice", aws.ToString(refresh), "")
	if err != nil || old.NewDeviceMetadata != nil {
		t.Errorf("REFRESH_TOKEN_AUTH of the unbound sign-in: %v, %+v", err, old)
	}
}
