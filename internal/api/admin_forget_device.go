package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminForgetDevice forgets a device of a user; the sign-ins bound to it
// can no longer refresh. The action has no output members, so it answers
// {}.
func (a *API) AdminForgetDevice(ctx context.Context, in *cognito.AdminForgetDeviceInput) (*struct{}, error) {
	if err := a.svc.AdminForgetDevice(ctx, in); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
