package api

import (
	"context"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/cognito"
)

// InitiateAuth signs a user in (USER_PASSWORD_AUTH) or refreshes their
// tokens (REFRESH_TOKEN_AUTH).
func (a *API) InitiateAuth(ctx context.Context, in *cognito.InitiateAuthInput) (*cognito.InitiateAuthOutput, error) {
	r, err := a.auth.InitiateAuth(ctx, auth.InitiateRequest{ClientID: in.ClientID, Flow: in.AuthFlow, Params: in.AuthParameters, ClientMetadata: in.ClientMetadata, Sender: sender(nil, in.UserContextData), Session: in.Session})
	if err != nil {
		return nil, err
	}
	return &cognito.InitiateAuthOutput{
		AuthenticationResult: r.Tokens.AuthenticationResult(),
		AvailableChallenges:  r.AvailableChallenges,
		ChallengeName:        r.ChallengeName,
		ChallengeParameters:  r.ChallengeParameters,
		Session:              r.Session,
	}, nil
}
