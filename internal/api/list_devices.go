package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// ListDevices lists the access token's user's remembered devices.
func (a *API) ListDevices(ctx context.Context, in *cognito.ListDevicesInput) (*cognito.ListDevicesOutput, error) {
	c, err := a.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	return a.svc.ListDevices(ctx, c.Pool, c.User, in.Limit, in.PaginationToken)
}
