package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// SetUICustomization sets the classic hosted UI's CSS and logo of a pool
// (ClientId ALL) or of one app client.
func (a *API) SetUICustomization(ctx context.Context, in *cognito.SetUICustomizationInput) (*cognito.SetUICustomizationOutput, error) {
	return a.svc.SetUICustomization(ctx, in)
}
