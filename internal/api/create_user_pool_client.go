package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// CreateUserPoolClient creates an app client, with its secret when one is
// asked for.
func (a *API) CreateUserPoolClient(ctx context.Context, in *cognito.CreateUserPoolClientInput) (*cognito.CreateUserPoolClientOutput, error) {
	c, err := a.svc.CreateClient(ctx, in)
	if err != nil {
		return nil, err
	}
	return &cognito.CreateUserPoolClientOutput{UserPoolClient: c}, nil
}
