package auth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/password"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/sqlite"
	"github.com/userpool/userpool/internal/tokens"
	"github.com/userpool/userpool/internal/userpool"
)

// oauthEnv is an engine with a token issuer over a SQLite store, one pool,
// a code-flow client, an implicit-only client and a user.
type oauthEnv struct {
	e                  *Engine
	svc                *userpool.Service
	st                 store.Store
	ctx                context.Context
	pool, sub          string
	code, implicitOnly string
}

const oauthCallback = "https://app.example.com/cb"

func newOAuthEnv(t *testing.T) *oauthEnv {
	t.Helper()
	ctx := t.Context()
	st, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "oauth.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sealer := testSealer(t)
	now := func() time.Time { return testT0 }
	svc := userpool.New(userpool.Config{Store: st, Sealer: sealer, Passwords: password.Hasher{MemoryKiB: 64, Iterations: 1}, Now: now})
	codec, err := tokens.NewRefreshCodec(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	issuer := tokens.New(tokens.Config{Store: st, Sealer: sealer, Refresh: codec, Now: now, PublicURL: "https://idp.example.com"})
	pool, err := svc.CreatePool(ctx, &cognito.CreateUserPoolInput{PoolName: "oauth"})
	if err != nil {
		t.Fatal(err)
	}
	env := &oauthEnv{e: New(Config{Users: svc, Tokens: issuer, Store: st, Sealer: sealer, Now: now}), svc: svc, st: st, ctx: ctx, pool: pool.ID}
	yes := true
	for _, c := range []struct {
		id   *string
		flow string
	}{{&env.code, cognito.OAuthFlowCode}, {&env.implicitOnly, cognito.OAuthFlowImplicit}} {
		out, err := svc.CreateClient(ctx, &cognito.CreateUserPoolClientInput{
			UserPoolID: pool.ID, ClientName: c.flow, AllowedOAuthFlowsUserPoolClient: &yes,
			AllowedOAuthFlows: []string{c.flow}, AllowedOAuthScopes: []string{"openid", "email"},
			CallbackURLs: []string{oauthCallback},
		})
		if err != nil {
			t.Fatal(err)
		}
		*c.id = out.ClientID
	}
	out, err := svc.AdminCreateUser(ctx, &cognito.AdminCreateUserInput{UserPoolID: pool.ID, Username: "alice", MessageAction: cognito.MessageActionSuppress})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range out.User.Attributes {
		if a.Name == "sub" {
			env.sub = a.Value
		}
	}
	return env
}

func (o *oauthEnv) request(edit func(*CodeRequest)) CodeRequest {
	r := CodeRequest{PoolID: o.pool, ClientID: o.code, Sub: o.sub, RedirectURI: oauthCallback,
		Scopes: []string{"openid"}, AuthTime: testT0.Add(-time.Minute)}
	if edit != nil {
		edit(&r)
	}
	return r
}

func wantOAuth(t *testing.T, what string, err error, code string) {
	t.Helper()
	var oe *OAuthError
	if !errors.As(err, &oe) || oe.Code != code {
		t.Errorf("%s: err = %v, want the OAuth error %s", what, err, code)
	}
}

// The code the hosted pages get is stored only as its hash, with every
// field of the request, for five minutes.
func TestIssueCodeStoresHash(t *testing.T) {
	o := newOAuthEnv(t)
	_, challenge := testPKCE()
	r := o.request(func(r *CodeRequest) {
		r.Scopes, r.Nonce, r.CodeChallenge, r.CodeChallengeMethod = []string{"openid", "email"}, "n", challenge, "S256"
	})
	code, err := o.e.IssueCode(o.ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(code) < 43 || strings.ContainsAny(code, "+/=") {
		t.Errorf("code %q: want at least 256 bits, URL-safe", code)
	}
	if _, err := o.st.ConsumeAuthCode(o.ctx, code, testT0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the code itself is a store key: %v", err)
	}
	got, err := o.st.ConsumeAuthCode(o.ctx, codeID(code), testT0)
	if err != nil {
		t.Fatal(err)
	}
	want := store.AuthCode{ID: codeID(code), PoolID: o.pool, ClientID: o.code, Sub: o.sub, RedirectURI: oauthCallback,
		Scopes: r.Scopes, Nonce: "n", CodeChallenge: challenge, CodeChallengeMethod: "S256",
		AuthTime: r.AuthTime, CreatedAt: testT0, ExpiresAt: testT0.Add(5 * time.Minute)}
	if got.ID != want.ID || got.ClientID != want.ClientID || got.Sub != want.Sub || got.RedirectURI != want.RedirectURI ||
		strings.Join(got.Scopes, " ") != "openid email" || got.Nonce != want.Nonce || got.CodeChallenge != want.CodeChallenge ||
		got.CodeChallengeMethod != want.CodeChallengeMethod || !got.AuthTime.Equal(want.AuthTime) ||
		!got.CreatedAt.Equal(want.CreatedAt) || !got.ExpiresAt.Equal(want.ExpiresAt) {
		t.Errorf("stored code = %+v, want %+v", got, want)
	}
}

// What IssueCode and ImplicitTokens refuse, with the error the authorize
// endpoint can redirect with.
func TestAuthorizeChecks(t *testing.T) {
	o := newOAuthEnv(t)
	other, err := o.svc.CreatePool(o.ctx, &cognito.CreateUserPoolInput{PoolName: "other"})
	if err != nil {
		t.Fatal(err)
	}
	disabled := o.request(nil)
	if _, err := o.svc.AdminCreateUser(o.ctx, &cognito.AdminCreateUserInput{UserPoolID: o.pool, Username: "dora", MessageAction: cognito.MessageActionSuppress}); err != nil {
		t.Fatal(err)
	}
	pool, _ := o.svc.Pool(o.ctx, o.pool)
	dora, err := o.svc.LookupUser(o.ctx, pool, "dora")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.UpdateSignInState(o.ctx, o.pool, dora.Sub, func(u *store.User) { u.Enabled = false }); err != nil {
		t.Fatal(err)
	}
	disabled.Sub = dora.Sub
	for _, tc := range []struct {
		name string
		r    CodeRequest
		code string
	}{
		{"plain PKCE", o.request(func(r *CodeRequest) { r.CodeChallenge, r.CodeChallengeMethod = "abc", "plain" }), OAuthInvalidRequest},
		{"challenge without method", o.request(func(r *CodeRequest) { r.CodeChallenge = "abc" }), OAuthInvalidRequest},
		{"method without challenge", o.request(func(r *CodeRequest) { r.CodeChallengeMethod = "S256" }), OAuthInvalidRequest},
		{"unknown client", o.request(func(r *CodeRequest) { r.ClientID = "nosuchclient" }), OAuthInvalidClient},
		{"client of another pool", o.request(func(r *CodeRequest) { r.PoolID = other.ID }), OAuthInvalidRequest},
		{"client without the code flow", o.request(func(r *CodeRequest) { r.ClientID = o.implicitOnly }), OAuthUnauthorizedClient},
		{"unknown user", o.request(func(r *CodeRequest) { r.Sub = "nosuchsub" }), OAuthAccessDenied},
		{"disabled user", disabled, OAuthAccessDenied},
	} {
		_, err := o.e.IssueCode(o.ctx, tc.r)
		wantOAuth(t, "IssueCode: "+tc.name, err, tc.code)
	}
	_, err = o.e.ImplicitTokens(o.ctx, o.request(nil))
	wantOAuth(t, "ImplicitTokens on a code-only client", err, OAuthUnauthorizedClient)
	disabled.ClientID = o.implicitOnly
	_, err = o.e.ImplicitTokens(o.ctx, disabled)
	wantOAuth(t, "ImplicitTokens for a disabled user", err, OAuthAccessDenied)
}

// The implicit grant: access and ID tokens (with the nonce) and no
// refresh token; without openid, no ID token.
func TestImplicitTokens(t *testing.T) {
	o := newOAuthEnv(t)
	ts, err := o.e.ImplicitTokens(o.ctx, o.request(func(r *CodeRequest) { r.ClientID, r.Nonce = o.implicitOnly, "n-1" }))
	if err != nil {
		t.Fatal(err)
	}
	if ts.RefreshToken != "" || ts.IDToken == "" || ts.AccessToken == "" || ts.ExpiresIn != 3600 {
		t.Fatalf("tokens = %+v", ts)
	}
	id, access := testClaims(t, ts.IDToken), testClaims(t, ts.AccessToken)
	if id["nonce"] != "n-1" || id["aud"] != o.implicitOnly || access["scope"] != "openid" ||
		id["auth_time"] != float64(testT0.Add(-time.Minute).Unix()) || access["origin_jti"] == nil {
		t.Errorf("ID token %v, access token %v", id, access)
	}
	ts, err = o.e.ImplicitTokens(o.ctx, o.request(func(r *CodeRequest) { r.ClientID, r.Scopes = o.implicitOnly, []string{"email"} }))
	if err != nil {
		t.Fatal(err)
	}
	if ts.IDToken != "" || testClaims(t, ts.AccessToken)["scope"] != "email" {
		t.Errorf("without openid: ID token %q, access scope %v", ts.IDToken, testClaims(t, ts.AccessToken)["scope"])
	}
}

func testClaims(t *testing.T, jwt string) map[string]any {
	t.Helper()
	var m map[string]any
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWS: %q", jwt)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// testPKCE is RFC 7636's appendix B example.
func testPKCE() (verifier, challenge string) {
	return "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
}

func TestCheckPKCE(t *testing.T) {
	verifier, challenge := testPKCE()
	sum := sha256.Sum256([]byte(verifier))
	if base64.RawURLEncoding.EncodeToString(sum[:]) != challenge {
		t.Fatal("the RFC 7636 example does not hold")
	}
	long := strings.Repeat("a", 128)
	longSum := sha256.Sum256([]byte(long))
	longChallenge := base64.RawURLEncoding.EncodeToString(longSum[:])
	short := strings.Repeat("a", 42)
	shortSum := sha256.Sum256([]byte(short))
	shortChallenge := base64.RawURLEncoding.EncodeToString(shortSum[:])
	bad := verifier[:42] + "+"
	badSum := sha256.Sum256([]byte(bad))
	badChallenge := base64.RawURLEncoding.EncodeToString(badSum[:])
	for _, tc := range []struct {
		name, challenge, method, verifier string
		ok                                bool
	}{
		{"no PKCE", "", "", "", true},
		{"RFC 7636 example", challenge, "S256", verifier, true},
		{"128 characters", longChallenge, "S256", long, true},
		{"wrong verifier", challenge, "S256", verifier[:42] + "A", false},
		{"the challenge as verifier", challenge, "S256", challenge, false},
		{"missing verifier", challenge, "S256", "", false},
		{"verifier without challenge", "", "", verifier, false},
		{"plain method", verifier, "plain", verifier, false},
		// Their hashes match, but they are not verifiers.
		{"42 characters", shortChallenge, "S256", short, false},
		{"a character outside the alphabet", badChallenge, "S256", bad, false},
	} {
		err := checkPKCE(store.AuthCode{CodeChallenge: tc.challenge, CodeChallengeMethod: tc.method}, tc.verifier)
		if tc.ok && err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if !tc.ok {
			wantOAuth(t, tc.name, err, OAuthInvalidGrant)
		}
	}
}

func TestReleasedBy(t *testing.T) {
	attrs := []string{"email", "email_verified", "phone_number", "phone_number_verified", "given_name", "updated_at",
		"custom:tier", "address"}
	for _, tc := range []struct {
		scopes string
		want   []string
	}{
		{"openid", attrs},
		{"openid aws.cognito.signin.user.admin", attrs},
		{"openid email", []string{"email", "email_verified"}},
		{"openid phone", []string{"phone_number", "phone_number_verified"}},
		{"openid profile", []string{"given_name", "updated_at", "custom:tier"}},
		{"openid profile email phone", []string{"email", "email_verified", "phone_number", "phone_number_verified", "given_name", "updated_at", "custom:tier"}},
	} {
		var got []string
		for _, a := range attrs {
			if releasedBy(strings.Fields(tc.scopes), a) {
				got = append(got, a)
			}
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%s: released %v, want %v", tc.scopes, got, tc.want)
		}
	}
}

func TestCheckScopesReadable(t *testing.T) {
	client := func(read ...string) *userpool.AppClient {
		return &userpool.AppClient{Config: &cognito.UserPoolClientType{ReadAttributes: read}}
	}
	for _, tc := range []struct {
		name   string
		client *userpool.AppClient
		scopes []string
		ok     bool
	}{
		{"reads everything", client(), []string{"openid", "email", "phone"}, true},
		{"reads email", client("email", "email_verified"), []string{"openid", "email"}, true},
		{"lacks email_verified", client("email"), []string{"openid", "email"}, false},
		{"lacks phone_number_verified", client("email", "email_verified", "phone_number"), []string{"openid", "phone"}, false},
		{"profile needs nothing", client("email"), []string{"openid", "profile"}, true},
	} {
		err := checkScopesReadable(tc.client, tc.scopes)
		if tc.ok && err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if !tc.ok {
			wantOAuth(t, tc.name, err, OAuthInvalidGrant)
		}
	}
}

func TestOAuthErrorIs(t *testing.T) {
	err := error(oauthError(OAuthInvalidGrant, "x"))
	if !errors.Is(err, &OAuthError{Code: OAuthInvalidGrant}) || errors.Is(err, &OAuthError{Code: OAuthInvalidRequest}) {
		t.Error("Is does not compare codes")
	}
	if err.Error() != "invalid_grant: x" || oauthError(OAuthInvalidGrant, "").Error() != "invalid_grant" {
		t.Errorf("Error() = %q", err.Error())
	}
}
