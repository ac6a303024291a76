package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// ConfirmDevice confirms the device the access token's sign-in was issued,
// storing the SRP verifier of the device's secret.
func (a *API) ConfirmDevice(ctx context.Context, in *cognito.ConfirmDeviceInput) (*cognito.ConfirmDeviceOutput, error) {
	c, err := a.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	return a.svc.ConfirmDevice(ctx, c.Pool, c.User, c.Claims.DeviceKey, in)
}
