package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AddCustomAttributes adds custom attributes to a user pool's schema.
func (a *API) AddCustomAttributes(ctx context.Context, in *cognito.AddCustomAttributesInput) (*cognito.AddCustomAttributesOutput, error) {
	if err := a.svc.AddCustomAttributes(ctx, in.UserPoolID, in.CustomAttributes); err != nil {
		return nil, err
	}
	return &cognito.AddCustomAttributesOutput{}, nil
}
