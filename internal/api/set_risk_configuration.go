package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// SetRiskConfiguration stores the threat protection settings of a pool or
// an app client. They are stored and returned only: Userpool runs no
// risk checks.
func (a *API) SetRiskConfiguration(ctx context.Context, in *cognito.SetRiskConfigurationInput) (*cognito.SetRiskConfigurationOutput, error) {
	cfg, err := a.svc.SetRiskConfiguration(ctx, in)
	if err != nil {
		return nil, err
	}
	return &cognito.SetRiskConfigurationOutput{RiskConfiguration: cfg}, nil
}
