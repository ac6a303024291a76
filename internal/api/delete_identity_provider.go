package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// DeleteIdentityProvider removes an identity provider. The action has no
// output members, so it answers {}.
func (a *API) DeleteIdentityProvider(ctx context.Context, in *cognito.DeleteIdentityProviderInput) (*struct{}, error) {
	if err := a.svc.DeleteIdentityProvider(ctx, in); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
