package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminDeleteUserAttributes deletes attributes of a user.
func (a *API) AdminDeleteUserAttributes(ctx context.Context, in *cognito.AdminDeleteUserAttributesInput) (*cognito.AdminDeleteUserAttributesOutput, error) {
	if err := a.svc.AdminDeleteUserAttributes(ctx, in); err != nil {
		return nil, err
	}
	return &cognito.AdminDeleteUserAttributesOutput{}, nil
}
