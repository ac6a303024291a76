package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// GetIdentityProviderByIdentifier returns the identity provider that has the given IdpIdentifier.
func (a *API) GetIdentityProviderByIdentifier(ctx context.Context, in *cognito.GetIdentityProviderByIdentifierInput) (*cognito.GetIdentityProviderByIdentifierOutput, error) {
	return a.svc.GetIdentityProviderByIdentifier(ctx, in)
}
