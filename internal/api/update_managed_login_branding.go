package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// UpdateManagedLoginBranding changes a managed login style.
func (a *API) UpdateManagedLoginBranding(ctx context.Context, in *cognito.UpdateManagedLoginBrandingInput) (*cognito.UpdateManagedLoginBrandingOutput, error) {
	b, err := a.svc.UpdateManagedLoginBranding(ctx, in)
	if err != nil {
		return nil, err
	}
	return &cognito.UpdateManagedLoginBrandingOutput{ManagedLoginBranding: b}, nil
}
