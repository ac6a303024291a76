package api

import (
	"context"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/cognito"
)

// RevokeToken revokes a refresh token and the access tokens of its sign-in.
func (a *API) RevokeToken(ctx context.Context, in *cognito.RevokeTokenInput) (*cognito.RevokeTokenOutput, error) {
	if err := a.auth.RevokeToken(ctx, auth.RevokeRequest{ClientID: in.ClientID, ClientSecret: in.ClientSecret, Token: in.Token}); err != nil {
		return nil, err
	}
	return &cognito.RevokeTokenOutput{}, nil
}
