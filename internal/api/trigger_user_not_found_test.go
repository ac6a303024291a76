package api_test

import (
	"testing"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/triggers"
)

// With PreventUserExistenceErrors ENABLED the sign-in triggers run for
// unknown users too, told so (request.userNotFound = true, false for a
// real user), and the answers are those a real user gets: PreAuthentication
// on the password flows, and CUSTOM_AUTH's three, whose sign-in of an
// unknown user never ends in tokens. Without it, unknown users run no
// trigger and the events carry no userNotFound.
func TestTriggerUserNotFound(t *testing.T) {
	e, h := triggersEnv(t)
	quizFunctions(h)
	h.funcs["preauth"] = func(ev map[string]any) (any, error) {
		if ev["request"].(map[string]any)["validationData"] != nil {
			return nil, &triggers.FunctionError{Message: "Blocked", Type: "Error"}
		}
		return ev["response"], nil
	}
	pool := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.LambdaConfig = &types.LambdaConfigType{
			PreAuthentication:   fnARN("preauth"),
			DefineAuthChallenge: fnARN("define"), CreateAuthChallenge: fnARN("create"), VerifyAuthChallengeResponse: fnARN("verify"),
		}
	})
	client := func(prevent types.PreventUserExistenceErrorTypes) *types.UserPoolClientType {
		return createTestClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
			in.PreventUserExistenceErrors = prevent
			in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{
				types.ExplicitAuthFlowsTypeAllowCustomAuth, types.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
				types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
			}
		})
	}
	c := client(types.PreventUserExistenceErrorTypesEnabled)
	tokensUser(t, e, pool, "alice", "email", "alice@example.com")
	notFound := func(source string) any {
		t.Helper()
		return h.last(t, source)["request"].(map[string]any)["userNotFound"]
	}

	// PreAuthentication, USER_PASSWORD_AUTH.
	_, err := tokensInitiate(e, c, "ghost", "Wrong-Passw0rd!")
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	if got := notFound("PreAuthentication_Authentication"); got != true {
		t.Errorf("unknown user: userNotFound = %v, want true", got)
	}
	if attrs := h.last(t, "PreAuthentication_Authentication")["request"].(map[string]any)["userAttributes"].(map[string]any); len(attrs) != 0 {
		t.Errorf("unknown user's userAttributes = %v, want {}", attrs)
	}
	if _, err := tokensInitiate(e, c, "alice", tokensPassword); err != nil {
		t.Fatal(err)
	}
	if got := notFound("PreAuthentication_Authentication"); got != false {
		t.Errorf("real user: userNotFound = %v, want false", got)
	}
	// A refusal reads the same for both.
	for _, name := range []string{"alice", "ghost"} {
		_, err := e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{
			ClientId: c.ClientId, AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientMetadata: map[string]string{"block": "1"},
			AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": tokensPassword},
		})
		wantAPIError(t, err, "UserLambdaValidationException", "PreAuthentication failed with error Blocked.")
	}
	// USER_SRP_AUTH runs it at the first step.
	before := len(h.sources())
	if _, err := e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{
		ClientId: c.ClientId, AuthFlow: types.AuthFlowTypeUserSrpAuth,
		AuthParameters: srpNew(t, pool, c, "ghost", tokensPassword).GetAuthParams(),
	}); err != nil {
		t.Fatalf("USER_SRP_AUTH of an unknown user: %v", err)
	}
	if len(h.sources()) != before+1 || notFound("PreAuthentication_Authentication") != true {
		t.Errorf("USER_SRP_AUTH: events %v", h.sources()[before:])
	}

	// CUSTOM_AUTH: the quiz runs for the unknown user as for alice, and
	// three right answers still give no tokens.
	out, err := e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{
		ClientId: c.ClientId, AuthFlow: types.AuthFlowTypeCustomAuth, AuthParameters: map[string]string{"USERNAME": "ghost"},
	})
	if err != nil || out.ChallengeName != types.ChallengeNameTypeCustomChallenge || out.ChallengeParameters["question"] != "question-1" {
		t.Fatalf("CUSTOM_AUTH of an unknown user = %v, %v", out, err)
	}
	if notFound("DefineAuthChallenge_Authentication") != true || notFound("CreateAuthChallenge_Authentication") != true {
		t.Error("DefineAuthChallenge and CreateAuthChallenge not told the user is unknown")
	}
	session := out.Session
	for n := 1; n <= 3; n++ {
		r, err := e.Client.RespondToAuthChallenge(e.ctx(), &cip.RespondToAuthChallengeInput{
			ClientId: c.ClientId, ChallengeName: types.ChallengeNameTypeCustomChallenge, Session: session,
			ChallengeResponses: map[string]string{"USERNAME": "ghost", "ANSWER": "answer-" + string(rune('0'+n))},
		})
		if n < 3 {
			if err != nil || r.ChallengeName != types.ChallengeNameTypeCustomChallenge {
				t.Fatalf("answer %d = %v, %v", n, r, err)
			}
			session = r.Session
			continue
		}
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	}
	if notFound("VerifyAuthChallengeResponse_Authentication") != true {
		t.Error("VerifyAuthChallengeResponse not told the user is unknown")
	}
	// Another name does not answer the unknown user's session.
	_, err = e.Client.RespondToAuthChallenge(e.ctx(), &cip.RespondToAuthChallengeInput{
		ClientId: c.ClientId, ChallengeName: types.ChallengeNameTypeCustomChallenge, Session: out.Session,
		ChallengeResponses: map[string]string{"USERNAME": "alice", "ANSWER": "answer-1"},
	})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	// alice's events say false.
	if _, err := e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{
		ClientId: c.ClientId, AuthFlow: types.AuthFlowTypeCustomAuth, AuthParameters: map[string]string{"USERNAME": "alice"},
	}); err != nil {
		t.Fatal(err)
	}
	if notFound("DefineAuthChallenge_Authentication") != false {
		t.Error("alice's DefineAuthChallenge event does not say userNotFound false")
	}

	// A client that reveals existence: no trigger for unknown users, and
	// no userNotFound in the events.
	legacy := client(types.PreventUserExistenceErrorTypesLegacy)
	before = len(h.sources())
	_, err = tokensInitiate(e, legacy, "ghost", tokensPassword)
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{
		ClientId: legacy.ClientId, AuthFlow: types.AuthFlowTypeCustomAuth, AuthParameters: map[string]string{"USERNAME": "ghost"},
	})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	if n := len(h.sources()) - before; n != 0 {
		t.Errorf("%d trigger events for unknown users of a LEGACY client", n)
	}
	if _, err := tokensInitiate(e, legacy, "alice", tokensPassword); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.last(t, "PreAuthentication_Authentication")["request"].(map[string]any)["userNotFound"]; ok {
		t.Error("a LEGACY client's event carries userNotFound")
	}
}
