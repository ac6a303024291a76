package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// DeleteUserAttributes deletes attributes of the access token's user.
func (a *API) DeleteUserAttributes(ctx context.Context, in *cognito.DeleteUserAttributesInput) (*cognito.DeleteUserAttributesOutput, error) {
	c, err := a.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := a.svc.DeleteUserAttributes(ctx, c.Pool, c.User, c.Claims.ClientID, in.UserAttributeNames); err != nil {
		return nil, err
	}
	return &cognito.DeleteUserAttributesOutput{}, nil
}
