package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// CreateUserPool creates a user pool and returns it with Cognito's
// defaults filled in, as DescribeUserPool will show it.
func (a *API) CreateUserPool(ctx context.Context, in *cognito.CreateUserPoolInput) (*cognito.CreateUserPoolOutput, error) {
	p, err := a.svc.CreatePool(ctx, in)
	if err != nil {
		return nil, err
	}
	return &cognito.CreateUserPoolOutput{UserPool: p}, nil
}
