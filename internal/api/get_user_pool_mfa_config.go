package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// GetUserPoolMfaConfig returns a pool's MFA configuration.
func (a *API) GetUserPoolMfaConfig(ctx context.Context, in *cognito.GetUserPoolMfaConfigInput) (*cognito.GetUserPoolMfaConfigOutput, error) {
	return a.svc.GetUserPoolMfaConfig(ctx, in.UserPoolID)
}
