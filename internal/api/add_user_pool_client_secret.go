package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AddUserPoolClientSecret gives a confidential client a second secret for
// a rotation; the value is returned only when Userpool generated it.
func (a *API) AddUserPoolClientSecret(ctx context.Context, in *cognito.AddUserPoolClientSecretInput) (*cognito.AddUserPoolClientSecretOutput, error) {
	d, err := a.svc.AddClientSecret(ctx, in.UserPoolID, in.ClientID, in.ClientSecret)
	if err != nil {
		return nil, err
	}
	return &cognito.AddUserPoolClientSecretOutput{ClientSecretDescriptor: d}, nil
}
