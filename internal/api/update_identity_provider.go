package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// UpdateIdentityProvider changes an identity provider's details, attribute mapping or identifiers.
func (a *API) UpdateIdentityProvider(ctx context.Context, in *cognito.UpdateIdentityProviderInput) (*cognito.UpdateIdentityProviderOutput, error) {
	return a.svc.UpdateIdentityProvider(ctx, in)
}
