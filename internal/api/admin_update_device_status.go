package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminUpdateDeviceStatus remembers, or stops remembering, a device of a
// user.
func (a *API) AdminUpdateDeviceStatus(ctx context.Context, in *cognito.AdminUpdateDeviceStatusInput) (*cognito.AdminUpdateDeviceStatusOutput, error) {
	if err := a.svc.AdminUpdateDeviceStatus(ctx, in); err != nil {
		return nil, err
	}
	return &cognito.AdminUpdateDeviceStatusOutput{}, nil
}
