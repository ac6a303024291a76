package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// GetUserAttributeVerificationCode sends the access token's user a code to
// verify an e-mail address or phone number with.
func (a *API) GetUserAttributeVerificationCode(ctx context.Context, in *cognito.GetUserAttributeVerificationCodeInput) (*cognito.GetUserAttributeVerificationCodeOutput, error) {
	c, err := a.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	sent, err := a.svc.GetUserAttributeVerificationCode(ctx, c.Pool, c.User, in.AttributeName, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	return &cognito.GetUserAttributeVerificationCodeOutput{CodeDeliveryDetails: sent}, nil
}
