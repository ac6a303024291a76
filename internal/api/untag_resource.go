package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// UntagResource removes tags from a user pool.
func (a *API) UntagResource(ctx context.Context, in *cognito.UntagResourceInput) (*cognito.UntagResourceOutput, error) {
	if err := a.svc.UntagResource(ctx, in); err != nil {
		return nil, err
	}
	return &cognito.UntagResourceOutput{}, nil
}
