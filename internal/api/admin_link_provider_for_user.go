package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminLinkProviderForUser links an upstream identity to an existing user.
func (a *API) AdminLinkProviderForUser(ctx context.Context, in *cognito.AdminLinkProviderForUserInput) (*cognito.AdminLinkProviderForUserOutput, error) {
	if err := a.svc.AdminLinkProviderForUser(ctx, in); err != nil {
		return nil, err
	}
	return &cognito.AdminLinkProviderForUserOutput{}, nil
}

// AdminDisableProviderForUser undoes a link, or stops a user signing in
// through a provider or with a password.
func (a *API) AdminDisableProviderForUser(ctx context.Context, in *cognito.AdminDisableProviderForUserInput) (*cognito.AdminDisableProviderForUserOutput, error) {
	if err := a.svc.AdminDisableProviderForUser(ctx, in); err != nil {
		return nil, err
	}
	return &cognito.AdminDisableProviderForUserOutput{}, nil
}
