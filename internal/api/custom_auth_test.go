package api_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// quizFunctions installs the three custom-auth functions of a quiz: three
// questions, the answer to question n is "answer-n"; three wrong answers
// in all fail the sign-in. With SRP first, the password is proven before
// the questions.
func quizFunctions(h *functionHost) {
	h.funcs["define"] = func(ev map[string]any) (any, error) {
		session := ev["request"].(map[string]any)["session"].([]any)
		right, wrong := 0, 0
		for _, s := range session {
			step := s.(map[string]any)
			switch {
			case step["challengeName"] == "SRP_A" && len(session) == 1:
				return map[string]any{"challengeName": "PASSWORD_VERIFIER", "issueTokens": false, "failAuthentication": false}, nil
			case step["challengeName"] != "CUSTOM_CHALLENGE":
			case step["challengeResult"] == true:
				right++
			default:
				wrong++
			}
		}
		switch {
		case wrong >= 3:
			return map[string]any{"issueTokens": false, "failAuthentication": true}, nil
		case right == 3:
			return map[string]any{"issueTokens": true, "failAuthentication": false}, nil
		}
		return map[string]any{"challengeName": "CUSTOM_CHALLENGE", "issueTokens": false, "failAuthentication": false}, nil
	}
	h.funcs["create"] = func(ev map[string]any) (any, error) {
		right := 0
		for _, s := range ev["request"].(map[string]any)["session"].([]any) {
			if step := s.(map[string]any); step["challengeName"] == "CUSTOM_CHALLENGE" && step["challengeResult"] == true {
				right++
			}
		}
		n := right + 1
		return map[string]any{
			"publicChallengeParameters":  map[string]any{"question": fmt.Sprintf("question-%d", n)},
			"privateChallengeParameters": map[string]any{"answer": fmt.Sprintf("answer-%d", n)},
			"challengeMetadata":          fmt.Sprintf("QUESTION-%d", n),
		}, nil
	}
	h.funcs["verify"] = func(ev map[string]any) (any, error) {
		req := ev["request"].(map[string]any)
		return map[string]any{"answerCorrect": req["challengeAnswer"] == req["privateChallengeParameters"].(map[string]any)["answer"]}, nil
	}
}

func customAuthPool(t *testing.T, e *env) (string, *types.UserPoolClientType) {
	t.Helper()
	pool := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.LambdaConfig = &types.LambdaConfigType{DefineAuthChallenge: fnARN("define"), CreateAuthChallenge: fnARN("create"), VerifyAuthChallengeResponse: fnARN("verify")}
	})
	client := createTestClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowCustomAuth, types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
	})
	tokensUser(t, e, pool, "alice", "email", "alice@example.com", "email_verified", "true")
	return pool, client
}

func customAnswer(e *env, c *types.UserPoolClientType, session *string, answer string) (*cip.RespondToAuthChallengeOutput, error) {
	return e.Client.RespondToAuthChallenge(e.ctx(), &cip.RespondToAuthChallengeInput{
		ClientId: c.ClientId, ChallengeName: types.ChallengeNameTypeCustomChallenge, Session: session,
		ChallengeResponses: map[string]string{"USERNAME": "alice", "ANSWER": answer},
	})
}

func TestCustomAuthThreeQuestions(t *testing.T) {
	e, h := triggersEnv(t)
	quizFunctions(h)
	_, client := customAuthPool(t, e)
	out, err := e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeCustomAuth, ClientId: client.ClientId, AuthParameters: map[string]string{"USERNAME": "alice"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.ChallengeName != types.ChallengeNameTypeCustomChallenge || out.ChallengeParameters["question"] != "question-1" ||
		out.ChallengeParameters["USERNAME"] != "alice" || out.ChallengeParameters["answer"] != "" {
		t.Fatalf("InitiateAuth = %q %v", out.ChallengeName, out.ChallengeParameters)
	}
	session := out.Session
	// A wrong answer asks the same question again.
	r, err := customAnswer(e, client, session, "wrong")
	if err != nil || r.ChallengeParameters["question"] != "question-1" {
		t.Fatalf("wrong answer: %+v, %v", r, err)
	}
	session = r.Session
	for n := 1; n <= 3; n++ {
		r, err = customAnswer(e, client, session, fmt.Sprintf("answer-%d", n))
		if err != nil {
			t.Fatalf("answer %d: %v", n, err)
		}
		if n < 3 && r.ChallengeParameters["question"] != fmt.Sprintf("question-%d", n+1) {
			t.Fatalf("after answer %d: %v", n, r.ChallengeParameters)
		}
		session = r.Session
	}
	if r.AuthenticationResult == nil || r.AuthenticationResult.RefreshToken == nil {
		t.Fatalf("after three answers: %+v", r)
	}
	if c := tokensClaims(t, aws.ToString(r.AuthenticationResult.IdToken)); c["cognito:username"] != "alice" {
		t.Errorf("ID token %v", c)
	}
	define := h.last(t, "DefineAuthChallenge_Authentication")["request"].(map[string]any)["session"].([]any)
	if len(define) != 4 || define[0].(map[string]any)["challengeResult"] != false || define[3].(map[string]any)["challengeMetadata"] != "QUESTION-3" {
		t.Errorf("last DefineAuthChallenge session = %v", define)
	}
}

func TestCustomAuthFailAuthentication(t *testing.T) {
	e, h := triggersEnv(t)
	quizFunctions(h)
	_, client := customAuthPool(t, e)
	out, err := e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeCustomAuth, ClientId: client.ClientId, AuthParameters: map[string]string{"USERNAME": "alice"},
	})
	if err != nil {
		t.Fatal(err)
	}
	session := out.Session
	for range 2 {
		r, err := customAnswer(e, client, session, "wrong")
		if err != nil {
			t.Fatal(err)
		}
		session = r.Session
	}
	_, err = customAnswer(e, client, session, "wrong")
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	_, err = customAnswer(e, client, session, "")
	wantAPIError(t, err, "InvalidParameterException", "Missing required parameter ANSWER")
	_, err = e.Client.RespondToAuthChallenge(e.ctx(), &cip.RespondToAuthChallengeInput{
		ClientId: client.ClientId, ChallengeName: types.ChallengeNameTypeCustomChallenge, Session: aws.String("forged-session-that-is-long-enough"),
		ChallengeResponses: map[string]string{"USERNAME": "alice", "ANSWER": "answer-1"},
	})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
}

func TestCustomAuthSRPFirst(t *testing.T) {
	e, h := triggersEnv(t)
	quizFunctions(h)
	pool, client := customAuthPool(t, e)
	s := srpNew(t, pool, client, "alice", tokensPassword)
	params := s.GetAuthParams()
	params["CHALLENGE_NAME"] = "SRP_A"
	out, err := e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeCustomAuth, ClientId: client.ClientId, AuthParameters: params})
	if err != nil {
		t.Fatal(err)
	}
	if out.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		t.Fatalf("ChallengeName = %q", out.ChallengeName)
	}
	r, err := srpRespond(e, client, types.ChallengeNameTypePasswordVerifier, srpAnswer(t, e, s, out.ChallengeParameters), out.Session)
	if err != nil {
		t.Fatal(err)
	}
	if r.ChallengeName != types.ChallengeNameTypeCustomChallenge || r.ChallengeParameters["question"] != "question-1" {
		t.Fatalf("after PASSWORD_VERIFIER: %q %v", r.ChallengeName, r.ChallengeParameters)
	}
	steps := h.last(t, "DefineAuthChallenge_Authentication")["request"].(map[string]any)["session"].([]any)
	if len(steps) != 2 || steps[0].(map[string]any)["challengeName"] != "SRP_A" || steps[1].(map[string]any)["challengeName"] != "PASSWORD_VERIFIER" {
		t.Errorf("DefineAuthChallenge session = %v", steps)
	}
	// A wrong password fails before any question.
	bad := srpNew(t, pool, client, "alice", tokensWrongPassword)
	params = bad.GetAuthParams()
	params["CHALLENGE_NAME"] = "SRP_A"
	out, err = e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeCustomAuth, ClientId: client.ClientId, AuthParameters: params})
	if err != nil {
		t.Fatal(err)
	}
	_, err = srpRespond(e, client, types.ChallengeNameTypePasswordVerifier, srpAnswer(t, e, bad, out.ChallengeParameters), out.Session)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
}

func TestCustomAuthRefusals(t *testing.T) {
	e, _ := triggersEnv(t)
	pool := createTestPool(t, e, nil)
	client := createTestClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowCustomAuth}
	})
	tokensUser(t, e, pool, "alice")
	_, err := e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeCustomAuth, ClientId: client.ClientId, AuthParameters: map[string]string{"USERNAME": "alice"},
	})
	wantAPIError(t, err, "InvalidParameterException", "Custom auth lambda trigger is not configured for the user pool.")
	other := createTestClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth}
	})
	_, err = e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeCustomAuth, ClientId: other.ClientId, AuthParameters: map[string]string{"USERNAME": "alice"},
	})
	wantAPIError(t, err, "InvalidParameterException", "Custom auth flow not enabled for this client")
	_, err = e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeCustomAuth, ClientId: client.ClientId, AuthParameters: map[string]string{"USERNAME": "nobody"},
	})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
}
