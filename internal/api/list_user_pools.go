package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// ListUserPools lists user pools a page at a time.
func (a *API) ListUserPools(ctx context.Context, in *cognito.ListUserPoolsInput) (*cognito.ListUserPoolsOutput, error) {
	pools, next, err := a.svc.ListPools(ctx, *in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &cognito.ListUserPoolsOutput{UserPools: pools, NextToken: next}, nil
}
