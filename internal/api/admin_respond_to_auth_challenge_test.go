package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// NEW_PASSWORD_REQUIRED through the admin actions.
func TestAdminRespondToAuthChallenge(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	otherPool := createTestPool(t, e, nil)
	usersCreate(t, e, pool, "nina")
	ch, err := e.Client.AdminInitiateAuth(e.ctx(), &cip.AdminInitiateAuthInput{
		UserPoolId: aws.String(pool), ClientId: client.ClientId, AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "nina", "PASSWORD": usersTempPassword},
	})
	if err != nil {
		t.Fatal(err)
	}
	if ch.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || ch.ChallengeParameters["USER_ID_FOR_SRP"] != "nina" || ch.Session == nil {
		t.Fatalf("AdminInitiateAuth = %+v", ch)
	}
	respond := func(poolID string) (*cip.AdminRespondToAuthChallengeOutput, error) {
		return e.Client.AdminRespondToAuthChallenge(e.ctx(), &cip.AdminRespondToAuthChallengeInput{
			UserPoolId: aws.String(poolID), ClientId: client.ClientId, ChallengeName: types.ChallengeNameTypeNewPasswordRequired,
			Session: ch.Session, ChallengeResponses: map[string]string{"USERNAME": "nina", "NEW_PASSWORD": "New-Passw0rd!"},
		})
	}
	_, err = respond(otherPool)
	wantAPIError(t, err, "ResourceNotFoundException", "User pool client "+aws.ToString(client.ClientId)+" does not exist.")
	_, err = respond(usersUnknownPool)
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+usersUnknownPool+" does not exist.")
	out, err := respond(pool)
	if err != nil {
		t.Fatal(err)
	}
	r := out.AuthenticationResult
	if r == nil || r.RefreshToken == nil || out.ChallengeName != "" {
		t.Fatalf("output = %+v", out)
	}
	tokensWantValid(t, e, aws.ToString(r.AccessToken))
	if got := usersGet(t, e, pool, "nina").UserStatus; got != types.UserStatusTypeConfirmed {
		t.Errorf("status = %s", got)
	}
	_, err = respond(pool)
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
}
