package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// ConfirmSignUp confirms a signed-up user with the code sent to them.
// Given SignUp's Session, it answers one that InitiateAuth USER_AUTH
// signs the user in with; a session that is not SignUp's for this user
// is refused before the code is used.
func (a *API) ConfirmSignUp(ctx context.Context, in *cognito.ConfirmSignUpInput) (*cognito.ConfirmSignUpOutput, error) {
	if in.Session != "" {
		if err := a.auth.CheckSignUpSession(ctx, in.ClientID, in.Session, in.Username); err != nil {
			return nil, err
		}
	}
	out, err := a.svc.ConfirmSignUp(ctx, in)
	if err != nil || in.Session == "" {
		return out, err
	}
	if out.Session, err = a.auth.ConfirmedSession(ctx, in.ClientID, in.Session, in.Username); err != nil {
		return nil, err
	}
	return out, nil
}
