package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// ADMIN_USER_PASSWORD_AUTH and its legacy name ADMIN_NO_SRP_AUTH sign in;
// the tokens verify with go-oidc and refresh through AdminInitiateAuth.
func TestAdminInitiateAuth(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	idv, accv := tokensVerifiers(t, e, pool, aws.ToString(client.ClientId))
	for _, flow := range []types.AuthFlowType{types.AuthFlowTypeAdminUserPasswordAuth, types.AuthFlowTypeAdminNoSrpAuth} {
		out, err := e.Client.AdminInitiateAuth(e.ctx(), &cip.AdminInitiateAuthInput{
			UserPoolId: aws.String(pool), ClientId: client.ClientId, AuthFlow: flow,
			AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": tokensPassword},
		})
		if err != nil {
			t.Fatalf("%s: %v", flow, err)
		}
		r := out.AuthenticationResult
		if r == nil || out.ChallengeName != "" || r.RefreshToken == nil || r.ExpiresIn != 3600 || aws.ToString(r.TokenType) != "Bearer" {
			t.Fatalf("%s: output = %+v", flow, out)
		}
		idTok, err := idv.Verify(e.ctx(), aws.ToString(r.IdToken))
		if err != nil {
			t.Fatalf("%s: go-oidc: ID token: %v", flow, err)
		}
		if _, err := accv.Verify(e.ctx(), aws.ToString(r.AccessToken)); err != nil {
			t.Fatalf("%s: go-oidc: access token: %v", flow, err)
		}
		if idTok.Subject != usersSub(t, e, pool, "alice") || idTok.Issuer != e.URL+"/"+pool {
			t.Errorf("%s: sub %s iss %s", flow, idTok.Subject, idTok.Issuer)
		}
		tokensWantValid(t, e, aws.ToString(r.AccessToken))

		ref, err := e.Client.AdminInitiateAuth(e.ctx(), &cip.AdminInitiateAuthInput{
			UserPoolId: aws.String(pool), ClientId: client.ClientId, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
			AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(r.RefreshToken)},
		})
		if err != nil {
			t.Fatalf("%s: refresh: %v", flow, err)
		}
		if ref.AuthenticationResult == nil || ref.AuthenticationResult.RefreshToken != nil {
			t.Fatalf("%s: refresh = %+v", flow, ref.AuthenticationResult)
		}
		if got := tokensClaims(t, aws.ToString(ref.AuthenticationResult.AccessToken))["origin_jti"]; got != tokensClaims(t, aws.ToString(r.AccessToken))["origin_jti"] {
			t.Errorf("%s: refreshed origin_jti = %v", flow, got)
		}
	}
}

func TestAdminInitiateAuthErrors(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	noAdmin := tokensClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth}
	})
	otherPool := createTestPool(t, e, nil)
	hiding := tokensClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
	})
	adminAuth := func(poolID string, c *types.UserPoolClientType, flow types.AuthFlowType, username, password string) error {
		_, err := e.Client.AdminInitiateAuth(e.ctx(), &cip.AdminInitiateAuthInput{
			UserPoolId: aws.String(poolID), ClientId: c.ClientId, AuthFlow: flow,
			AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password},
		})
		return err
	}
	admin := types.AuthFlowTypeAdminUserPasswordAuth
	for _, tc := range []struct {
		name     string
		err      error
		typ, msg string
	}{
		{"flow not enabled", adminAuth(pool, noAdmin, admin, "alice", tokensPassword), "InvalidParameterException", "Auth flow not enabled for this client"},
		{"alias of a flow not enabled", adminAuth(pool, noAdmin, types.AuthFlowTypeAdminNoSrpAuth, "alice", tokensPassword), "InvalidParameterException", "Auth flow not enabled for this client"},
		{"user flow", adminAuth(pool, client, types.AuthFlowTypeUserPasswordAuth, "alice", tokensPassword), "InvalidParameterException", "Initiate Auth method not supported."},
		{"wrong password", adminAuth(pool, client, admin, "alice", tokensWrongPassword), "NotAuthorizedException", "Incorrect username or password."},
		{"unknown user", adminAuth(pool, client, admin, "nobody", tokensPassword), "UserNotFoundException", "User does not exist."},
		{"unknown user, existence errors prevented", adminAuth(pool, hiding, admin, "nobody", tokensPassword), "NotAuthorizedException", "Incorrect username or password."},
		{"client of another pool", adminAuth(otherPool, client, admin, "alice", tokensPassword),
			"ResourceNotFoundException", "User pool client " + aws.ToString(client.ClientId) + " does not exist."},
		{"unknown pool", adminAuth(usersUnknownPool, client, admin, "alice", tokensPassword),
			"ResourceNotFoundException", "User pool " + usersUnknownPool + " does not exist."},
	} {
		t.Run(tc.name, func(t *testing.T) { wantAPIError(t, tc.err, tc.typ, tc.msg) })
	}

	// AdminInitiateAuth is an IAM action: an unsigned request is refused.
	status, _, body := e.rawUnsigned("AdminInitiateAuth", `{"UserPoolId":"`+pool+`","ClientId":"`+aws.ToString(client.ClientId)+
		`","AuthFlow":"ADMIN_USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"alice","PASSWORD":"`+tokensPassword+`"}}`)
	if status < 400 || body["AuthenticationResult"] != nil {
		t.Errorf("unsigned AdminInitiateAuth = %d %v", status, body)
	}
}
