package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/testserver"
	"github.com/userpool/userpool/internal/triggers"
)

// functionHost stands in for the Lambda Invoke API: each function, named
// by the name in its ARN, is a Go func that gets the event and returns
// the response member of its answer, or an error, which is the function
// failing (a *triggers.FunctionError) or the invocation failing (any
// other).
type functionHost struct {
	mu     sync.Mutex
	funcs  map[string]func(ev map[string]any) (any, error)
	events []map[string]any
}

func newFunctionHost() *functionHost {
	return &functionHost{funcs: map[string]func(map[string]any) (any, error){}}
}

func (h *functionHost) Invoke(_ context.Context, arn string, event []byte) ([]byte, error) {
	a, err := triggers.ParseARN(arn)
	if err != nil {
		return nil, err
	}
	var ev map[string]any
	if err := json.Unmarshal(event, &ev); err != nil {
		return nil, err
	}
	h.mu.Lock()
	h.events = append(h.events, ev)
	f := h.funcs[a.Name]
	h.mu.Unlock()
	if f == nil {
		return nil, &triggers.InvokeError{Code: "ResourceNotFoundException", Err: errors.New("no function " + a.Name)}
	}
	resp, err := f(ev)
	if err != nil {
		return nil, err
	}
	ev["response"] = resp
	return json.Marshal(ev)
}

// sources lists the triggerSource of every event so far.
func (h *functionHost) sources() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, ev := range h.events {
		out = append(out, ev["triggerSource"].(string))
	}
	return out
}

// last is the last event of source.
func (h *functionHost) last(t *testing.T, source string) map[string]any {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := len(h.events) - 1; i >= 0; i-- {
		if h.events[i]["triggerSource"] == source {
			return h.events[i]
		}
	}
	t.Fatalf("no %s event among %d", source, len(h.events))
	return nil
}

func fnARN(name string) *string {
	return aws.String("arn:aws:lambda:us-east-1:123456789012:function:" + name)
}

func triggersEnv(t *testing.T) (*env, *functionHost) {
	h := newFunctionHost()
	return newEnvFrom(t, testserver.New(t, testserver.WithTriggers(h))), h
}

// triggersOutboxEnv is triggersEnv whose server keeps the messages it
// sends in an outbox.
func triggersOutboxEnv(t *testing.T) (*env, *functionHost, *testserver.Stack) {
	h := newFunctionHost()
	s := testserver.New(t, testserver.WithTriggers(h), testserver.WithOutbox(nil))
	return newEnvFrom(t, s), h, s
}

func triggersPool(t *testing.T, e *env, lc *types.LambdaConfigType) (string, *types.UserPoolClientType) {
	t.Helper()
	pool := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.LambdaConfig = lc
		in.AutoVerifiedAttributes = []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}
	})
	return pool, tokensClient(t, e, pool, nil)
}

func triggersSignUp(e *env, c *types.UserPoolClientType, username, email string) (*cip.SignUpOutput, error) {
	return e.Client.SignUp(e.ctx(), &cip.SignUpInput{
		ClientId: c.ClientId, Username: aws.String(username), Password: aws.String(tokensPassword),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(email)}},
		ValidationData: []types.AttributeType{{Name: aws.String("invite"), Value: aws.String("x1")}},
		ClientMetadata: map[string]string{"from": "test"},
	})
}

func TestTriggerPreSignUpRefusalLeavesNoUser(t *testing.T) {
	e, h := triggersEnv(t)
	h.funcs["presignup"] = func(ev map[string]any) (any, error) {
		email := ev["request"].(map[string]any)["userAttributes"].(map[string]any)["email"].(string)
		if !strings.HasSuffix(email, "@example.com") {
			return nil, &triggers.FunctionError{Message: "Domain not allowed", Type: "Error"}
		}
		return ev["response"], nil
	}
	pool, client := triggersPool(t, e, &types.LambdaConfigType{PreSignUp: fnARN("presignup")})
	_, err := triggersSignUp(e, client, "mallory", "m@evil.test")
	wantAPIError(t, err, "UserLambdaValidationException", "PreSignUp failed with error Domain not allowed.")
	_, err = e.Client.AdminGetUser(e.ctx(), &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("mallory")})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = e.Client.AdminCreateUser(e.ctx(), usersCreateInput(pool, "mallory", "email", "m@evil.test"))
	wantAPIError(t, err, "UserLambdaValidationException", "PreSignUp failed with error Domain not allowed.")
	if ev := h.last(t, "PreSignUp_AdminCreateUser"); ev["callerContext"].(map[string]any)["clientId"] != "CLIENT_ID_NOT_APPLICABLE" {
		t.Errorf("AdminCreateUser event = %v", ev)
	}

	out, err := triggersSignUp(e, client, "ann", "ann@example.com")
	if err != nil || out.UserConfirmed {
		t.Fatalf("SignUp = %+v, %v", out, err)
	}
	ev := h.last(t, "PreSignUp_SignUp")
	req := ev["request"].(map[string]any)
	if req["validationData"].(map[string]any)["invite"] != "x1" || req["clientMetadata"].(map[string]any)["from"] != "test" ||
		ev["userName"] != "ann" || ev["userPoolId"] != pool || ev["callerContext"].(map[string]any)["clientId"] != aws.ToString(client.ClientId) {
		t.Errorf("event = %v", ev)
	}
	if _, ok := req["userAttributes"].(map[string]any)["sub"]; ok {
		t.Error("PreSignUp event carries sub")
	}
}

func TestTriggerPreSignUpAutoConfirmsAndPostConfirmation(t *testing.T) {
	e, h := triggersEnv(t)
	h.funcs["presignup"] = func(ev map[string]any) (any, error) {
		return map[string]any{"autoConfirmUser": true, "autoVerifyEmail": true}, nil
	}
	h.funcs["postconfirm"] = func(ev map[string]any) (any, error) { return map[string]any{}, nil }
	pool, client := triggersPool(t, e, &types.LambdaConfigType{PreSignUp: fnARN("presignup"), PostConfirmation: fnARN("postconfirm")})
	out, err := triggersSignUp(e, client, "ann", "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if !out.UserConfirmed || out.CodeDeliveryDetails != nil {
		t.Fatalf("SignUp = %+v", out)
	}
	attrs := h.last(t, "PostConfirmation_ConfirmSignUp")["request"].(map[string]any)["userAttributes"].(map[string]any)
	if attrs["sub"] != aws.ToString(out.UserSub) || attrs["cognito:user_status"] != "CONFIRMED" || attrs["email_verified"] != "true" {
		t.Errorf("PostConfirmation attributes = %v", attrs)
	}
	got, err := e.Client.AdminGetUser(e.ctx(), &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("ann")})
	if err != nil || got.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("AdminGetUser = %+v, %v", got, err)
	}
	signInUser(t, e, pool, client, "ann", tokensPassword)

	// A PostConfirmation that fails is the action's answer, but the user
	// stays confirmed, as on Cognito.
	h.funcs["postconfirm"] = func(ev map[string]any) (any, error) {
		return nil, &triggers.FunctionError{Message: "db down", Type: "Error"}
	}
	h.funcs["presignup"] = func(ev map[string]any) (any, error) { return ev["response"], nil }
	if _, err := triggersSignUp(e, client, "bob", "bob@example.com"); err != nil {
		t.Fatal(err)
	}
	_, err = e.Client.AdminConfirmSignUp(e.ctx(), &cip.AdminConfirmSignUpInput{UserPoolId: aws.String(pool), Username: aws.String("bob")})
	wantAPIError(t, err, "UserLambdaValidationException", "PostConfirmation failed with error db down.")
	got, err = e.Client.AdminGetUser(e.ctx(), &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("bob")})
	if err != nil || got.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("AdminGetUser = %+v, %v", got, err)
	}
}

func TestTriggerAuthentication(t *testing.T) {
	e, h := triggersEnv(t)
	refuse := false
	h.funcs["preauth"] = func(ev map[string]any) (any, error) {
		if refuse {
			return nil, &triggers.FunctionError{Message: "Not today", Type: "Error"}
		}
		return ev["response"], nil
	}
	h.funcs["postauth"] = func(ev map[string]any) (any, error) { return ev["response"], nil }
	pool, client := triggersPool(t, e, &types.LambdaConfigType{PreAuthentication: fnARN("preauth"), PostAuthentication: fnARN("postauth")})
	tokensUser(t, e, pool, "alice", "email", "alice@example.com", "email_verified", "true")
	_, err := e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: client.ClientId,
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": tokensPassword},
		ClientMetadata: map[string]string{"ip": "10.0.0.1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	pre := h.last(t, "PreAuthentication_Authentication")["request"].(map[string]any)
	if pre["validationData"].(map[string]any)["ip"] != "10.0.0.1" || pre["userAttributes"].(map[string]any)["cognito:user_status"] != "CONFIRMED" {
		t.Errorf("PreAuthentication request = %v", pre)
	}
	post := h.last(t, "PostAuthentication_Authentication")["request"].(map[string]any)
	if _, ok := post["clientMetadata"]; ok {
		t.Errorf("PostAuthentication got InitiateAuth's ClientMetadata: %v", post)
	}
	refuse = true
	_, err = tokensInitiate(e, client, "alice", tokensPassword)
	wantAPIError(t, err, "UserLambdaValidationException", "PreAuthentication failed with error Not today.")
	// An unknown user runs no trigger.
	n := len(h.sources())
	_, err = tokensInitiate(e, client, "nobody", tokensPassword)
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	if len(h.sources()) != n {
		t.Errorf("triggers ran for an unknown user: %v", h.sources()[n:])
	}
	refuse = false
	h.funcs["postauth"] = func(ev map[string]any) (any, error) {
		return nil, &triggers.FunctionError{Message: "audit failed", Type: "Error"}
	}
	_, err = tokensInitiate(e, client, "alice", tokensPassword)
	wantAPIError(t, err, "UserLambdaValidationException", "PostAuthentication failed with error audit failed.")
}

func TestTriggerPreTokenGenerationV2SurvivesRefresh(t *testing.T) {
	e, h := triggersEnv(t)
	h.funcs["pretoken"] = func(ev map[string]any) (any, error) {
		return map[string]any{"claimsAndScopeOverrideDetails": map[string]any{
			"idTokenGeneration": map[string]any{"claimsToAddOrOverride": map[string]any{"tenant": "acme", "sub": "forged"}, "claimsToSuppress": []string{"email"}},
			"accessTokenGeneration": map[string]any{
				"claimsToAddOrOverride": map[string]any{"tier": 2, "features": []string{"a", "b"}},
				"scopesToAdd":           []string{"api/read"},
			},
			"groupOverrideDetails": map[string]any{"groupsToOverride": []string{"vip"}},
		}}, nil
	}
	pool, client := triggersPool(t, e, &types.LambdaConfigType{
		PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{LambdaArn: fnARN("pretoken"), LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV20},
	})
	tokensUser(t, e, pool, "alice", "email", "alice@example.com", "email_verified", "true")
	first := signInUser(t, e, pool, client, "alice", tokensPassword)
	check := func(r *types.AuthenticationResultType) {
		t.Helper()
		id, access := tokensClaims(t, aws.ToString(r.IdToken)), tokensClaims(t, aws.ToString(r.AccessToken))
		if id["tenant"] != "acme" || id["email"] != nil || id["sub"] == "forged" || id["cognito:groups"].([]any)[0] != "vip" {
			t.Errorf("ID token = %v", id)
		}
		if access["tier"] != float64(2) || len(access["features"].([]any)) != 2 ||
			access["scope"] != "aws.cognito.signin.user.admin api/read" || access["cognito:groups"].([]any)[0] != "vip" {
			t.Errorf("access token = %v", access)
		}
	}
	check(first)
	ev := h.last(t, "TokenGeneration_Authentication")
	if ev["version"] != "2" || ev["request"].(map[string]any)["scopes"].([]any)[0] != "aws.cognito.signin.user.admin" {
		t.Errorf("event = %v", ev)
	}
	r, err := tokensRefresh(e, client, "alice", aws.ToString(first.RefreshToken))
	if err != nil {
		t.Fatal(err)
	}
	check(r)
	h.last(t, "TokenGeneration_RefreshTokens")
	// The access token still works for the user's own actions.
	if _, err := e.Client.GetUser(e.ctx(), &cip.GetUserInput{AccessToken: r.AccessToken}); err != nil {
		t.Fatal(err)
	}
}

func TestTriggerPreTokenGenerationV1(t *testing.T) {
	e, h := triggersEnv(t)
	h.funcs["pretoken"] = func(ev map[string]any) (any, error) {
		return map[string]any{"claimsOverrideDetails": map[string]any{"claimsToAddOrOverride": map[string]any{"tenant": "acme"}}}, nil
	}
	pool, client := triggersPool(t, e, &types.LambdaConfigType{PreTokenGeneration: fnARN("pretoken")})
	tokensUser(t, e, pool, "alice", "email", "alice@example.com", "email_verified", "true")
	r := signInUser(t, e, pool, client, "alice", tokensPassword)
	if id, access := tokensClaims(t, aws.ToString(r.IdToken)), tokensClaims(t, aws.ToString(r.AccessToken)); id["tenant"] != "acme" || access["tenant"] != nil {
		t.Errorf("ID token %v, access token %v", id, access)
	}
	if ev := h.last(t, "TokenGeneration_Authentication"); ev["version"] != "1" {
		t.Errorf("event = %v", ev)
	}
	// A function of the wrong shape fails the sign-in.
	h.funcs["pretoken"] = func(ev map[string]any) (any, error) {
		return map[string]any{"claimsOverrideDetails": map[string]any{"claimsToAddOrOverride": map[string]any{"tier": 2}}}, nil
	}
	_, err := tokensInitiate(e, client, "alice", tokensPassword)
	wantAPIError(t, err, "InvalidLambdaResponseException", "Unrecognizable lambda output")
}

func TestTriggerInvocationFailure(t *testing.T) {
	e, _ := triggersEnv(t)
	_, client := triggersPool(t, e, &types.LambdaConfigType{PreSignUp: fnARN("missing")})
	_, err := triggersSignUp(e, client, "ann", "ann@example.com")
	wantAPIError(t, err, "UnexpectedLambdaException", "PreSignUp invocation failed due to error ResourceNotFoundException.")
}

func TestTriggerPreTokenGenerationARNsMustAgree(t *testing.T) {
	e := newEnv(t)
	_, err := e.Client.CreateUserPool(e.ctx(), &cip.CreateUserPoolInput{
		PoolName: aws.String("p"),
		LambdaConfig: &types.LambdaConfigType{
			PreTokenGeneration:       fnARN("one"),
			PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{LambdaArn: fnARN("two"), LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV20},
		},
	})
	wantAPIError(t, err, "InvalidParameterException", "PreTokenGeneration and PreTokenGenerationConfig.LambdaArn must be the same function.")
}

func TestTriggerCustomMessage(t *testing.T) {
	e, h, s := triggersOutboxEnv(t)
	h.funcs["message"] = func(ev map[string]any) (any, error) {
		req := ev["request"].(map[string]any)
		if ev["triggerSource"] == "CustomMessage_ForgotPassword" {
			return ev["response"], nil // keeps the pool's own text
		}
		return map[string]any{
			"emailSubject": "Welcome to Acme",
			"emailMessage": "Hello " + req["userAttributes"].(map[string]any)["email"].(string) + ", your code is " + req["codeParameter"].(string),
			"smsMessage":   nil,
		}, nil
	}
	_, client := triggersPool(t, e, &types.LambdaConfigType{CustomMessage: fnARN("message")})
	if _, err := triggersSignUp(e, client, "ann", "ann@example.com"); err != nil {
		t.Fatal(err)
	}
	msgs := s.Outbox.Messages()
	m := msgs[len(msgs)-1]
	if m.Subject != "Welcome to Acme" || m.Body != "Hello ann@example.com, your code is "+m.Code || len(m.Code) != 6 {
		t.Errorf("message = %+v", m)
	}
	ev := h.last(t, "CustomMessage_SignUp")
	if ev["request"].(map[string]any)["codeParameter"] != "{####}" {
		t.Errorf("event = %v", ev)
	}
	// The code in the message is the one that confirms.
	if _, err := e.Client.ConfirmSignUp(e.ctx(), &cip.ConfirmSignUpInput{ClientId: client.ClientId, Username: aws.String("ann"), ConfirmationCode: aws.String(m.Code)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Client.ForgotPassword(e.ctx(), &cip.ForgotPasswordInput{ClientId: client.ClientId, Username: aws.String("ann")}); err != nil {
		t.Fatal(err)
	}
	msgs = s.Outbox.Messages()
	if m := msgs[len(msgs)-1]; m.Subject != "Your verification code" || !strings.Contains(m.Body, m.Code) {
		t.Errorf("forgot-password message = %+v", m)
	}
	h.last(t, "CustomMessage_ForgotPassword")
	// A refusing function is the action's answer.
	h.funcs["message"] = func(map[string]any) (any, error) {
		return nil, &triggers.FunctionError{Message: "template missing", Type: "Error"}
	}
	_, err := e.Client.ForgotPassword(e.ctx(), &cip.ForgotPasswordInput{ClientId: client.ClientId, Username: aws.String("ann")})
	wantAPIError(t, err, "UserLambdaValidationException", "CustomMessage failed with error template missing.")
}

func TestTriggerUserMigration(t *testing.T) {
	e, h := triggersEnv(t)
	const legacyPassword = "old-system-pw" // below the pool's policy: migration does not apply it
	h.funcs["migrate"] = func(ev map[string]any) (any, error) {
		req := ev["request"].(map[string]any)
		user := ev["userName"].(string)
		if !strings.HasPrefix(user, "legacy") {
			return nil, &triggers.FunctionError{Message: "Unknown user", Type: "Error"}
		}
		if ev["triggerSource"] == "UserMigration_Authentication" && req["password"] != legacyPassword {
			return nil, &triggers.FunctionError{Message: "Bad password", Type: "Error"}
		}
		resp := map[string]any{
			"userAttributes":  map[string]any{"email": user + "@example.com", "email_verified": "true", "given_name": "Leg"},
			"finalUserStatus": "CONFIRMED", "messageAction": "SUPPRESS",
		}
		if user == "legacy-reset" {
			resp["finalUserStatus"] = "RESET_REQUIRED"
		}
		return resp, nil
	}
	pool, client := triggersPool(t, e, &types.LambdaConfigType{UserMigration: fnARN("migrate")})

	_, err := tokensInitiate(e, client, "legacy-ann", "wrong")
	wantAPIError(t, err, "UserLambdaValidationException", "UserMigration failed with error Bad password.")
	_, err = tokensInitiate(e, client, "stranger", legacyPassword)
	wantAPIError(t, err, "UserLambdaValidationException", "UserMigration failed with error Unknown user.")

	r := signInUser(t, e, pool, client, "legacy-ann", legacyPassword)
	if c := tokensClaims(t, aws.ToString(r.IdToken)); c["email"] != "legacy-ann@example.com" || c["given_name"] != "Leg" || c["email_verified"] != true {
		t.Errorf("ID token of a migrated user = %v", c)
	}
	ev := h.last(t, "UserMigration_Authentication")
	if ev["request"].(map[string]any)["password"] != legacyPassword {
		t.Errorf("event = %v", ev)
	}
	// The next sign-in needs no function.
	n := len(h.sources())
	signInUser(t, e, pool, client, "legacy-ann", legacyPassword)
	if len(h.sources()) != n {
		t.Errorf("the function ran again: %v", h.sources()[n:])
	}
	_, err = tokensInitiate(e, client, "legacy-reset", legacyPassword)
	wantAPIError(t, err, "PasswordResetRequiredException", "Password reset required for the user")

	// Forgot password migrates too, without a password, and the user must
	// set one with the code sent.
	out, err := e.Client.ForgotPassword(e.ctx(), &cip.ForgotPasswordInput{ClientId: client.ClientId, Username: aws.String("legacy-bob")})
	if err != nil || out.CodeDeliveryDetails == nil || out.CodeDeliveryDetails.AttributeName == nil {
		t.Fatalf("ForgotPassword = %+v, %v", out, err)
	}
	if _, ok := h.last(t, "UserMigration_ForgotPassword")["request"].(map[string]any)["password"]; ok {
		t.Error("ForgotPassword migration event carries a password")
	}
	got, err := e.Client.AdminGetUser(e.ctx(), &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("legacy-bob")})
	if err != nil || got.UserStatus != types.UserStatusTypeResetRequired {
		t.Fatalf("AdminGetUser = %+v, %v", got, err)
	}
}
