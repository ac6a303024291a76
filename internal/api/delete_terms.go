package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// DeleteTerms deletes terms. The action has no output members, so it
// answers {}.
func (a *API) DeleteTerms(ctx context.Context, in *cognito.DeleteTermsInput) (*struct{}, error) {
	if err := a.svc.DeleteTerms(ctx, in.UserPoolID, in.TermsID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
