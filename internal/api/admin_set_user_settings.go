package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminSetUserSettings is the legacy way to turn a user's SMS MFA on or
// off (MFAOptions).
func (a *API) AdminSetUserSettings(ctx context.Context, in *cognito.AdminSetUserSettingsInput) (*cognito.AdminSetUserSettingsOutput, error) {
	if err := a.svc.AdminSetUserSettings(ctx, in); err != nil {
		return nil, err
	}
	return &cognito.AdminSetUserSettingsOutput{}, nil
}
