package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// UpdateTerms changes the members given of terms.
func (a *API) UpdateTerms(ctx context.Context, in *cognito.UpdateTermsInput) (*cognito.UpdateTermsOutput, error) {
	t, err := a.svc.UpdateTerms(ctx, in)
	if err != nil {
		return nil, err
	}
	return &cognito.UpdateTermsOutput{Terms: t}, nil
}
