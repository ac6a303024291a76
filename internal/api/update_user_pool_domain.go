package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// UpdateUserPoolDomain changes a domain's managed login version or its
// custom domain certificate.
func (a *API) UpdateUserPoolDomain(ctx context.Context, in *cognito.UpdateUserPoolDomainInput) (*cognito.UpdateUserPoolDomainOutput, error) {
	return a.svc.UpdateUserPoolDomain(ctx, in)
}
