package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminListDevices lists every device of a user, remembered or not.
func (a *API) AdminListDevices(ctx context.Context, in *cognito.AdminListDevicesInput) (*cognito.AdminListDevicesOutput, error) {
	return a.svc.AdminListDevices(ctx, in)
}
