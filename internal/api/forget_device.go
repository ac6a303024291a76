package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// ForgetDevice forgets one of the access token's user's devices; the
// sign-ins bound to it can no longer refresh. The action has no output
// members, so it answers {}.
func (a *API) ForgetDevice(ctx context.Context, in *cognito.ForgetDeviceInput) (*struct{}, error) {
	c, err := a.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := a.svc.ForgetDevice(ctx, c.Pool, c.User, in.DeviceKey); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
