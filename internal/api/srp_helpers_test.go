package api_test

import (
	"testing"
	"time"

	cognitosrp "github.com/alexrudd/cognito-srp/v4"
	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Helpers for the tests of USER_SRP_AUTH and the remembered devices
// (issue 6). The client side of every handshake is alexrudd/cognito-srp,
// an SRP implementation independent of the server's.

// srpFlows are the flows of srpSetup's client unless told otherwise.
var srpFlows = []types.ExplicitAuthFlowsType{
	types.ExplicitAuthFlowsTypeAllowUserSrpAuth,
	types.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
	types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
}

// srpSetup creates a pool (adjusted by poolMut), an app client allowing
// srpFlows (adjusted by clientMut) and the CONFIRMED user "alice" with
// tokensPassword.
func srpSetup(t *testing.T, e *env, poolMut func(*cip.CreateUserPoolInput), clientMut func(*cip.CreateUserPoolClientInput)) (string, *types.UserPoolClientType) {
	t.Helper()
	pool := createTestPool(t, e, poolMut)
	client := srpClientFor(t, e, pool, clientMut)
	tokensUser(t, e, pool, "alice", "email", "alice@example.com", "email_verified", "true")
	return pool, client
}

// srpClientFor creates an app client allowing srpFlows, adjusted by
// mutate.
func srpClientFor(t *testing.T, e *env, pool string, mutate func(*cip.CreateUserPoolClientInput)) *types.UserPoolClientType {
	t.Helper()
	return createTestClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = srpFlows
		if mutate != nil {
			mutate(in)
		}
	})
}

// srpNew starts the client side of a handshake for username and password
// against the pool, with the client's secret when it has one.
func srpNew(t *testing.T, pool string, c *types.UserPoolClientType, username, password string) *cognitosrp.CognitoSRP {
	t.Helper()
	s, err := cognitosrp.NewCognitoSRP(username, password, pool, aws.ToString(c.ClientId), c.ClientSecret)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// srpInitiate runs InitiateAuth USER_SRP_AUTH with the handshake's
// parameters (USERNAME, SRP_A, SECRET_HASH) and extra ones; an extra
// parameter set to "" is removed.
func srpInitiate(e *env, c *types.UserPoolClientType, s *cognitosrp.CognitoSRP, extra map[string]string) (*cip.InitiateAuthOutput, error) {
	params := s.GetAuthParams()
	for k, v := range extra {
		if v == "" {
			delete(params, k)
		} else {
			params[k] = v
		}
	}
	return e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: c.ClientId, AuthParameters: params,
	})
}

// srpChallenge runs srpInitiate and requires the PASSWORD_VERIFIER
// challenge.
func srpChallenge(t *testing.T, e *env, c *types.UserPoolClientType, s *cognitosrp.CognitoSRP, extra map[string]string) *cip.InitiateAuthOutput {
	t.Helper()
	out, err := srpInitiate(e, c, s, extra)
	if err != nil {
		t.Fatalf("InitiateAuth USER_SRP_AUTH: %v", err)
	}
	if out.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		t.Fatalf("ChallengeName = %q, want PASSWORD_VERIFIER", out.ChallengeName)
	}
	return out
}

// srpAnswer computes the client's PASSWORD_VERIFIER responses at the
// test clock.
func srpAnswer(t *testing.T, e *env, s *cognitosrp.CognitoSRP, params map[string]string) map[string]string {
	t.Helper()
	return srpAnswerAt(t, s, params, e.Clock.Now())
}

func srpAnswerAt(t *testing.T, s *cognitosrp.CognitoSRP, params map[string]string, at time.Time) map[string]string {
	t.Helper()
	resp, err := s.PasswordVerifierChallenge(params, at)
	if err != nil {
		t.Fatalf("PasswordVerifierChallenge: %v", err)
	}
	return resp
}

// srpRespond runs RespondToAuthChallenge.
func srpRespond(e *env, c *types.UserPoolClientType, name types.ChallengeNameType, responses map[string]string, session *string) (*cip.RespondToAuthChallengeOutput, error) {
	return e.Client.RespondToAuthChallenge(e.ctx(), &cip.RespondToAuthChallengeInput{
		ClientId: c.ClientId, ChallengeName: name, ChallengeResponses: responses, Session: session,
	})
}

// srpSignIn runs a whole USER_SRP_AUTH handshake, with the extra
// InitiateAuth parameters given, and returns the answer to
// PASSWORD_VERIFIER (tokens, or the next challenge).
func srpSignIn(t *testing.T, e *env, pool string, c *types.UserPoolClientType, username, password string, extra map[string]string) (*cip.RespondToAuthChallengeOutput, error) {
	t.Helper()
	s := srpNew(t, pool, c, username, password)
	ch := srpChallenge(t, e, c, s, extra)
	resp := srpAnswer(t, e, s, ch.ChallengeParameters)
	if k := extra["DEVICE_KEY"]; k != "" {
		resp["DEVICE_KEY"] = k
	}
	return srpRespond(e, c, types.ChallengeNameTypePasswordVerifier, resp, ch.Session)
}

// srpTokens runs srpSignIn and requires tokens.
func srpTokens(t *testing.T, e *env, pool string, c *types.UserPoolClientType, username, password string) *types.AuthenticationResultType {
	t.Helper()
	out, err := srpSignIn(t, e, pool, c, username, password, nil)
	if err != nil {
		t.Fatalf("SRP sign-in of %s: %v", username, err)
	}
	if out.AuthenticationResult == nil || out.ChallengeName != "" {
		t.Fatalf("SRP sign-in of %s: challenge %q, want tokens", username, out.ChallengeName)
	}
	return out.AuthenticationResult
}

// srpWantFails asserts the SRP handshake of username with password ends
// in NotAuthorizedException "Incorrect username or password." at the
// verifier step.
func srpWantFails(t *testing.T, e *env, pool string, c *types.UserPoolClientType, username, password string) {
	t.Helper()
	_, err := srpSignIn(t, e, pool, c, username, password, nil)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
}
