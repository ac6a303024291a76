package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// DeleteUserPoolClient deletes an app client. The action has no output
// members, so it answers {}.
func (a *API) DeleteUserPoolClient(ctx context.Context, in *cognito.DeleteUserPoolClientInput) (*struct{}, error) {
	if err := a.svc.DeleteClient(ctx, in.UserPoolID, in.ClientID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
