package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// UpdateGroup changes the description, role or precedence of a group.
func (a *API) UpdateGroup(ctx context.Context, in *cognito.UpdateGroupInput) (*cognito.UpdateGroupOutput, error) {
	return a.svc.UpdateGroup(ctx, in)
}
