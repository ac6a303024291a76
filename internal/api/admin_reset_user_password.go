package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminResetUserPassword makes a user reset their password before their
// next sign-in and sends them a reset code.
func (a *API) AdminResetUserPassword(ctx context.Context, in *cognito.AdminResetUserPasswordInput) (*cognito.AdminResetUserPasswordOutput, error) {
	if err := a.svc.AdminResetUserPassword(ctx, in); err != nil {
		return nil, err
	}
	return &cognito.AdminResetUserPasswordOutput{}, nil
}
