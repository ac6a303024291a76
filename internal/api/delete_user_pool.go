package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// DeleteUserPool deletes a user pool and everything in it. The action has
// no output members, so it answers {}.
func (a *API) DeleteUserPool(ctx context.Context, in *cognito.DeleteUserPoolInput) (*struct{}, error) {
	if err := a.svc.DeletePool(ctx, in.UserPoolID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
