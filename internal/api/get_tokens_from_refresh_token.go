package api

import (
	"context"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/cognito"
)

// GetTokensFromRefreshToken refreshes a session, rotating the refresh token
// when the app client has rotation enabled.
func (a *API) GetTokensFromRefreshToken(ctx context.Context, in *cognito.GetTokensFromRefreshTokenInput) (*cognito.GetTokensFromRefreshTokenOutput, error) {
	r, err := a.auth.GetTokensFromRefreshToken(ctx, auth.RefreshRequest{ClientID: in.ClientID, ClientSecret: in.ClientSecret, RefreshToken: in.RefreshToken, DeviceKey: in.DeviceKey})
	if err != nil {
		return nil, err
	}
	return &cognito.GetTokensFromRefreshTokenOutput{AuthenticationResult: r.Tokens.AuthenticationResult()}, nil
}
