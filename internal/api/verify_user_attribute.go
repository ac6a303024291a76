package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// VerifyUserAttribute verifies an attribute of the access token's user
// with the code sent to it.
func (a *API) VerifyUserAttribute(ctx context.Context, in *cognito.VerifyUserAttributeInput) (*cognito.VerifyUserAttributeOutput, error) {
	c, err := a.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := a.svc.VerifyUserAttribute(ctx, c.Pool, c.User, in.AttributeName, in.Code); err != nil {
		return nil, err
	}
	return &cognito.VerifyUserAttributeOutput{}, nil
}
