package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// ListUsersInGroup lists the members of a group.
func (a *API) ListUsersInGroup(ctx context.Context, in *cognito.ListUsersInGroupInput) (*cognito.ListUsersInGroupOutput, error) {
	return a.svc.ListUsersInGroup(ctx, in)
}
