package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// ForgotPassword sends a user a code to reset their password with.
func (a *API) ForgotPassword(ctx context.Context, in *cognito.ForgotPasswordInput) (*cognito.ForgotPasswordOutput, error) {
	return a.svc.ForgotPassword(ctx, in)
}
