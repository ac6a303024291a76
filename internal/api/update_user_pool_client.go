package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// UpdateUserPoolClient replaces an app client's settings; its id and
// secret stay.
func (a *API) UpdateUserPoolClient(ctx context.Context, in *cognito.UpdateUserPoolClientInput) (*cognito.UpdateUserPoolClientOutput, error) {
	c, err := a.svc.UpdateClient(ctx, in)
	if err != nil {
		return nil, err
	}
	return &cognito.UpdateUserPoolClientOutput{UserPoolClient: c}, nil
}
