package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// DeleteResourceServer removes a resource server. The action has no
// output members, so it answers {}.
func (a *API) DeleteResourceServer(ctx context.Context, in *cognito.DeleteResourceServerInput) (*struct{}, error) {
	if err := a.svc.DeleteResourceServer(ctx, in); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
