package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminUserGlobalSignOut ends every session of a user.
func (a *API) AdminUserGlobalSignOut(ctx context.Context, in *cognito.AdminUserGlobalSignOutInput) (*cognito.AdminUserGlobalSignOutOutput, error) {
	if err := a.auth.AdminUserGlobalSignOut(ctx, in.UserPoolID, in.Username); err != nil {
		return nil, err
	}
	return &cognito.AdminUserGlobalSignOutOutput{}, nil
}
