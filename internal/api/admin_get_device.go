package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminGetDevice returns a device of a user, remembered or not.
func (a *API) AdminGetDevice(ctx context.Context, in *cognito.AdminGetDeviceInput) (*cognito.AdminGetDeviceOutput, error) {
	return a.svc.AdminGetDevice(ctx, in)
}
