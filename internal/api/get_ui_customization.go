package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// GetUICustomization returns the classic hosted UI's CSS and logo of a
// pool or an app client.
func (a *API) GetUICustomization(ctx context.Context, in *cognito.GetUICustomizationInput) (*cognito.GetUICustomizationOutput, error) {
	return a.svc.GetUICustomization(ctx, in)
}
