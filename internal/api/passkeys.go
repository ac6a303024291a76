package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// The passkey actions, each authorised by the user's access token:
// registration in two steps, listing and deletion. The rules are
// userpool's (passkeys.go).

// StartWebAuthnRegistration returns the options the user's browser
// creates a passkey with.
func (a *API) StartWebAuthnRegistration(ctx context.Context, in *cognito.StartWebAuthnRegistrationInput) (*cognito.StartWebAuthnRegistrationOutput, error) {
	c, err := a.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	options, err := a.svc.StartWebAuthnRegistration(ctx, c.Pool, c.User, c.Claims.ClientID)
	if err != nil {
		return nil, err
	}
	return &cognito.StartWebAuthnRegistrationOutput{CredentialCreationOptions: options}, nil
}

// CompleteWebAuthnRegistration stores the passkey the browser created.
func (a *API) CompleteWebAuthnRegistration(ctx context.Context, in *cognito.CompleteWebAuthnRegistrationInput) (*cognito.CompleteWebAuthnRegistrationOutput, error) {
	c, err := a.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if len(in.Credential) == 0 {
		return nil, cognito.InvalidParameter("Missing required parameter Credential")
	}
	if err := a.svc.CompleteWebAuthnRegistration(ctx, c.Pool, c.User, c.Claims.ClientID, in.Credential); err != nil {
		return nil, err
	}
	return &cognito.CompleteWebAuthnRegistrationOutput{}, nil
}

// ListWebAuthnCredentials lists the user's passkeys.
func (a *API) ListWebAuthnCredentials(ctx context.Context, in *cognito.ListWebAuthnCredentialsInput) (*cognito.ListWebAuthnCredentialsOutput, error) {
	c, err := a.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	return a.svc.ListWebAuthnCredentials(ctx, c.User, in.MaxResults, in.NextToken)
}

// DeleteWebAuthnCredential removes one of the user's passkeys.
func (a *API) DeleteWebAuthnCredential(ctx context.Context, in *cognito.DeleteWebAuthnCredentialInput) (*cognito.DeleteWebAuthnCredentialOutput, error) {
	c, err := a.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := a.svc.DeleteWebAuthnCredential(ctx, c.User, in.CredentialID); err != nil {
		return nil, err
	}
	return &cognito.DeleteWebAuthnCredentialOutput{}, nil
}
