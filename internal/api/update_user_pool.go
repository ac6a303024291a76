package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// UpdateUserPool replaces a user pool's settings.
func (a *API) UpdateUserPool(ctx context.Context, in *cognito.UpdateUserPoolInput) (*cognito.UpdateUserPoolOutput, error) {
	if err := a.svc.UpdatePool(ctx, in); err != nil {
		return nil, err
	}
	return &cognito.UpdateUserPoolOutput{}, nil
}
