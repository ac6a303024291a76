package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// ListTerms returns one page of a pool's terms.
func (a *API) ListTerms(ctx context.Context, in *cognito.ListTermsInput) (*cognito.ListTermsOutput, error) {
	var limit int64
	if in.MaxResults != nil {
		limit = *in.MaxResults
	}
	terms, next, err := a.svc.ListTerms(ctx, in.UserPoolID, limit, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &cognito.ListTermsOutput{Terms: terms, NextToken: next}, nil
}
