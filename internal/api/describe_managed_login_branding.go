package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// DescribeManagedLoginBranding returns a managed login style by its id.
func (a *API) DescribeManagedLoginBranding(ctx context.Context, in *cognito.DescribeManagedLoginBrandingInput) (*cognito.DescribeManagedLoginBrandingOutput, error) {
	b, err := a.svc.DescribeManagedLoginBranding(ctx, in.UserPoolID, in.ManagedLoginBrandingID)
	if err != nil {
		return nil, err
	}
	return &cognito.DescribeManagedLoginBrandingOutput{ManagedLoginBranding: b}, nil
}
