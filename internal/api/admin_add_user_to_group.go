package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminAddUserToGroup adds a user to a group. The action has no output
// members, so it answers {}.
func (a *API) AdminAddUserToGroup(ctx context.Context, in *cognito.AdminAddUserToGroupInput) (*struct{}, error) {
	if err := a.svc.AdminAddUserToGroup(ctx, in); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
