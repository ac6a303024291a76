package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// DeleteUser deletes the access token's user.
func (a *API) DeleteUser(ctx context.Context, in *cognito.DeleteUserInput) (*struct{}, error) {
	c, err := a.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := a.svc.DeleteUser(ctx, c.Pool, c.User); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
