package upstream_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/userpool/userpool/internal/upstream"
	"github.com/userpool/userpool/internal/userpool"
)

// fakeIdP is a minimal OpenID provider and social API written for these
// tests, independent of Userpool's own: discovery, JWKS, a token endpoint
// that checks the client, code and PKCE verifier and answers an ID token
// the test can spoil, userinfo, and Facebook's and Amazon's profile
// endpoints.
type fakeIdP struct {
	t   *testing.T
	srv *httptest.Server
	key *rsa.PrivateKey
	// other signs tokens that must fail: a key the JWKS does not have.
	other *rsa.PrivateKey

	mu sync.Mutex
	// nonce is the nonce of the pending authorization, which the ID
	// token carries unless a spoil changes it.
	nonce string
	// spoil changes the ID token's claims; signWith, when set, signs it.
	spoil    func(c map[string]any)
	signWith *rsa.PrivateKey
	noIDTok  bool
	// authMethods is what discovery lists for the token endpoint.
	authMethods []string
	// sawAuth is how the last token request authenticated: post or basic.
	sawAuth string
	// userinfoSub overrides the userinfo's sub; sawUserinfo is the
	// method it was last called with.
	userinfoSub string
	sawUserinfo string
	sawFields   string
	// appleSecret is the client_secret Apple's token endpoint received.
	appleSecret string
	// issuer is the discovery document's issuer ("" for the server URL).
	issuer string
	// insecureEndpoint, when set, is listed as the token endpoint.
	insecureEndpoint string
}

const (
	fakeClient   = "userpool-client"
	fakeSecret   = "userpool-secret"
	fakeCode     = "good-code"
	fakeVerifier = "verifier-0123456789-0123456789-0123456789-abc"
	fakeSub      = "upstream-user-7"
)

// fakeKeys are made once: RSA key generation is slow, and each fake only
// needs keys the other fakes' tokens do not matter to.
var fakeKeys = sync.OnceValues(func() (*rsa.PrivateKey, *rsa.PrivateKey) {
	k1, err1 := rsa.GenerateKey(rand.Reader, 2048)
	k2, err2 := rsa.GenerateKey(rand.Reader, 2048)
	if err := errors.Join(err1, err2); err != nil {
		panic(err)
	}
	return k1, k2
})

func newFakeIdP(t *testing.T) *fakeIdP {
	t.Helper()
	k1, k2 := fakeKeys()
	f := &fakeIdP{t: t, key: k1, other: k2, authMethods: []string{"client_secret_post", "client_secret_basic"}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", f.discovery)
	mux.HandleFunc("GET /jwks", f.jwks)
	mux.HandleFunc("POST /token", f.token)
	mux.HandleFunc("/userinfo", f.userinfo)
	mux.HandleFunc("GET /me", f.facebookMe)
	mux.HandleFunc("GET /user/profile", f.amazonProfile)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeIdP) iss() string {
	if f.issuer != "" {
		return f.issuer
	}
	return f.srv.URL
}

func (f *fakeIdP) discovery(w http.ResponseWriter, _ *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	token := f.srv.URL + "/token"
	if f.insecureEndpoint != "" {
		token = f.insecureEndpoint
	}
	json.NewEncoder(w).Encode(map[string]any{
		"issuer": f.iss(), "authorization_endpoint": f.srv.URL + "/authorize", "token_endpoint": token,
		"userinfo_endpoint": f.srv.URL + "/userinfo", "jwks_uri": f.srv.URL + "/jwks",
		"id_token_signing_alg_values_supported": []string{"RS256"}, "token_endpoint_auth_methods_supported": f.authMethods,
	})
}

func (f *fakeIdP) jwks(w http.ResponseWriter, _ *http.Request) {
	json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &f.key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
}

func (f *fakeIdP) token(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r.ParseForm()
	id, secret, basic := r.BasicAuth()
	f.sawAuth = "post"
	if basic {
		f.sawAuth = "basic"
	} else {
		id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	fail := func(code string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": "the fake refused"})
	}
	if strings.HasPrefix(id, "apple.") {
		f.appleSecret = secret
	} else if id != fakeClient || secret != fakeSecret {
		fail("invalid_client")
		return
	}
	if r.PostFormValue("code") != fakeCode || r.PostFormValue("code_verifier") != fakeVerifier {
		fail("invalid_grant")
		return
	}
	resp := map[string]any{"access_token": "at-123", "token_type": "Bearer", "expires_in": 3600}
	if !f.noIDTok {
		now := time.Now()
		c := map[string]any{
			"iss": f.iss(), "sub": fakeSub, "aud": id, "exp": now.Add(time.Hour).Unix(), "iat": now.Unix(),
			"nonce": f.nonce, "email": "pat@upstream.example", "email_verified": true,
		}
		if f.spoil != nil {
			f.spoil(c)
		}
		key := f.key
		if f.signWith != nil {
			key = f.signWith
		}
		resp["id_token"] = signJWT(f.t, key, c)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(resp)
}

func signJWT(t *testing.T, key *rsa.PrivateKey, claims map[string]any) string {
	t.Helper()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithHeader("kid", "k1"))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(s).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func (f *fakeIdP) bearer(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("Authorization") != "Bearer at-123" {
		w.WriteHeader(http.StatusUnauthorized)
		return false
	}
	return true
}

func (f *fakeIdP) userinfo(w http.ResponseWriter, r *http.Request) {
	if !f.bearer(w, r) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sawUserinfo = r.Method
	sub := fakeSub
	if f.userinfoSub != "" {
		sub = f.userinfoSub
	}
	json.NewEncoder(w).Encode(map[string]any{"sub": sub, "name": "Pat Upstream", "groups": []string{"a", "b"}})
}

func (f *fakeIdP) facebookMe(w http.ResponseWriter, r *http.Request) {
	if !f.bearer(w, r) {
		return
	}
	f.mu.Lock()
	f.sawFields = r.URL.Query().Get("fields")
	f.mu.Unlock()
	json.NewEncoder(w).Encode(map[string]any{"id": "1613644", "name": "Pat Facebook", "email": "pat@facebook.example"})
}

func (f *fakeIdP) amazonProfile(w http.ResponseWriter, r *http.Request) {
	if !f.bearer(w, r) {
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"user_id": "amzn1.account.XYZ", "name": "Pat Amazon", "email": "pat@amazon.example"})
}

// oidcProvider is an OIDC provider for the fake, discovered from its
// issuer.
func (f *fakeIdP) oidcProvider() *userpool.Provider {
	return &userpool.Provider{
		Name: "Fake", Type: userpool.IdPTypeOIDC,
		Details: map[string]string{
			"client_id": fakeClient, "client_secret": fakeSecret, "attributes_request_method": "GET",
			"oidc_issuer": f.srv.URL, "authorize_scopes": "openid email profile",
		},
		Mapping: map[string]string{"email": "email", "username": "sub"},
	}
}

const redirectURI = "https://auth.example.com/oauth2/idpresponse"

// signIn runs the sign-in with p: the authorization request (whose
// nonce the fake will put in its ID token) and the answer with the
// fake's code.
func (f *fakeIdP) signIn(t *testing.T, c *upstream.Client, p *userpool.Provider) (map[string]string, string, error) {
	t.Helper()
	target, err := c.AuthCodeURL(t.Context(), p, upstream.Start{RedirectURI: redirectURI, State: "st", Nonce: "nonce-1", Verifier: fakeVerifier})
	if err != nil {
		return nil, "", err
	}
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	sum := sha256.Sum256([]byte(fakeVerifier))
	if q.Get("state") != "st" || q.Get("code_challenge") != base64.RawURLEncoding.EncodeToString(sum[:]) ||
		q.Get("code_challenge_method") != "S256" || q.Get("redirect_uri") != redirectURI || q.Get("client_id") != p.Details["client_id"] {
		t.Fatalf("authorization request %s", target)
	}
	f.mu.Lock()
	f.nonce = q.Get("nonce")
	f.mu.Unlock()
	id, err := c.Finish(t.Context(), p, upstream.Answer{RedirectURI: redirectURI, Code: fakeCode, Nonce: "nonce-1", Verifier: fakeVerifier})
	return id.Attributes, id.UserID, err
}

func TestOIDCSignIn(t *testing.T) {
	f := newFakeIdP(t)
	c := upstream.New(nil, nil)
	attrs, userID, err := f.signIn(t, c, f.oidcProvider())
	if err != nil {
		t.Fatal(err)
	}
	if userID != fakeSub || attrs["email"] != "pat@upstream.example" || attrs["email_verified"] != "true" ||
		attrs["name"] != "Pat Upstream" || attrs["groups"] != `["a","b"]` {
		t.Errorf("attributes %v, user %q", attrs, userID)
	}
	if f.sawAuth != "post" || f.sawUserinfo != http.MethodGet {
		t.Errorf("client auth %s, userinfo %s", f.sawAuth, f.sawUserinfo)
	}

	// attributes_request_method POST, and client_secret_basic when
	// discovery lists only that.
	f.authMethods = []string{"client_secret_basic"}
	p := f.oidcProvider()
	p.Details["attributes_request_method"] = "POST"
	if _, _, err := f.signIn(t, upstream.New(nil, nil), p); err != nil {
		t.Fatal(err)
	}
	if f.sawAuth != "basic" || f.sawUserinfo != http.MethodPost {
		t.Errorf("client auth %s, userinfo %s", f.sawAuth, f.sawUserinfo)
	}

	// Explicit endpoints instead of discovery.
	p = f.oidcProvider()
	p.Details["authorize_url"], p.Details["token_url"] = f.srv.URL+"/authorize", f.srv.URL+"/token"
	p.Details["attributes_url"], p.Details["jwks_uri"] = f.srv.URL+"/userinfo", f.srv.URL+"/jwks"
	p.Details["oidc_issuer"] = "https://issuer-without-discovery.example"
	f.issuer = "https://issuer-without-discovery.example"
	if _, userID, err := f.signIn(t, upstream.New(nil, nil), p); err != nil || userID != fakeSub {
		t.Fatalf("explicit endpoints: %q, %v", userID, err)
	}
}

// TestOIDCRefusals spoils the upstream's answer in each way the ID token
// verification must catch.
func TestOIDCRefusals(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(f *fakeIdP)
		want  string
	}{
		{"signature by another key", func(f *fakeIdP) { f.signWith = f.other }, "ID token is not valid"},
		{"wrong issuer", func(f *fakeIdP) { f.spoil = func(c map[string]any) { c["iss"] = "https://evil.example" } }, "ID token is not valid"},
		{"wrong audience", func(f *fakeIdP) { f.spoil = func(c map[string]any) { c["aud"] = "someone-else" } }, "ID token is not valid"},
		{"expired", func(f *fakeIdP) {
			f.spoil = func(c map[string]any) { c["exp"] = time.Now().Add(-time.Minute).Unix() }
		}, "ID token is not valid"},
		{"wrong nonce", func(f *fakeIdP) { f.spoil = func(c map[string]any) { c["nonce"] = "replayed" } }, "its nonce is not the one sent"},
		{"no nonce", func(f *fakeIdP) { f.spoil = func(c map[string]any) { delete(c, "nonce") } }, "its nonce is not the one sent"},
		{"no ID token", func(f *fakeIdP) { f.noIDTok = true }, "sent no ID token"},
		{"userinfo of another user", func(f *fakeIdP) { f.userinfoSub = "someone-else" }, "userinfo is for another user"},
		{"no sub", func(f *fakeIdP) { f.spoil = func(c map[string]any) { delete(c, "sub") } }, "it has no sub"},
		{"http endpoint off loopback", func(f *fakeIdP) { f.insecureEndpoint = "http://idp.example.com/token" }, "is not https"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeIdP(t)
			tc.setup(f)
			_, _, err := f.signIn(t, upstream.New(nil, nil), f.oidcProvider())
			var ue *upstream.Error
			if !errors.As(err, &ue) || ue.Code != "invalid_request" || !strings.Contains(ue.Description, tc.want) {
				t.Fatalf("err = %v, want invalid_request with %q", err, tc.want)
			}
		})
	}

	// The upstream's own refusal of the code is passed on.
	f := newFakeIdP(t)
	p := f.oidcProvider()
	p.Details["client_secret"] = "wrong"
	_, _, err := f.signIn(t, upstream.New(nil, nil), p)
	var ue *upstream.Error
	if !errors.As(err, &ue) || !strings.Contains(ue.Description, "invalid_client") {
		t.Fatalf("err = %v", err)
	}
}

func TestSocialProviders(t *testing.T) {
	f := newFakeIdP(t)
	c := upstream.New(nil, nil)

	google := &userpool.Provider{Name: "Google", Type: userpool.IdPTypeGoogle, Details: map[string]string{
		"client_id": fakeClient, "client_secret": fakeSecret, "authorize_scopes": "openid email",
		"authorize_url": f.srv.URL + "/authorize", "token_url": f.srv.URL + "/token", "oidc_issuer": f.srv.URL,
		"attributes_url": "https://people.googleapis.com/v1/people/me?personFields=",
	}}
	attrs, id, err := f.signIn(t, c, google)
	if err != nil || id != fakeSub || attrs["email"] != "pat@upstream.example" {
		t.Fatalf("Google: %v %q %v", attrs, id, err)
	}

	facebook := &userpool.Provider{Name: "Facebook", Type: userpool.IdPTypeFacebook, Details: map[string]string{
		"client_id": fakeClient, "client_secret": fakeSecret, "authorize_scopes": "public_profile, email",
		"authorize_url": f.srv.URL + "/dialog/oauth", "token_url": f.srv.URL + "/token", "attributes_url": f.srv.URL + "/me?fields=",
	}, Mapping: map[string]string{"email": "email", "username": "id"}}
	target, err := c.AuthCodeURL(t.Context(), facebook, upstream.Start{RedirectURI: redirectURI, State: "st", Nonce: "n", Verifier: fakeVerifier})
	if err != nil || !strings.Contains(target, "scope=public_profile+email") || strings.Contains(target, "nonce=") {
		t.Fatalf("Facebook request %s %v", target, err)
	}
	fid, err := c.Finish(t.Context(), facebook, upstream.Answer{RedirectURI: redirectURI, Code: fakeCode, Verifier: fakeVerifier})
	if err != nil || fid.UserID != "1613644" || fid.Attributes["email"] != "pat@facebook.example" || f.sawFields != "id,email" {
		t.Fatalf("Facebook: %+v %v (fields %q)", fid, err, f.sawFields)
	}

	amazon := &userpool.Provider{Name: "LoginWithAmazon", Type: userpool.IdPTypeAmazon, Details: map[string]string{
		"client_id": fakeClient, "client_secret": fakeSecret, "authorize_scopes": "profile",
		"authorize_url": f.srv.URL + "/ap/oa", "token_url": f.srv.URL + "/token", "attributes_url": f.srv.URL + "/user/profile",
	}, Mapping: map[string]string{"username": "user_id"}}
	aid, err := c.Finish(t.Context(), amazon, upstream.Answer{RedirectURI: redirectURI, Code: fakeCode, Verifier: fakeVerifier})
	if err != nil || aid.UserID != "amzn1.account.XYZ" || aid.Attributes["name"] != "Pat Amazon" {
		t.Fatalf("Amazon: %+v %v", aid, err)
	}

	// Apple: the client secret is an ES256 JWT signed with the
	// provider's key; the request asks for form_post; the name Apple
	// posts on a first sign-in is added.
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	apple := &userpool.Provider{Name: "SignInWithApple", Type: userpool.IdPTypeApple, Details: map[string]string{
		"client_id": "apple.services.id", "team_id": "TEAM123", "key_id": "KEY123", "authorize_scopes": "email name",
		"private_key":   string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"authorize_url": f.srv.URL + "/auth/authorize", "token_url": f.srv.URL + "/token", "oidc_issuer": f.srv.URL,
	}}
	target, err = c.AuthCodeURL(t.Context(), apple, upstream.Start{RedirectURI: redirectURI, State: "st", Nonce: "nonce-1", Verifier: fakeVerifier})
	if err != nil || !strings.Contains(target, "response_mode=form_post") {
		t.Fatalf("Apple request %s %v", target, err)
	}
	f.nonce = "nonce-1"
	appleID, err := c.Finish(t.Context(), apple, upstream.Answer{RedirectURI: redirectURI, Code: fakeCode, Nonce: "nonce-1", Verifier: fakeVerifier,
		AppleUser: `{"name":{"firstName":"Pat","lastName":"Apple"},"email":"pat@privaterelay.appleid.com"}`})
	if err != nil || appleID.UserID != fakeSub || appleID.Attributes["firstName"] != "Pat" || appleID.Attributes["name"] != "Pat Apple" {
		t.Fatalf("Apple: %+v %v", appleID, err)
	}
	secret, err := jwt.ParseSigned(f.appleSecret, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatal(err)
	}
	var sc jwt.Claims
	if err := secret.Claims(&ec.PublicKey, &sc); err != nil || sc.Issuer != "TEAM123" || sc.Subject != "apple.services.id" || secret.Headers[0].KeyID != "KEY123" {
		t.Errorf("Apple client secret claims %+v, %v", sc, err)
	}
}

func TestSecureURL(t *testing.T) {
	for raw, want := range map[string]bool{
		"https://idp.example.com/x": true, "http://127.0.0.1:8080/x": true, "http://localhost/x": true, "http://[::1]:9/x": true,
		"http://idp.example.com/x": false, "ftp://idp.example.com": false, "https://": false, "not a url": false,
	} {
		if got := upstream.SecureURL(raw); got != want {
			t.Errorf("SecureURL(%q) = %v, want %v", raw, got, want)
		}
	}
}
