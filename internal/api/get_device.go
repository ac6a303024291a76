package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// GetDevice returns one of the access token's user's remembered devices.
func (a *API) GetDevice(ctx context.Context, in *cognito.GetDeviceInput) (*cognito.GetDeviceOutput, error) {
	c, err := a.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	return a.svc.GetDevice(ctx, c.Pool, c.User, in.DeviceKey)
}
