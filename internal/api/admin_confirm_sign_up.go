package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminConfirmSignUp confirms a user who signed up without confirming.
func (a *API) AdminConfirmSignUp(ctx context.Context, in *cognito.AdminConfirmSignUpInput) (*cognito.AdminConfirmSignUpOutput, error) {
	if err := a.svc.AdminConfirmSignUp(ctx, in); err != nil {
		return nil, err
	}
	return &cognito.AdminConfirmSignUpOutput{}, nil
}
