package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// CreateManagedLoginBranding gives an app client its managed login style.
func (a *API) CreateManagedLoginBranding(ctx context.Context, in *cognito.CreateManagedLoginBrandingInput) (*cognito.CreateManagedLoginBrandingOutput, error) {
	b, err := a.svc.CreateManagedLoginBranding(ctx, in)
	if err != nil {
		return nil, err
	}
	return &cognito.CreateManagedLoginBrandingOutput{ManagedLoginBranding: b}, nil
}
