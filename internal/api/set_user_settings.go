package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// SetUserSettings is the legacy way to turn the access token's user's SMS
// MFA on or off (MFAOptions).
func (a *API) SetUserSettings(ctx context.Context, in *cognito.SetUserSettingsInput) (*cognito.SetUserSettingsOutput, error) {
	c, err := a.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := a.svc.SetUserSettings(ctx, c.Pool, c.User, in.MFAOptions); err != nil {
		return nil, err
	}
	return &cognito.SetUserSettingsOutput{}, nil
}
