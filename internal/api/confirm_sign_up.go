package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// ConfirmSignUp confirms a signed-up user with the code sent to them.
func (a *API) ConfirmSignUp(ctx context.Context, in *cognito.ConfirmSignUpInput) (*cognito.ConfirmSignUpOutput, error) {
	return a.svc.ConfirmSignUp(ctx, in)
}
