package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/userpool"
)

// GetUserAuthFactors returns the access token's user's sign-in factors:
// the first factors of choice-based sign-in they can use, and their MFA
// settings as GetUser reports them.
func (a *API) GetUserAuthFactors(ctx context.Context, in *cognito.GetUserAuthFactorsInput) (*cognito.GetUserAuthFactorsOutput, error) {
	c, err := a.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	factors, err := a.svc.UserAuthFactors(ctx, c.Pool, c.User)
	if err != nil {
		return nil, err
	}
	preferred, enabled, _ := userpool.MFASettings(c.User)
	return &cognito.GetUserAuthFactorsOutput{
		Username: c.User.Username, PreferredMfaSetting: preferred, UserMFASettingList: enabled,
		ConfiguredUserAuthFactors: factors,
	}, nil
}
