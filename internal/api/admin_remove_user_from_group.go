package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminRemoveUserFromGroup removes a user from a group. The action has no
// output members, so it answers {}.
func (a *API) AdminRemoveUserFromGroup(ctx context.Context, in *cognito.AdminRemoveUserFromGroupInput) (*struct{}, error) {
	if err := a.svc.AdminRemoveUserFromGroup(ctx, in); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
