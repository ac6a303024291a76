package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminListGroupsForUser lists the groups a user belongs to.
func (a *API) AdminListGroupsForUser(ctx context.Context, in *cognito.AdminListGroupsForUserInput) (*cognito.AdminListGroupsForUserOutput, error) {
	return a.svc.AdminListGroupsForUser(ctx, in)
}
