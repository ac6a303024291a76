package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// ResendConfirmationCode sends an unconfirmed user a new confirmation code.
func (a *API) ResendConfirmationCode(ctx context.Context, in *cognito.ResendConfirmationCodeInput) (*cognito.ResendConfirmationCodeOutput, error) {
	return a.svc.ResendConfirmationCode(ctx, in)
}
