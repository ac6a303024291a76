package oauth2_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/google/go-cmp/cmp"
	xoauth2 "golang.org/x/oauth2"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/testserver"
	"github.com/userpool/userpool/internal/userpool"
)

// Helpers for the tests of the token, userInfo and revocation endpoints.
// They run the whole server handler over a fresh SQLite store; codes come
// from the engine's IssueCode, as the hosted pages get them.

// tokClock is the settable clock of the server under test.
type tokClock = testserver.Clock

// tokEnv is one server under test with a pool, a resource server, a
// user "alice" and some app clients.
type tokEnv struct {
	t      *testing.T
	URL    string
	Svc    *userpool.Service
	Engine *auth.Engine
	Clock  *tokClock
	Logs   *bytes.Buffer
	PoolID string
	// Sub is alice's sub.
	Sub string
	// Web is a confidential code-flow client (openid email phone
	// profile aws.cognito.signin.user.admin and the API's read scope);
	// Public the same without a secret; M2M a client_credentials client.
	Web, Public, M2M *cognito.UserPoolClientType
}

const (
	tokUser     = "alice"
	tokPassword = "Correct-Horse-9!"
	tokCallback = "https://app.example.com/callback"
	tokAPI      = "https://api.example.com"
	tokRead     = tokAPI + "/read"
	tokWrite    = tokAPI + "/write"
	tokNonce    = "n-0S6_WzA2Mj"
)

// tokAuthTime is when alice "signed in" on the hosted page for the codes
// the tests issue: before the clock's start, so auth_time is told apart
// from iat.
var tokAuthTime = time.Date(2026, 11, 22, 11, 59, 0, 0, time.UTC)

func newTokEnv(t *testing.T, opts ...testserver.Option) *tokEnv {
	t.Helper()
	ctx := t.Context()
	logs := new(bytes.Buffer)
	s := testserver.New(t, append([]testserver.Option{testserver.WithoutAPI(), testserver.WithLogOutput(logs)}, opts...)...)
	svc := s.Service
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})

	e := &tokEnv{t: t, URL: s.URL, Svc: svc, Engine: s.Engine, Clock: s.Clock, Logs: logs}
	pool, err := svc.CreatePool(ctx, &cognito.CreateUserPoolInput{
		PoolName: "tokens",
		Schema:   []cognito.SchemaAttributeType{{Name: "tier", AttributeDataType: "String", Mutable: tokPtr(true)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.PoolID = pool.ID
	addDomain(t, svc, pool.ID)
	if _, err := svc.CreateResourceServer(ctx, &cognito.CreateResourceServerInput{
		UserPoolID: e.PoolID, Identifier: tokAPI, Name: "API",
		Scopes: []cognito.ResourceServerScopeType{{ScopeName: "read", ScopeDescription: "read"}, {ScopeName: "write", ScopeDescription: "write"}},
	}); err != nil {
		t.Fatal(err)
	}
	e.Web = e.createClient(nil)
	e.Public = e.createClient(func(in *cognito.CreateUserPoolClientInput) { in.GenerateSecret = nil })
	e.M2M = e.createClient(func(in *cognito.CreateUserPoolClientInput) {
		in.AllowedOAuthFlows = []string{cognito.OAuthFlowClientCredentials}
		in.AllowedOAuthScopes = []string{tokRead, tokWrite}
		in.CallbackURLs = nil
	})
	e.Sub = e.createUser(tokUser,
		cognito.AttributeType{Name: "email", Value: "alice@example.com"},
		cognito.AttributeType{Name: "email_verified", Value: "true"},
		cognito.AttributeType{Name: "phone_number", Value: "+15555550100"},
		cognito.AttributeType{Name: "phone_number_verified", Value: "false"},
		cognito.AttributeType{Name: "given_name", Value: "Alice"},
		cognito.AttributeType{Name: "locale", Value: "en-GB"},
		cognito.AttributeType{Name: "address", Value: "1 Main St"},
		cognito.AttributeType{Name: "custom:tier", Value: "gold"},
	)
	return e
}

func tokPtr[T any](v T) *T { return &v }

// createClient creates a confidential code-flow client, changed by edit.
// Like createUser, it fails the test the env was made for, so tests call
// it from that test's goroutine.
func (e *tokEnv) createClient(edit func(*cognito.CreateUserPoolClientInput)) *cognito.UserPoolClientType {
	e.t.Helper()
	in := &cognito.CreateUserPoolClientInput{
		UserPoolID:                      e.PoolID,
		ClientName:                      "token test",
		GenerateSecret:                  tokPtr(true),
		AllowedOAuthFlowsUserPoolClient: tokPtr(true),
		AllowedOAuthFlows:               []string{cognito.OAuthFlowCode},
		AllowedOAuthScopes:              []string{"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin", tokRead},
		CallbackURLs:                    []string{tokCallback},
		SupportedIdentityProviders:      []string{"COGNITO"},
		ExplicitAuthFlows:               []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
	}
	if edit != nil {
		edit(in)
	}
	c, err := e.Svc.CreateClient(e.t.Context(), in)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// createUser creates a CONFIRMED user with tokPassword and returns its sub.
func (e *tokEnv) createUser(name string, attrs ...cognito.AttributeType) string {
	e.t.Helper()
	ctx := e.t.Context()
	out, err := e.Svc.AdminCreateUser(ctx, &cognito.AdminCreateUserInput{
		UserPoolID: e.PoolID, Username: name, TemporaryPassword: tokPassword, MessageAction: "SUPPRESS", UserAttributes: attrs,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.Svc.AdminSetUserPassword(ctx, &cognito.AdminSetUserPasswordInput{
		UserPoolID: e.PoolID, Username: name, Password: tokPassword, Permanent: tokPtr(true),
	}); err != nil {
		e.t.Fatal(err)
	}
	for _, a := range out.User.Attributes {
		if a.Name == "sub" {
			return a.Value
		}
	}
	e.t.Fatal("the new user has no sub")
	return ""
}

// tokVerifier is an RFC 7636 code_verifier and its S256 challenge.
func tokVerifier() (verifier, challenge string) {
	verifier = xoauth2.GenerateVerifier()
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// code issues alice a code for the client as the hosted pages would, for
// tokCallback and the scopes given, with tokNonce and, when challenge is
// not "", PKCE.
func (e *tokEnv) code(t *testing.T, c *cognito.UserPoolClientType, challenge string, scopes ...string) string {
	t.Helper()
	r := auth.CodeRequest{
		PoolID: e.PoolID, ClientID: c.ClientID, Sub: e.Sub, RedirectURI: tokCallback,
		Scopes: scopes, Nonce: tokNonce, AuthTime: tokAuthTime,
	}
	if challenge != "" {
		r.CodeChallenge, r.CodeChallengeMethod = challenge, "S256"
	}
	code, err := e.Engine.IssueCode(t.Context(), r)
	if err != nil {
		t.Fatalf("IssueCode: %v", err)
	}
	return code
}

// provider discovers the pool with go-oidc.
func (e *tokEnv) provider(t *testing.T) *oidc.Provider {
	t.Helper()
	p, err := oidc.NewProvider(t.Context(), e.URL+"/"+e.PoolID)
	if err != nil {
		t.Fatalf("oidc.NewProvider: %v", err)
	}
	return p
}

// oauthConfig is an x/oauth2 client for c that knows only the discovery
// document.
func (e *tokEnv) oauthConfig(t *testing.T, c *cognito.UserPoolClientType, scopes ...string) *xoauth2.Config {
	t.Helper()
	return &xoauth2.Config{
		ClientID: c.ClientID, ClientSecret: c.ClientSecret, Endpoint: e.provider(t).Endpoint(),
		RedirectURL: tokCallback, Scopes: scopes,
	}
}

// tokens runs the code exchange for alice with PKCE through x/oauth2.
func (e *tokEnv) tokens(t *testing.T, c *cognito.UserPoolClientType, scopes ...string) *xoauth2.Token {
	t.Helper()
	verifier, challenge := tokVerifier()
	tok, err := e.oauthConfig(t, c, scopes...).Exchange(t.Context(), e.code(t, c, challenge, scopes...), xoauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	return tok
}

// tokResponse is a response with its body read.
type tokResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body as an object.
func (r tokResponse) JSON(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %q", err, r.Body)
	}
	return m
}

// send sends a request to the server; header is name, value pairs.
func (e *tokEnv) send(method, path, contentType, body string, header ...string) tokResponse {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.t.Context(), method, e.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return tokResponse{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// postForm posts a form to path; header is name, value pairs.
func (e *tokEnv) postForm(path string, form url.Values, header ...string) tokResponse {
	e.t.Helper()
	return e.send(http.MethodPost, path, "application/x-www-form-urlencoded", form.Encode(), header...)
}

// basic is the Authorization header of client_secret_basic, encoded as
// RFC 6749 2.3.1 says.
func basic(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret)))
}

// base64Std is standard base64.
func base64Std(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// tokForm builds a form from name, value pairs.
func tokForm(pairs ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Set(pairs[i], pairs[i+1])
	}
	return v
}

// wantNoStore checks the caching headers every token-side answer carries.
func wantNoStore(t *testing.T, r tokResponse) {
	t.Helper()
	if got := r.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	if got := r.Header.Get("Pragma"); got != "no-cache" {
		t.Errorf("Pragma = %q, want no-cache", got)
	}
}

// wantOAuthError checks an RFC 6749 error answer: status, headers and a
// body of exactly error and error_description (when desc is not "").
func wantOAuthError(t *testing.T, r tokResponse, status int, code, desc string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("status = %d, want %d; body %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json;charset=UTF-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	wantNoStore(t, r)
	got := r.JSON(t)
	want := map[string]any{"error": code, "error_description": got["error_description"]}
	if desc != "" {
		want["error_description"] = desc
	}
	if d, ok := got["error_description"].(string); !ok || d == "" {
		t.Errorf("error_description = %v, want a description", got["error_description"])
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("error body (-want +got):\n%s", diff)
	}
}

// tokClaims decodes a JWT's payload without verifying it.
func tokClaims(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("%q is not a JWS", jwt)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// tokenJSON is a successful token response, decoded.
type tokenJSON struct {
	AccessToken  string `json:"access_token"`
	IDToken      string `json:"id_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
}

// wantTokens checks a successful token answer and decodes it; members
// lists the members the body must have, exactly.
func wantTokens(t *testing.T, r tokResponse, members ...string) tokenJSON {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("status = %d, want 200; body %s", r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json;charset=UTF-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if got := r.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("Access-Control-Allow-Origin = %q, want *", got)
	}
	wantNoStore(t, r)
	var keys []string
	for k := range r.JSON(t) {
		keys = append(keys, k)
	}
	if diff := cmp.Diff(members, keys, tokSorted); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
	var out tokenJSON
	if err := json.Unmarshal(r.Body, &out); err != nil {
		t.Fatal(err)
	}
	if out.TokenType != "Bearer" || out.ExpiresIn != 3600 {
		t.Errorf("token_type %q, expires_in %d; want Bearer, 3600", out.TokenType, out.ExpiresIn)
	}
	return out
}

// tokSorted compares string slices as sets.
var tokSorted = cmp.Transformer("sorted", func(in []string) []string {
	out := append([]string(nil), in...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
})

// ctx is the test's context.
func (e *tokEnv) ctx() context.Context { return e.t.Context() }

// tokExpired returns a copy of tok that x/oauth2 considers expired, so a
// TokenSource refreshes it.
func tokExpired(tok *xoauth2.Token) *xoauth2.Token {
	c := *tok
	c.Expiry = time.Now().Add(-time.Minute)
	return &c
}
