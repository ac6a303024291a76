package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// UpdateAuthEventFeedback records a user's feedback on one of their
// authentication events. It is unauthenticated: the event's feedback
// token is the authority.
func (a *API) UpdateAuthEventFeedback(ctx context.Context, in *cognito.UpdateAuthEventFeedbackInput) (*cognito.UpdateAuthEventFeedbackOutput, error) {
	if err := a.svc.UpdateAuthEventFeedback(ctx, in); err != nil {
		return nil, err
	}
	return &cognito.UpdateAuthEventFeedbackOutput{}, nil
}
