package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminDisableUser disables a user.
func (a *API) AdminDisableUser(ctx context.Context, in *cognito.AdminDisableUserInput) (*cognito.AdminDisableUserOutput, error) {
	if err := a.svc.AdminDisableUser(ctx, in); err != nil {
		return nil, err
	}
	return &cognito.AdminDisableUserOutput{}, nil
}
