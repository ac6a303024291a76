package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// SetUserMFAPreference sets the access token's user's MFA factors and the
// one they prefer.
func (a *API) SetUserMFAPreference(ctx context.Context, in *cognito.SetUserMFAPreferenceInput) (*cognito.SetUserMFAPreferenceOutput, error) {
	c, err := a.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := a.svc.SetUserMFAPreference(ctx, c.Pool, c.User, in); err != nil {
		return nil, err
	}
	return &cognito.SetUserMFAPreferenceOutput{}, nil
}
