package api

import (
	"context"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/cognito"
)

// AdminInitiateAuth signs a user in on behalf of a trusted back end
// (ADMIN_USER_PASSWORD_AUTH) or refreshes their tokens.
func (a *API) AdminInitiateAuth(ctx context.Context, in *cognito.AdminInitiateAuthInput) (*cognito.AdminInitiateAuthOutput, error) {
	r, err := a.auth.InitiateAuth(ctx, auth.InitiateRequest{Admin: true, PoolID: in.UserPoolID, ClientID: in.ClientID, Flow: in.AuthFlow, Params: in.AuthParameters, ClientMetadata: in.ClientMetadata, Sender: sender(in.ContextData, nil), Session: in.Session})
	if err != nil {
		return nil, err
	}
	return &cognito.AdminInitiateAuthOutput{
		AuthenticationResult: r.Tokens.AuthenticationResult(),
		AvailableChallenges:  r.AvailableChallenges,
		ChallengeName:        r.ChallengeName,
		ChallengeParameters:  r.ChallengeParameters,
		Session:              r.Session,
	}, nil
}
