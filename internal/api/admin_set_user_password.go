package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminSetUserPassword sets a user's password, permanent or temporary.
func (a *API) AdminSetUserPassword(ctx context.Context, in *cognito.AdminSetUserPasswordInput) (*cognito.AdminSetUserPasswordOutput, error) {
	if err := a.svc.AdminSetUserPassword(ctx, in); err != nil {
		return nil, err
	}
	return &cognito.AdminSetUserPasswordOutput{}, nil
}
