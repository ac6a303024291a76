package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// SetUserPoolMfaConfig replaces a pool's MFA configuration.
func (a *API) SetUserPoolMfaConfig(ctx context.Context, in *cognito.SetUserPoolMfaConfigInput) (*cognito.SetUserPoolMfaConfigOutput, error) {
	return a.svc.SetUserPoolMfaConfig(ctx, in)
}
