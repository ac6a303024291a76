package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// ConfirmForgotPassword sets a new password with a reset code.
func (a *API) ConfirmForgotPassword(ctx context.Context, in *cognito.ConfirmForgotPasswordInput) (*cognito.ConfirmForgotPasswordOutput, error) {
	if err := a.svc.ConfirmForgotPassword(ctx, in); err != nil {
		return nil, err
	}
	return &cognito.ConfirmForgotPasswordOutput{}, nil
}
