package oauth2_test

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/testserver"
	"github.com/userpool/userpool/internal/triggers"
)

// tokFunction is a pre token generation function run in process: it adds
// a tenant claim to both tokens, or fails when refuse is set, and records
// the trigger sources it saw.
type tokFunction struct {
	mu      sync.Mutex
	refuse  bool
	sources []string
}

func (f *tokFunction) Invoke(_ context.Context, _ string, event []byte) ([]byte, error) {
	var ev map[string]any
	if err := json.Unmarshal(event, &ev); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sources = append(f.sources, ev["triggerSource"].(string))
	if f.refuse {
		return nil, &triggers.FunctionError{Message: "no tokens today", Type: "Error"}
	}
	add := map[string]any{"claimsToAddOrOverride": map[string]any{"tenant": "acme"}}
	ev["response"] = map[string]any{"claimsAndScopeOverrideDetails": map[string]any{"idTokenGeneration": add, "accessTokenGeneration": add}}
	return json.Marshal(ev)
}

// Pre token generation (V3_0) at the token endpoint: the code exchange is
// TokenGeneration_HostedAuth, the refresh grant RefreshTokens, the
// client_credentials grant ClientCredentials; a refusal is invalid_request
// with Cognito's message.
func TestTokenPreTokenGeneration(t *testing.T) {
	fn := &tokFunction{}
	e := newTokEnv(t, testserver.WithTriggers(fn))
	err := e.Svc.UpdatePool(e.ctx(), &cognito.UpdateUserPoolInput{UserPoolID: e.PoolID, LambdaConfig: &cognito.LambdaConfigType{
		PreTokenGenerationConfig: &cognito.PreTokenGenerationVersionConfigType{LambdaARn: "arn:aws:lambda:us-east-1:123456789012:function:tokens", LambdaVersion: "V3_0"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	webAuth := []string{"Authorization", basic(e.Web.ClientID, e.Web.ClientSecret)}
	r := e.postForm("/oauth2/token", tokForm("grant_type", "authorization_code", "code", e.code(t, e.Web, "", "openid", "email"),
		"redirect_uri", tokCallback), webAuth...)
	got := wantTokens(t, r, "id_token", "access_token", "refresh_token", "token_type", "expires_in")
	if tokClaims(t, got.IDToken)["tenant"] != "acme" || tokClaims(t, got.AccessToken)["tenant"] != "acme" {
		t.Errorf("exchanged tokens lack the claim")
	}
	r = e.postForm("/oauth2/token", tokForm("grant_type", "refresh_token", "refresh_token", got.RefreshToken), webAuth...)
	if refreshed := wantTokens(t, r, "id_token", "access_token", "token_type", "expires_in"); tokClaims(t, refreshed.AccessToken)["tenant"] != "acme" {
		t.Error("refreshed access token lacks the claim")
	}
	r = e.postForm("/oauth2/token", tokForm("grant_type", "client_credentials"), "Authorization", basic(e.M2M.ClientID, e.M2M.ClientSecret))
	if m2m := wantTokens(t, r, "access_token", "token_type", "expires_in"); tokClaims(t, m2m.AccessToken)["tenant"] != "acme" {
		t.Error("client-credentials token lacks the claim")
	}
	want := []string{"TokenGeneration_HostedAuth", "TokenGeneration_RefreshTokens", "TokenGeneration_ClientCredentials"}
	if len(fn.sources) != 3 || fn.sources[0] != want[0] || fn.sources[1] != want[1] || fn.sources[2] != want[2] {
		t.Errorf("sources = %v, want %v", fn.sources, want)
	}
	fn.refuse = true
	wantOAuthError(t, e.postForm("/oauth2/token", tokForm("grant_type", "client_credentials"), "Authorization", basic(e.M2M.ClientID, e.M2M.ClientSecret)),
		http.StatusBadRequest, "invalid_request", "PreTokenGeneration failed with error no tokens today.")
}

// authFunctions are Pre/PostAuthentication functions run in process: the
// user "blocked" is refused before the password is checked, and every
// source seen is recorded.
type authFunctions struct {
	mu      sync.Mutex
	sources []string
}

func (f *authFunctions) Invoke(_ context.Context, _ string, event []byte) ([]byte, error) {
	var ev map[string]any
	if err := json.Unmarshal(event, &ev); err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.sources = append(f.sources, ev["triggerSource"].(string))
	f.mu.Unlock()
	if ev["triggerSource"] == "PreAuthentication_Authentication" && ev["userName"] == "blocked" {
		return nil, &triggers.FunctionError{Message: "This account is blocked", Type: "Error"}
	}
	return event, nil
}

// The hosted login page runs PreAuthentication and PostAuthentication as
// the JSON API does, and shows a refusal on the form.
func TestLoginAuthenticationTriggers(t *testing.T) {
	fn := &authFunctions{}
	e, svc := newHostedStack(t, "", testserver.WithTriggers(fn))
	pool, err := svc.CreatePool(t.Context(), &cognito.CreateUserPoolInput{PoolName: "hosted", LambdaConfig: &cognito.LambdaConfigType{
		PreAuthentication:  "arn:aws:lambda:us-east-1:123456789012:function:pre",
		PostAuthentication: "arn:aws:lambda:us-east-1:123456789012:function:post",
	}})
	if err != nil {
		t.Fatal(err)
	}
	e.PoolID = pool.ID
	addDomain(t, svc, pool.ID)
	e.ClientID = e.createClient(nil)
	e.createUser(hostedUser, hostedPassword, true)
	e.createUser("blocked", hostedPassword, true)

	r := e.signIn(e.authorizeQuery(), "blocked", hostedPassword)
	if r.Status != http.StatusOK {
		t.Fatalf("refused sign-in answered %d", r.Status)
	}
	wantAlert(t, r, "PreAuthentication failed with error This account is blocked.")
	r = e.newSignIn(e.authorizeQuery(), hostedUser, hostedPassword)
	if r.Status != http.StatusFound || r.Location(t).Query().Get("code") == "" {
		t.Fatalf("sign-in answered %d %s", r.Status, r.Header.Get("Location"))
	}
	want := []string{"PreAuthentication_Authentication", "PreAuthentication_Authentication", "PostAuthentication_Authentication"}
	if len(fn.sources) != len(want) || fn.sources[2] != want[2] {
		t.Errorf("sources = %v, want %v", fn.sources, want)
	}
}
