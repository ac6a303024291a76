package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// DescribeTerms returns terms by id.
func (a *API) DescribeTerms(ctx context.Context, in *cognito.DescribeTermsInput) (*cognito.DescribeTermsOutput, error) {
	t, err := a.svc.DescribeTerms(ctx, in.UserPoolID, in.TermsID)
	if err != nil {
		return nil, err
	}
	return &cognito.DescribeTermsOutput{Terms: t}, nil
}
