package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// ListUserImportJobs returns one page of a pool's user import jobs.
func (a *API) ListUserImportJobs(ctx context.Context, in *cognito.ListUserImportJobsInput) (*cognito.ListUserImportJobsOutput, error) {
	return a.svc.ListUserImportJobs(ctx, in)
}
