package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminDeleteUser deletes a user. The action has no output members, so it
// answers {}.
func (a *API) AdminDeleteUser(ctx context.Context, in *cognito.AdminDeleteUserInput) (*struct{}, error) {
	if err := a.svc.AdminDeleteUser(ctx, in); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
