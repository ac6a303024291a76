package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// SignUp registers a user through an app client; the user is UNCONFIRMED
// until they confirm the code sent to them.
func (a *API) SignUp(ctx context.Context, in *cognito.SignUpInput) (*cognito.SignUpOutput, error) {
	return a.svc.SignUp(ctx, in)
}
