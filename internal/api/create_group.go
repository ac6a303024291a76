package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// CreateGroup creates a group in a user pool.
func (a *API) CreateGroup(ctx context.Context, in *cognito.CreateGroupInput) (*cognito.CreateGroupOutput, error) {
	return a.svc.CreateGroup(ctx, in)
}
