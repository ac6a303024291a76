package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminSetUserMFAPreference sets a user's MFA factors and the one they
// prefer.
func (a *API) AdminSetUserMFAPreference(ctx context.Context, in *cognito.AdminSetUserMFAPreferenceInput) (*cognito.AdminSetUserMFAPreferenceOutput, error) {
	if err := a.svc.AdminSetUserMFAPreference(ctx, in); err != nil {
		return nil, err
	}
	return &cognito.AdminSetUserMFAPreferenceOutput{}, nil
}
