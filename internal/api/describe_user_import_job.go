package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// DescribeUserImportJob returns a user import job.
func (a *API) DescribeUserImportJob(ctx context.Context, in *cognito.DescribeUserImportJobInput) (*cognito.DescribeUserImportJobOutput, error) {
	j, err := a.svc.DescribeUserImportJob(ctx, in.UserPoolID, in.JobID)
	if err != nil {
		return nil, err
	}
	return &cognito.DescribeUserImportJobOutput{UserImportJob: j}, nil
}
