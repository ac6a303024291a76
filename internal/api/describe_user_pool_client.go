package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// DescribeUserPoolClient returns an app client's configuration and secret.
func (a *API) DescribeUserPoolClient(ctx context.Context, in *cognito.DescribeUserPoolClientInput) (*cognito.DescribeUserPoolClientOutput, error) {
	c, err := a.svc.DescribeClient(ctx, in.UserPoolID, in.ClientID)
	if err != nil {
		return nil, err
	}
	return &cognito.DescribeUserPoolClientOutput{UserPoolClient: c}, nil
}
