package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminGetUser returns a user found by username, alias or sub.
func (a *API) AdminGetUser(ctx context.Context, in *cognito.AdminGetUserInput) (*cognito.AdminGetUserOutput, error) {
	return a.svc.AdminGetUser(ctx, in)
}
