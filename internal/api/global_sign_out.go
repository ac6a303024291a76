package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// GlobalSignOut ends every session of the access token's user.
func (a *API) GlobalSignOut(ctx context.Context, in *cognito.GlobalSignOutInput) (*cognito.GlobalSignOutOutput, error) {
	if err := a.auth.GlobalSignOut(ctx, in.AccessToken); err != nil {
		return nil, err
	}
	return &cognito.GlobalSignOutOutput{}, nil
}
