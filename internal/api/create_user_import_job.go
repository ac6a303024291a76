package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// CreateUserImportJob creates a user import job and its upload URL.
func (a *API) CreateUserImportJob(ctx context.Context, in *cognito.CreateUserImportJobInput) (*cognito.CreateUserImportJobOutput, error) {
	j, err := a.svc.CreateUserImportJob(ctx, in)
	if err != nil {
		return nil, err
	}
	return &cognito.CreateUserImportJobOutput{UserImportJob: j}, nil
}
