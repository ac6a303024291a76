package api

import (
	"context"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/cognito"
)

// AssociateSoftwareToken gives a user a new TOTP secret. With an access
// token it is the signed-in user's; with the Session of an MFA_SETUP
// challenge it is the signing-in user's, and the answer carries the
// session to verify the secret with.
func (a *API) AssociateSoftwareToken(ctx context.Context, in *cognito.AssociateSoftwareTokenInput) (*cognito.AssociateSoftwareTokenOutput, error) {
	if err := auth.CheckTokenOrSession(in.AccessToken, in.Session); err != nil {
		return nil, err
	}
	if in.Session != "" {
		secret, sess, err := a.auth.AssociateSoftwareToken(ctx, in.Session)
		if err != nil {
			return nil, err
		}
		return &cognito.AssociateSoftwareTokenOutput{SecretCode: secret, Session: sess}, nil
	}
	c, err := a.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	secret, err := a.svc.AssociateSoftwareToken(ctx, c.Pool, c.User)
	if err != nil {
		return nil, err
	}
	return &cognito.AssociateSoftwareTokenOutput{SecretCode: secret}, nil
}
