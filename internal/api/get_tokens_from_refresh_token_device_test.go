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
