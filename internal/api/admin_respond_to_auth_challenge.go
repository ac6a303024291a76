package api

import (
	"context"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/cognito"
)

// AdminRespondToAuthChallenge answers a challenge of AdminInitiateAuth.
func (a *API) AdminRespondToAuthChallenge(ctx context.Context, in *cognito.AdminRespondToAuthChallengeInput) (*cognito.AdminRespondToAuthChallengeOutput, error) {
	r, err := a.auth.RespondToAuthChallenge(ctx, auth.ChallengeRequest{Admin: true, PoolID: in.UserPoolID, ClientID: in.ClientID, Name: in.ChallengeName, Responses: in.ChallengeResponses, Session: in.Session, ClientMetadata: in.ClientMetadata, Sender: sender(in.ContextData, nil)})
	if err != nil {
		return nil, err
	}
	return &cognito.AdminRespondToAuthChallengeOutput{
		AuthenticationResult: r.Tokens.AuthenticationResult(),
		ChallengeName:        r.ChallengeName,
		ChallengeParameters:  r.ChallengeParameters,
		Session:              r.Session,
	}, nil
}
