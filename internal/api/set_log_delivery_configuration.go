package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// SetLogDeliveryConfiguration replaces a pool's log configurations. They
// are stored and returned only: Userpool cannot write to their AWS
// destinations.
func (a *API) SetLogDeliveryConfiguration(ctx context.Context, in *cognito.SetLogDeliveryConfigurationInput) (*cognito.SetLogDeliveryConfigurationOutput, error) {
	cfg, err := a.svc.SetLogDeliveryConfiguration(ctx, in.UserPoolID, in.LogConfigurations)
	if err != nil {
		return nil, err
	}
	return &cognito.SetLogDeliveryConfigurationOutput{LogDeliveryConfiguration: cfg}, nil
}
