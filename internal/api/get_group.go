package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// GetGroup returns one group.
func (a *API) GetGroup(ctx context.Context, in *cognito.GetGroupInput) (*cognito.GetGroupOutput, error) {
	return a.svc.GetGroup(ctx, in)
}
