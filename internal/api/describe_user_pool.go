package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// DescribeUserPool returns a user pool's configuration.
func (a *API) DescribeUserPool(ctx context.Context, in *cognito.DescribeUserPoolInput) (*cognito.DescribeUserPoolOutput, error) {
	p, err := a.svc.DescribePool(ctx, in.UserPoolID)
	if err != nil {
		return nil, err
	}
	return &cognito.DescribeUserPoolOutput{UserPool: p}, nil
}
