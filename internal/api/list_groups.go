package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// ListGroups lists a user pool's groups, a page at a time.
func (a *API) ListGroups(ctx context.Context, in *cognito.ListGroupsInput) (*cognito.ListGroupsOutput, error) {
	return a.svc.ListGroups(ctx, in)
}
