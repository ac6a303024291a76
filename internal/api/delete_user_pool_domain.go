package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// DeleteUserPoolDomain removes a user pool's domain.
func (a *API) DeleteUserPoolDomain(ctx context.Context, in *cognito.DeleteUserPoolDomainInput) (*cognito.DeleteUserPoolDomainOutput, error) {
	if err := a.svc.DeleteUserPoolDomain(ctx, in); err != nil {
		return nil, err
	}
	return &cognito.DeleteUserPoolDomainOutput{}, nil
}
