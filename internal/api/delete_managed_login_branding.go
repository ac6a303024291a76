package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// DeleteManagedLoginBranding deletes a managed login style. The action has
// no output members, so it answers {}.
func (a *API) DeleteManagedLoginBranding(ctx context.Context, in *cognito.DeleteManagedLoginBrandingInput) (*struct{}, error) {
	if err := a.svc.DeleteManagedLoginBranding(ctx, in.UserPoolID, in.ManagedLoginBrandingID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
