package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// CreateResourceServer adds an OAuth resource server and its scopes to a
// user pool.
func (a *API) CreateResourceServer(ctx context.Context, in *cognito.CreateResourceServerInput) (*cognito.CreateResourceServerOutput, error) {
	return a.svc.CreateResourceServer(ctx, in)
}
