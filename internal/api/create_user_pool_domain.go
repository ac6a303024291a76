package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// CreateUserPoolDomain gives a user pool its prefix or custom domain.
func (a *API) CreateUserPoolDomain(ctx context.Context, in *cognito.CreateUserPoolDomainInput) (*cognito.CreateUserPoolDomainOutput, error) {
	return a.svc.CreateUserPoolDomain(ctx, in)
}
