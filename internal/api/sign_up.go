package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// SignUp registers a user through an app client; the user is UNCONFIRMED
// until they confirm the code sent to them. Its Session, passed on to
// ConfirmSignUp, leads to a sign-in without a password once confirmed.
func (a *API) SignUp(ctx context.Context, in *cognito.SignUpInput) (*cognito.SignUpOutput, error) {
	out, err := a.svc.SignUp(ctx, in)
	if err != nil {
		return nil, err
	}
	if out.Session, err = a.auth.SignUpSession(ctx, in.ClientID, out.UserSub); err != nil {
		return nil, err
	}
	return out, nil
}
