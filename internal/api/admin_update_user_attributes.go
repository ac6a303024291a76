package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminUpdateUserAttributes changes a user's attributes.
func (a *API) AdminUpdateUserAttributes(ctx context.Context, in *cognito.AdminUpdateUserAttributesInput) (*cognito.AdminUpdateUserAttributesOutput, error) {
	if err := a.svc.AdminUpdateUserAttributes(ctx, in); err != nil {
		return nil, err
	}
	return &cognito.AdminUpdateUserAttributesOutput{}, nil
}
