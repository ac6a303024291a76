package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminListUserAuthEvents pages a user's authentication events, newest
// first, in a pool with threat protection.
func (a *API) AdminListUserAuthEvents(ctx context.Context, in *cognito.AdminListUserAuthEventsInput) (*cognito.AdminListUserAuthEventsOutput, error) {
	return a.svc.AdminListUserAuthEvents(ctx, in)
}
