package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// ListIdentityProviders lists a pool's identity providers without their details.
func (a *API) ListIdentityProviders(ctx context.Context, in *cognito.ListIdentityProvidersInput) (*cognito.ListIdentityProvidersOutput, error) {
	return a.svc.ListIdentityProviders(ctx, in)
}
