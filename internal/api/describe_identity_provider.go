package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// DescribeIdentityProvider returns one identity provider with its details.
func (a *API) DescribeIdentityProvider(ctx context.Context, in *cognito.DescribeIdentityProviderInput) (*cognito.DescribeIdentityProviderOutput, error) {
	return a.svc.DescribeIdentityProvider(ctx, in)
}
