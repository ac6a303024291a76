package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// UpdateDeviceStatus remembers, or stops remembering, one of the access
// token's user's devices.
func (a *API) UpdateDeviceStatus(ctx context.Context, in *cognito.UpdateDeviceStatusInput) (*cognito.UpdateDeviceStatusOutput, error) {
	c, err := a.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := a.svc.UpdateDeviceStatus(ctx, c.Pool, c.User, in.DeviceKey, in.DeviceRememberedStatus); err != nil {
		return nil, err
	}
	return &cognito.UpdateDeviceStatusOutput{}, nil
}
