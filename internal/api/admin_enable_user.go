package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminEnableUser enables a disabled user.
func (a *API) AdminEnableUser(ctx context.Context, in *cognito.AdminEnableUserInput) (*cognito.AdminEnableUserOutput, error) {
	if err := a.svc.AdminEnableUser(ctx, in); err != nil {
		return nil, err
	}
	return &cognito.AdminEnableUserOutput{}, nil
}
