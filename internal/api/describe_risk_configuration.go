package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// DescribeRiskConfiguration returns the threat protection settings of a
// pool or an app client.
func (a *API) DescribeRiskConfiguration(ctx context.Context, in *cognito.DescribeRiskConfigurationInput) (*cognito.DescribeRiskConfigurationOutput, error) {
	cfg, err := a.svc.DescribeRiskConfiguration(ctx, in.UserPoolID, in.ClientID)
	if err != nil {
		return nil, err
	}
	return &cognito.DescribeRiskConfigurationOutput{RiskConfiguration: cfg}, nil
}
