package api

import (
	"context"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/cognito"
)

// VerifySoftwareToken checks a code from the authenticator app a user
// added the secret of AssociateSoftwareToken to. With the Session of an
// MFA_SETUP challenge, the answer carries the session that completes the
// challenge.
func (a *API) VerifySoftwareToken(ctx context.Context, in *cognito.VerifySoftwareTokenInput) (*cognito.VerifySoftwareTokenOutput, error) {
	if err := auth.CheckTokenOrSession(in.AccessToken, in.Session); err != nil {
		return nil, err
	}
	if in.Session != "" {
		sess, err := a.auth.VerifySoftwareToken(ctx, in.Session, in.UserCode, in.FriendlyDeviceName)
		if err != nil {
			return nil, err
		}
		return &cognito.VerifySoftwareTokenOutput{Status: cognito.VerifySoftwareTokenResponseTypeSuccess, Session: sess}, nil
	}
	c, err := a.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := a.svc.VerifySoftwareToken(ctx, c.Pool, c.User, in.UserCode, in.FriendlyDeviceName); err != nil {
		return nil, err
	}
	return &cognito.VerifySoftwareTokenOutput{Status: cognito.VerifySoftwareTokenResponseTypeSuccess}, nil
}
