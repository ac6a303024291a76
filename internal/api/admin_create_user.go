package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminCreateUser creates a user with a temporary password, or resends the
// invitation of one who has not signed in yet (MessageAction RESEND).
func (a *API) AdminCreateUser(ctx context.Context, in *cognito.AdminCreateUserInput) (*cognito.AdminCreateUserOutput, error) {
	return a.svc.AdminCreateUser(ctx, in)
}
