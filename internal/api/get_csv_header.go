package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// GetCSVHeader returns the header of a user import file for the pool.
func (a *API) GetCSVHeader(ctx context.Context, in *cognito.GetCSVHeaderInput) (*cognito.GetCSVHeaderOutput, error) {
	header, err := a.svc.GetCSVHeader(ctx, in.UserPoolID)
	if err != nil {
		return nil, err
	}
	return &cognito.GetCSVHeaderOutput{UserPoolID: in.UserPoolID, CSVHeader: header}, nil
}
