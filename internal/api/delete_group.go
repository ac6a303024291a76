package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// DeleteGroup removes a group and its memberships. The action has no
// output members, so it answers {}.
func (a *API) DeleteGroup(ctx context.Context, in *cognito.DeleteGroupInput) (*struct{}, error) {
	if err := a.svc.DeleteGroup(ctx, in); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
