package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// CreateTerms adds a terms of use or privacy policy link to an app client.
func (a *API) CreateTerms(ctx context.Context, in *cognito.CreateTermsInput) (*cognito.CreateTermsOutput, error) {
	t, err := a.svc.CreateTerms(ctx, in)
	if err != nil {
		return nil, err
	}
	return &cognito.CreateTermsOutput{Terms: t}, nil
}
