package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/userpool"
)

// GetUser returns the access token's user and their attributes.
func (a *API) GetUser(ctx context.Context, in *cognito.GetUserInput) (*cognito.GetUserOutput, error) {
	c, err := a.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	attrs := make([]cognito.AttributeType, 0, len(c.User.Attributes))
	for _, at := range c.User.Attributes {
		attrs = append(attrs, cognito.AttributeType{Name: at.Name, Value: at.Value})
	}
	preferred, enabled, options := userpool.MFASettings(c.User)
	return &cognito.GetUserOutput{
		Username: c.User.Username, UserAttributes: attrs,
		PreferredMfaSetting: preferred, UserMFASettingList: enabled, MFAOptions: options,
	}, nil
}
