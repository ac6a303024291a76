package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// StopUserImportJob stops a running user import job.
func (a *API) StopUserImportJob(ctx context.Context, in *cognito.StopUserImportJobInput) (*cognito.StopUserImportJobOutput, error) {
	j, err := a.svc.StopUserImportJob(ctx, in.UserPoolID, in.JobID)
	if err != nil {
		return nil, err
	}
	return &cognito.StopUserImportJobOutput{UserImportJob: j}, nil
}
