package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// ListUserPoolClients lists a user pool's app clients a page at a time.
func (a *API) ListUserPoolClients(ctx context.Context, in *cognito.ListUserPoolClientsInput) (*cognito.ListUserPoolClientsOutput, error) {
	var maxResults int64
	if in.MaxResults != nil {
		maxResults = *in.MaxResults
	}
	clients, next, err := a.svc.ListClients(ctx, in.UserPoolID, maxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &cognito.ListUserPoolClientsOutput{UserPoolClients: clients, NextToken: next}, nil
}
