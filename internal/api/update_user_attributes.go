package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// UpdateUserAttributes changes the access token's user's attributes and
// says where verification codes for new addresses went.
func (a *API) UpdateUserAttributes(ctx context.Context, in *cognito.UpdateUserAttributesInput) (*cognito.UpdateUserAttributesOutput, error) {
	c, err := a.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	sent, err := a.svc.UpdateUserAttributes(ctx, c.Pool, c.User, c.Claims.ClientID, in.UserAttributes, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	return &cognito.UpdateUserAttributesOutput{CodeDeliveryDetailsList: sent}, nil
}
