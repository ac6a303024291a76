package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// ListTagsForResource returns the tags of a user pool.
func (a *API) ListTagsForResource(ctx context.Context, in *cognito.ListTagsForResourceInput) (*cognito.ListTagsForResourceOutput, error) {
	return a.svc.ListTagsForResource(ctx, in)
}
