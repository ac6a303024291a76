package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// DescribeManagedLoginBrandingByClient returns an app client's managed
// login style.
func (a *API) DescribeManagedLoginBrandingByClient(ctx context.Context, in *cognito.DescribeManagedLoginBrandingByClientInput) (*cognito.DescribeManagedLoginBrandingByClientOutput, error) {
	b, err := a.svc.DescribeManagedLoginBrandingByClient(ctx, in.UserPoolID, in.ClientID)
	if err != nil {
		return nil, err
	}
	return &cognito.DescribeManagedLoginBrandingByClientOutput{ManagedLoginBranding: b}, nil
}
