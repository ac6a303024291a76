package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// CreateIdentityProvider adds an external identity provider (OIDC, SAML or social) to a user pool.
func (a *API) CreateIdentityProvider(ctx context.Context, in *cognito.CreateIdentityProviderInput) (*cognito.CreateIdentityProviderOutput, error) {
	return a.svc.CreateIdentityProvider(ctx, in)
}
