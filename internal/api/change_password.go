package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// ChangePassword changes the access token's user's password.
func (a *API) ChangePassword(ctx context.Context, in *cognito.ChangePasswordInput) (*cognito.ChangePasswordOutput, error) {
	c, err := a.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := a.svc.ChangePassword(ctx, c.Pool, c.User, in.PreviousPassword, in.ProposedPassword); err != nil {
		return nil, err
	}
	return &cognito.ChangePasswordOutput{}, nil
}
