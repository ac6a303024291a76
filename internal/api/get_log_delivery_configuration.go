package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// GetLogDeliveryConfiguration returns a pool's log configurations.
func (a *API) GetLogDeliveryConfiguration(ctx context.Context, in *cognito.GetLogDeliveryConfigurationInput) (*cognito.GetLogDeliveryConfigurationOutput, error) {
	cfg, err := a.svc.GetLogDeliveryConfiguration(ctx, in.UserPoolID)
	if err != nil {
		return nil, err
	}
	return &cognito.GetLogDeliveryConfigurationOutput{LogDeliveryConfiguration: cfg}, nil
}
