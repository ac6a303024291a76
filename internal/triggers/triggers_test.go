package triggers

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// fakeInvoker answers every invocation with answer(event), recording the
// events it was sent.
type fakeInvoker struct {
	events []map[string]any
	arns   []string
	answer func(ev map[string]any) ([]byte, error)
}

func (f *fakeInvoker) Invoke(ctx context.Context, arn string, event []byte) ([]byte, error) {
	var ev map[string]any
	if err := json.Unmarshal(event, &ev); err != nil {
		return nil, err
	}
	f.events = append(f.events, ev)
	f.arns = append(f.arns, arn)
	// The function gets its own copy, which it may change.
	var own map[string]any
	_ = json.Unmarshal(event, &own)
	return f.answer(own)
}

// respond returns the event with its response replaced, as functions do.
func respond(resp any) func(map[string]any) ([]byte, error) {
	return func(ev map[string]any) ([]byte, error) {
		ev["response"] = resp
		return json.Marshal(ev)
	}
}

const fn = "arn:aws:lambda:eu-west-1:123456789012:function:check"

func pool(lc cognito.LambdaConfigType) *cognito.UserPoolType {
	return &cognito.UserPoolType{ID: "eu-west-1_abc", LambdaConfig: &lc}
}

func TestPreSignUpEventAndAnswer(t *testing.T) {
	inv := &fakeInvoker{answer: respond(map[string]any{"autoConfirmUser": true, "autoVerifyEmail": true})}
	tr := New(inv, nil)
	ans, err := tr.PreSignUp(context.Background(), Call{
		Pool: pool(cognito.LambdaConfigType{PreSignUp: fn}), ClientID: "client1", UserName: "ann",
		Attributes: map[string]string{"email": "a@example.com"}, ClientMetadata: map[string]string{"k": "v"},
	}, SourceSignUp, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !ans.AutoConfirmUser || !ans.AutoVerifyEmail || ans.AutoVerifyPhone {
		t.Errorf("answer = %+v", ans)
	}
	want := map[string]any{
		"version": "1", "triggerSource": "PreSignUp_SignUp", "region": "eu-west-1", "userPoolId": "eu-west-1_abc",
		"userName": "ann", "callerContext": map[string]any{"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "client1"},
		"request": map[string]any{
			"userAttributes": map[string]any{"email": "a@example.com"}, "validationData": nil,
			"clientMetadata": map[string]any{"k": "v"},
		},
		"response": map[string]any{"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false},
	}
	if diff := cmp.Diff(want, inv.events[0]); diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}
	if inv.arns[0] != fn {
		t.Errorf("arn = %q", inv.arns[0])
	}
}

func TestNoTriggerConfigured(t *testing.T) {
	inv := &fakeInvoker{answer: func(map[string]any) ([]byte, error) { t.Fatal("invoked"); return nil, nil }}
	tr := New(inv, nil)
	c := Call{Pool: pool(cognito.LambdaConfigType{})}
	if _, err := tr.PreSignUp(context.Background(), c, SourceSignUp, nil); err != nil {
		t.Fatal(err)
	}
	if err := tr.PostConfirmation(context.Background(), c, SourceConfirmSignUp); err != nil {
		t.Fatal(err)
	}
	if ch, err := tr.PreTokenGeneration(context.Background(), c, TokenRequest{Source: TokenAuthentication}); ch != nil || err != nil {
		t.Fatal(ch, err)
	}
	var none *Triggers
	if err := none.PreAuthentication(context.Background(), Call{Pool: pool(cognito.LambdaConfigType{PreAuthentication: fn})}, nil); err != nil {
		t.Fatal(err)
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name     string
		answer   func(map[string]any) ([]byte, error)
		typ, msg string
	}{
		{"function error", func(map[string]any) ([]byte, error) {
			return nil, &FunctionError{Message: "Domain not allowed", Type: "Error"}
		}, cognito.TypeUserLambdaValidation, "PreSignUp failed with error Domain not allowed."},
		{"function error ending in a dot", func(map[string]any) ([]byte, error) {
			return nil, &FunctionError{Message: "No.", Type: "Error"}
		}, cognito.TypeUserLambdaValidation, "PreSignUp failed with error No.."},
		{"missing function", func(map[string]any) ([]byte, error) {
			return nil, &InvokeError{Code: "ResourceNotFoundException", Err: errors.New("no such function")}
		}, cognito.TypeUnexpectedLambda, "PreSignUp invocation failed due to error ResourceNotFoundException."},
		{"unreachable", func(map[string]any) ([]byte, error) {
			return nil, errors.New("connection refused")
		}, cognito.TypeUnexpectedLambda, "PreSignUp invocation failed due to error Lambda invocation failed."},
		{"not JSON", func(map[string]any) ([]byte, error) { return []byte("hello"), nil },
			cognito.TypeInvalidLambdaResponse, "Invalid lambda function output : Invalid JSON"},
		{"wrong shape", respond(map[string]any{"autoConfirmUser": "yes"}),
			cognito.TypeInvalidLambdaResponse, "Unrecognizable lambda output"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr := New(&fakeInvoker{answer: tc.answer}, nil)
			_, err := tr.PreSignUp(context.Background(), Call{Pool: pool(cognito.LambdaConfigType{PreSignUp: fn})}, SourceSignUp, nil)
			var ce *cognito.Error
			if !errors.As(err, &ce) || ce.Type != tc.typ || ce.Message != tc.msg {
				t.Fatalf("err = %v, want %s %q", err, tc.typ, tc.msg)
			}
		})
	}
}

// blockingInvoker never answers before its context ends.
type blockingInvoker struct{}

func (blockingInvoker) Invoke(ctx context.Context, _ string, _ []byte) ([]byte, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestTimeout(t *testing.T) {
	tr := New(blockingInvoker{}, nil)
	tr.timeout = 10 * time.Millisecond
	err := tr.PostConfirmation(context.Background(), Call{Pool: pool(cognito.LambdaConfigType{PostConfirmation: fn})}, SourceConfirmSignUp)
	if !errors.Is(err, cognito.New(cognito.TypeUnexpectedLambda, "")) ||
		err.(*cognito.Error).Message != "PostConfirmation invocation failed due to error Socket timeout while invoking Lambda function." {
		t.Fatalf("err = %v", err)
	}
}

func TestUserAttributes(t *testing.T) {
	u := store.User{
		Sub: "s-1", Status: cognito.UserStatusConfirmed, AliasEmail: "a@example.com",
		Attributes: []store.Attribute{{Name: "sub", Value: "s-1"}, {Name: "email", Value: "A@example.com"}, {Name: "email_verified", Value: "true"}},
	}
	want := map[string]string{
		"sub": "s-1", "email": "A@example.com", "email_verified": "true",
		"cognito:user_status": "CONFIRMED", "cognito:email_alias": "A@example.com",
	}
	if diff := cmp.Diff(want, UserAttributes(u)); diff != "" {
		t.Error(diff)
	}
}

func TestPreTokenGenerationV1(t *testing.T) {
	inv := &fakeInvoker{answer: respond(map[string]any{"claimsOverrideDetails": map[string]any{
		"claimsToAddOrOverride": map[string]any{"tenant": "t1", "sub": "evil", "email": "x@example.com"},
		"claimsToSuppress":      []string{"given_name", "iss"},
		"groupOverrideDetails":  map[string]any{"groupsToOverride": []string{"admins"}, "iamRolesToOverride": []string{}, "preferredRole": nil},
	}})}
	tr := New(inv, nil)
	ch, err := tr.PreTokenGeneration(context.Background(), Call{Pool: pool(cognito.LambdaConfigType{PreTokenGeneration: fn}), UserName: "ann"},
		TokenRequest{Source: TokenRefreshTokens, Groups: Groups{Groups: []string{"users"}}, Scopes: []string{"aws.cognito.signin.user.admin"}})
	if err != nil {
		t.Fatal(err)
	}
	want := &TokenChanges{
		ID:     ClaimChanges{Add: map[string]json.RawMessage{"tenant": json.RawMessage(`"t1"`), "email": json.RawMessage(`"x@example.com"`)}, Suppress: []string{"given_name"}},
		Groups: &Groups{Groups: []string{"admins"}, IAMRoles: []string{}},
	}
	if diff := cmp.Diff(want, ch); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	ev := inv.events[0]
	if ev["version"] != "1" || ev["triggerSource"] != "TokenGeneration_RefreshTokens" {
		t.Errorf("event = %v", ev)
	}
	req := ev["request"].(map[string]any)
	if _, ok := req["scopes"]; ok {
		t.Error("V1 event carries scopes")
	}
	wantGroups := map[string]any{"groupsToOverride": []any{"users"}, "iamRolesToOverride": []any{}, "preferredRole": nil}
	if diff := cmp.Diff(wantGroups, req["groupConfiguration"]); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff(map[string]any{"claimsOverrideDetails": nil}, ev["response"]); diff != "" {
		t.Error(diff)
	}
}

func TestPreTokenGenerationV1RefusesNonStringClaims(t *testing.T) {
	inv := &fakeInvoker{answer: respond(map[string]any{"claimsOverrideDetails": map[string]any{
		"claimsToAddOrOverride": map[string]any{"tier": 2},
	}})}
	_, err := New(inv, nil).PreTokenGeneration(context.Background(), Call{Pool: pool(cognito.LambdaConfigType{PreTokenGeneration: fn})}, TokenRequest{Source: TokenAuthentication})
	if !errors.Is(err, cognito.New(cognito.TypeInvalidLambdaResponse, "")) {
		t.Fatalf("err = %v", err)
	}
}

func TestPreTokenGenerationV2(t *testing.T) {
	inv := &fakeInvoker{answer: respond(map[string]any{"claimsAndScopeOverrideDetails": map[string]any{
		"idTokenGeneration": map[string]any{"claimsToAddOrOverride": map[string]any{"roles": []string{"a", "b"}}},
		"accessTokenGeneration": map[string]any{
			"claimsToAddOrOverride": map[string]any{"tier": 2, "client_id": "x"},
			"claimsToSuppress":      []string{"cognito:groups"},
			"scopesToAdd":           []string{"api/read", "api/write"}, "scopesToSuppress": []string{"api/write", "openid"},
		},
	}})}
	lc := cognito.LambdaConfigType{PreTokenGenerationConfig: &cognito.PreTokenGenerationVersionConfigType{LambdaARn: fn, LambdaVersion: "V2_0"}}
	tr := New(inv, nil)
	ch, err := tr.PreTokenGeneration(context.Background(), Call{Pool: pool(lc)}, TokenRequest{Source: TokenAuthentication, Scopes: []string{"openid", "email"}})
	if err != nil {
		t.Fatal(err)
	}
	if string(ch.ID.Add["roles"]) != `["a","b"]` || string(ch.Access.Add["tier"]) != "2" || ch.Access.Add["client_id"] != nil {
		t.Errorf("changes = %+v", ch)
	}
	if diff := cmp.Diff([]string{"email", "api/read"}, ch.Scopes([]string{"openid", "email"})); diff != "" {
		t.Error(diff)
	}
	if ch.Groups != nil {
		t.Error("groups overridden without groupOverrideDetails")
	}
	ev := inv.events[0]
	if ev["version"] != "2" || ev["request"].(map[string]any)["scopes"] == nil {
		t.Errorf("event = %v", ev)
	}
	// V2 does not run for client credentials; V3 does.
	if ch, err := tr.PreTokenGeneration(context.Background(), Call{Pool: pool(lc)}, TokenRequest{Source: TokenClientCredentials}); ch != nil || err != nil {
		t.Fatal(ch, err)
	}
	lc.PreTokenGenerationConfig.LambdaVersion = "V3_0"
	if _, err := tr.PreTokenGeneration(context.Background(), Call{Pool: pool(lc), ClientID: "c"}, TokenRequest{Source: TokenClientCredentials}); err != nil {
		t.Fatal(err)
	}
	last := inv.events[len(inv.events)-1]
	if last["version"] != "3" || last["triggerSource"] != "TokenGeneration_ClientCredentials" {
		t.Errorf("event = %v", last)
	}
	if _, ok := last["userName"]; ok {
		t.Error("client-credentials event names a user")
	}
}

func TestParseARN(t *testing.T) {
	a, err := ParseARN("arn:aws:lambda:us-west-2:123456789012:function:my-fn:live")
	if err != nil || a.Region != "us-west-2" || a.Name != "my-fn" {
		t.Fatal(a, err)
	}
	for _, bad := range []string{"my-fn", "arn:aws:s3:::bucket", "arn:aws:lambda:us-west-2:123456789012:layer:x"} {
		if _, err := ParseARN(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// TestLambdaInvoker drives the real invoker (aws-sdk-go-v2's Lambda
// client) against a server implementing the Invoke API's route, as sam
// local start-lambda does.
func TestLambdaInvoker(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	var gotPath, gotAuth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotAuth = r.URL.Path, r.Header.Get("Authorization")
		body, _ := io.ReadAll(r.Body)
		switch {
		case strings.Contains(r.URL.Path, "/functions/refuse/"):
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			_, _ = w.Write([]byte(`{"errorMessage":"Domain not allowed","errorType":"Error"}`))
		case strings.Contains(r.URL.Path, "/functions/check/"):
			_, _ = w.Write(body)
		default:
			w.Header().Set("X-Amzn-ErrorType", "ResourceNotFoundException")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"Type":"User","message":"Function not found"}`))
		}
	}))
	defer srv.Close()
	inv, err := NewLambda(context.Background(), srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := inv.Invoke(context.Background(), fn, []byte(`{"a":1}`))
	if err != nil || string(out) != `{"a":1}` {
		t.Fatalf("out %s, err %v", out, err)
	}
	if gotPath != "/2015-03-31/functions/check/invocations" {
		t.Errorf("path = %q", gotPath)
	}
	if !strings.Contains(gotAuth, "/eu-west-1/lambda/aws4_request") {
		t.Errorf("Authorization = %q, want SigV4 for lambda in the ARN's region", gotAuth)
	}
	_, err = inv.Invoke(context.Background(), strings.Replace(fn, "check", "refuse", 1), nil)
	var fe *FunctionError
	if !errors.As(err, &fe) || fe.Message != "Domain not allowed" {
		t.Fatalf("err = %v", err)
	}
	_, err = inv.Invoke(context.Background(), strings.Replace(fn, "check", "missing", 1), nil)
	var ie *InvokeError
	if !errors.As(err, &ie) || ie.Code != "ResourceNotFoundException" {
		t.Fatalf("err = %v", err)
	}
}

func TestCustomSenderIgnoredLogsOncePerPool(t *testing.T) {
	var buf strings.Builder
	tr := New(&fakeInvoker{}, slog.New(slog.NewTextHandler(&buf, nil)))
	p := pool(cognito.LambdaConfigType{CustomEmailSender: &cognito.CustomEmailLambdaVersionConfigType{LambdaARn: fn, LambdaVersion: "V1_0"}})
	for range 3 {
		tr.CustomSenderIgnored(context.Background(), p, false)
	}
	tr.CustomSenderIgnored(context.Background(), p, true) // no SMS sender: nothing to say
	if got := strings.Count(buf.String(), "custom sender triggers are not run yet"); got != 1 {
		t.Fatalf("%d log lines, want 1:\n%s", got, buf.String())
	}
	if !strings.Contains(buf.String(), "trigger=CustomEmailSender") {
		t.Errorf("log = %s", buf.String())
	}
}

func TestCustomAuthEvents(t *testing.T) {
	inv := &fakeInvoker{answer: func(ev map[string]any) ([]byte, error) {
		switch ev["triggerSource"] {
		case "DefineAuthChallenge_Authentication":
			ev["response"] = map[string]any{"challengeName": "CUSTOM_CHALLENGE", "issueTokens": false, "failAuthentication": false}
		case "CreateAuthChallenge_Authentication":
			ev["response"] = map[string]any{"publicChallengeParameters": map[string]any{"q": "2+2"}, "privateChallengeParameters": map[string]any{"a": "4"}, "challengeMetadata": "SUM"}
		case "VerifyAuthChallengeResponse_Authentication":
			req := ev["request"].(map[string]any)
			ev["response"] = map[string]any{"answerCorrect": req["challengeAnswer"] == req["privateChallengeParameters"].(map[string]any)["a"]}
		}
		return json.Marshal(ev)
	}}
	tr := New(inv, nil)
	c := Call{Pool: pool(cognito.LambdaConfigType{DefineAuthChallenge: fn, CreateAuthChallenge: fn, VerifyAuthChallengeResponse: fn}), UserName: "ann"}
	d, err := tr.DefineAuthChallenge(context.Background(), c, nil)
	if err != nil || d.Next() != "CUSTOM_CHALLENGE" || d.IssueTokens || d.FailAuthentication {
		t.Fatal(d, err)
	}
	if s := inv.events[0]["request"].(map[string]any)["session"]; s == nil || len(s.([]any)) != 0 {
		t.Errorf("Define session = %v, want []", s)
	}
	ch, err := tr.CreateAuthChallenge(context.Background(), c, "CUSTOM_CHALLENGE", nil)
	if err != nil || ch.Public["q"] != "2+2" || ch.Private["a"] != "4" || *ch.Metadata != "SUM" {
		t.Fatal(ch, err)
	}
	if req := inv.events[1]["request"].(map[string]any); req["challengeName"] != "CUSTOM_CHALLENGE" || req["session"] == nil {
		t.Errorf("Create request = %v", req)
	}
	for answer, want := range map[string]bool{"4": true, "5": false} {
		ok, err := tr.VerifyAuthChallengeResponse(context.Background(), c, ch.Private, answer)
		if err != nil || ok != want {
			t.Errorf("Verify(%q) = %v, %v", answer, ok, err)
		}
	}
	if _, err := tr.DefineAuthChallenge(context.Background(), Call{Pool: pool(cognito.LambdaConfigType{})}, nil); !errors.Is(err, ErrNoCustomAuth) {
		t.Errorf("no DefineAuthChallenge: %v", err)
	}
}
