package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// ListUserPoolClientSecrets describes a client's secrets, oldest first,
// without their values.
func (a *API) ListUserPoolClientSecrets(ctx context.Context, in *cognito.ListUserPoolClientSecretsInput) (*cognito.ListUserPoolClientSecretsOutput, error) {
	secrets, err := a.svc.ListClientSecrets(ctx, in.UserPoolID, in.ClientID, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &cognito.ListUserPoolClientSecretsOutput{ClientSecrets: secrets}, nil
}
