package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// DeleteUserPoolClientSecret deletes one of a client's two secrets, never
// its last.
func (a *API) DeleteUserPoolClientSecret(ctx context.Context, in *cognito.DeleteUserPoolClientSecretInput) (*cognito.DeleteUserPoolClientSecretOutput, error) {
	if err := a.svc.DeleteClientSecret(ctx, in.UserPoolID, in.ClientID, in.ClientSecretID); err != nil {
		return nil, err
	}
	return &cognito.DeleteUserPoolClientSecretOutput{}, nil
}
