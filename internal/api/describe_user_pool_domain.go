package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// DescribeUserPoolDomain describes a domain by name; an unknown domain
// gets an empty description, not an error.
func (a *API) DescribeUserPoolDomain(ctx context.Context, in *cognito.DescribeUserPoolDomainInput) (*cognito.DescribeUserPoolDomainOutput, error) {
	return a.svc.DescribeUserPoolDomain(ctx, in)
}
