package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// StartUserImportJob starts importing a job's uploaded file.
func (a *API) StartUserImportJob(ctx context.Context, in *cognito.StartUserImportJobInput) (*cognito.StartUserImportJobOutput, error) {
	j, err := a.svc.StartUserImportJob(ctx, in.UserPoolID, in.JobID)
	if err != nil {
		return nil, err
	}
	return &cognito.StartUserImportJobOutput{UserImportJob: j}, nil
}
