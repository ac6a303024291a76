package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// ListUsers lists a pool's users, filtered by one condition when asked.
func (a *API) ListUsers(ctx context.Context, in *cognito.ListUsersInput) (*cognito.ListUsersOutput, error) {
	return a.svc.ListUsers(ctx, in)
}
