package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// DescribeResourceServer returns one resource server.
func (a *API) DescribeResourceServer(ctx context.Context, in *cognito.DescribeResourceServerInput) (*cognito.DescribeResourceServerOutput, error) {
	return a.svc.DescribeResourceServer(ctx, in)
}
