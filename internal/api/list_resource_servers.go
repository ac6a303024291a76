package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// ListResourceServers lists a user pool's resource servers, a page at a
// time.
func (a *API) ListResourceServers(ctx context.Context, in *cognito.ListResourceServersInput) (*cognito.ListResourceServersOutput, error) {
	return a.svc.ListResourceServers(ctx, in)
}
