package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// TagResource adds tags to a user pool.
func (a *API) TagResource(ctx context.Context, in *cognito.TagResourceInput) (*cognito.TagResourceOutput, error) {
	if err := a.svc.TagResource(ctx, in); err != nil {
		return nil, err
	}
	return &cognito.TagResourceOutput{}, nil
}
