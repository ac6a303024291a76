package api

import (
	"context"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/cognito"
)

// RespondToAuthChallenge answers a challenge such as NEW_PASSWORD_REQUIRED.
func (a *API) RespondToAuthChallenge(ctx context.Context, in *cognito.RespondToAuthChallengeInput) (*cognito.RespondToAuthChallengeOutput, error) {
	r, err := a.auth.RespondToAuthChallenge(ctx, auth.ChallengeRequest{ClientID: in.ClientID, Name: in.ChallengeName, Responses: in.ChallengeResponses, Session: in.Session, ClientMetadata: in.ClientMetadata, Sender: sender(nil, in.UserContextData)})
	if err != nil {
		return nil, err
	}
	return &cognito.RespondToAuthChallengeOutput{
		AuthenticationResult: r.Tokens.AuthenticationResult(),
		ChallengeName:        r.ChallengeName,
		ChallengeParameters:  r.ChallengeParameters,
		Session:              r.Session,
	}, nil
}
