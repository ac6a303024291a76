package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// AdminUpdateAuthEventFeedback records the administrator's feedback
// (Valid or Invalid) on one of a user's authentication events.
func (a *API) AdminUpdateAuthEventFeedback(ctx context.Context, in *cognito.AdminUpdateAuthEventFeedbackInput) (*cognito.AdminUpdateAuthEventFeedbackOutput, error) {
	if err := a.svc.AdminUpdateAuthEventFeedback(ctx, in); err != nil {
		return nil, err
	}
	return &cognito.AdminUpdateAuthEventFeedbackOutput{}, nil
}
