package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// UpdateResourceServer replaces a resource server's name and scopes.
func (a *API) UpdateResourceServer(ctx context.Context, in *cognito.UpdateResourceServerInput) (*cognito.UpdateResourceServerOutput, error) {
	return a.svc.UpdateResourceServer(ctx, in)
}
