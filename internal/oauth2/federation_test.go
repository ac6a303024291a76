package oauth2_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/testserver"
)

// The federated journey with another pool of the same server as the
// upstream OIDC provider: a Userpool pool is a complete OpenID provider
// (discovery, JWKS, token endpoint with PKCE, userinfo), so the journey
// runs through both sides' real code.

const fedPassword = "Upstream-Pass-7!"

// fedEnv is a hostedEnv whose pool federates with an upstream pool.
type fedEnv struct {
	*hostedEnv
	UpPool, UpClient, UpSecret string
	// UpSub is the upstream user bob's sub, the id the downstream pool
	// knows him by.
	UpSub string
}

// newFedEnv makes the upstream pool, its client and user bob, and the
// OIDC provider "UpPool" in the env's pool, which the env's client
// supports besides COGNITO.
func newFedEnv(t *testing.T, opts ...testserver.Option) *fedEnv {
	t.Helper()
	ctx := t.Context()
	he, svc := newHostedStack(t, "", opts...)
	pool, err := svc.CreatePool(ctx, &cognito.CreateUserPoolInput{PoolName: "hosted"})
	if err != nil {
		t.Fatal(err)
	}
	he.PoolID = pool.ID
	addDomain(t, svc, pool.ID)
	he.createUser(hostedUser, hostedPassword, true, cognito.AttributeType{Name: "email", Value: "alice@example.com"})
	e := &fedEnv{hostedEnv: he}
	up, err := e.Svc.CreatePool(ctx, &cognito.CreateUserPoolInput{PoolName: "upstream"})
	if err != nil {
		t.Fatal(err)
	}
	e.UpPool = up.ID
	addDomain(t, e.Svc, up.ID)
	yes := true
	c, err := e.Svc.CreateClient(ctx, &cognito.CreateUserPoolClientInput{
		UserPoolID: up.ID, ClientName: "downstream", GenerateSecret: &yes, AllowedOAuthFlowsUserPoolClient: &yes,
		AllowedOAuthFlows: []string{cognito.OAuthFlowCode}, AllowedOAuthScopes: []string{"openid", "email", "profile"},
		CallbackURLs: []string{e.URL + "/oauth2/idpresponse"}, SupportedIdentityProviders: []string{"COGNITO"},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.UpClient, e.UpSecret = c.ClientID, c.ClientSecret
	saved := e.PoolID
	e.PoolID = up.ID
	e.createUser("bob", fedPassword, true,
		cognito.AttributeType{Name: "email", Value: "bob@upstream.example"},
		cognito.AttributeType{Name: "email_verified", Value: "true"},
		cognito.AttributeType{Name: "name", Value: "Bob Upstream"})
	e.PoolID = saved
	bob, err := e.Svc.AdminGetUser(ctx, &cognito.AdminGetUserInput{UserPoolID: up.ID, Username: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range bob.UserAttributes {
		if a.Name == "sub" {
			e.UpSub = a.Value
		}
	}
	e.createIDP("UpPool", "GET", map[string]string{
		"email": "email", "email_verified": "email_verified", "name": "name",
	})
	e.ClientID = e.createClient(func(in *cognito.CreateUserPoolClientInput) {
		in.SupportedIdentityProviders = []string{"COGNITO", "UpPool"}
	})
	return e
}

// createIDP adds an OIDC provider for the upstream pool, discovered from
// its issuer.
func (e *fedEnv) createIDP(name, method string, mapping map[string]string) {
	e.t.Helper()
	_, err := e.Svc.CreateIdentityProvider(e.t.Context(), &cognito.CreateIdentityProviderInput{
		UserPoolID: e.PoolID, ProviderName: name, ProviderType: cognito.IdentityProviderTypeTypeOidc,
		ProviderDetails: map[string]string{
			"client_id": e.UpClient, "client_secret": e.UpSecret, "attributes_request_method": method,
			"oidc_issuer": e.URL + "/" + e.UpPool, "authorize_scopes": "openid email profile",
		},
		AttributeMapping: mapping,
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// getAbs follows one redirect target with the env's browser.
func (e *fedEnv) getAbs(loc string) hostedResponse {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.t.Context(), http.MethodGet, loc, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.do(e.Browser, req)
}

// redirectTo checks that r redirects to a URL starting with prefix and
// returns it.
func redirectTo(t *testing.T, r hostedResponse, prefix string) *url.URL {
	t.Helper()
	if r.Status != http.StatusFound {
		t.Fatalf("status = %d, want 302 to %s; body:\n%s", r.Status, prefix, r.Body)
	}
	loc := r.Location(t)
	if !strings.HasPrefix(loc.String(), prefix) {
		t.Fatalf("redirected to %s, want %s...", loc, prefix)
	}
	return loc
}

// upstreamAnswer goes from the downstream authorize request q to the
// upstream's answer at /oauth2/idpresponse, signing in at the upstream
// pool's login page as bob when it asks, and returns the downstream's
// response to that answer.
func (e *fedEnv) upstreamAnswer(q url.Values) hostedResponse {
	e.t.Helper()
	toUp := redirectTo(e.t, e.get("/oauth2/authorize", q), e.URL+"/oauth2/authorize?")
	up := toUp.Query()
	if up.Get("client_id") != e.UpClient || up.Get("redirect_uri") != e.URL+"/oauth2/idpresponse" {
		e.t.Fatalf("upstream request %s", toUp)
	}
	// Userpool's own state, nonce and PKCE go upstream, never the app's.
	if up.Get("state") == q.Get("state") || up.Get("nonce") == "" || up.Get("nonce") == q.Get("nonce") ||
		up.Get("code_challenge_method") != "S256" || up.Get("code_challenge") == q.Get("code_challenge") {
		e.t.Fatalf("upstream request carries the app's parameters or lacks its own: %s", toUp)
	}
	r := e.getAbs(toUp.String())
	if loc := r.Location(e.t); strings.HasPrefix(loc.Path, "/login") {
		r = e.signIn(loc.Query(), "bob", fedPassword)
	}
	back := redirectTo(e.t, r, e.URL+"/oauth2/idpresponse?")
	return e.getAbs(back.String())
}

// upstreamSignIn is upstreamAnswer for a sign-in that succeeds: it
// returns the app callback's query.
func (e *fedEnv) upstreamSignIn(q url.Values) url.Values {
	e.t.Helper()
	cb := redirectTo(e.t, e.upstreamAnswer(q), hostedCallback+"?").Query()
	if cb.Get("code") == "" {
		e.t.Fatalf("no code: %v", cb)
	}
	return cb
}

func TestFederatedSignInThroughUpstreamPool(t *testing.T) {
	e := newFedEnv(t)
	ctx := t.Context()

	// The login page offers the provider as a button next to the form.
	page := e.get("/login", e.authorizeQuery())
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `data-provider="UpPool"`) || !strings.Contains(page.Body, `name="password"`) {
		t.Fatalf("login page lacks the provider button or the form:\n%s", page.Body)
	}
	button := hostedAttr(t, page.Body, `class="button idpButton-customizable" href="`)
	bq, err := url.ParseQuery(strings.SplitN(html.UnescapeString(button), "?", 2)[1])
	if err != nil || bq.Get("identity_provider") != "UpPool" || bq.Get("client_id") != e.ClientID {
		t.Fatalf("button URL %q", button)
	}

	cb := e.upstreamSignIn(bq)
	if cb.Get("state") != "st-123" || cb.Get("code") == "" {
		t.Fatalf("callback %v", cb)
	}
	ts, err := e.exchange(cb.Get("code"), hostedCallback, hostedVerifier)
	if err != nil {
		t.Fatal(err)
	}
	id := tokClaims(t, ts.IDToken)
	wantName := "UpPool_" + e.UpSub
	if id["cognito:username"] != wantName || id["email"] != "bob@upstream.example" || id["email_verified"] != true || id["nonce"] != "n-456" {
		t.Errorf("ID token claims %v", id)
	}
	if groups, _ := id["cognito:groups"].([]any); !slices.Contains(groups, any(e.PoolID+"_UpPool")) {
		t.Errorf("cognito:groups = %v, want the provider's group", id["cognito:groups"])
	}
	ids, _ := id["identities"].([]any)
	if len(ids) != 1 {
		t.Fatalf("identities = %v", id["identities"])
	}
	entry := ids[0].(map[string]any)
	if entry["userId"] != e.UpSub || entry["providerName"] != "UpPool" || entry["providerType"] != "OIDC" ||
		entry["issuer"] != nil || entry["primary"] != "true" || entry["dateCreated"] == "" {
		t.Errorf("identities entry %v", entry)
	}
	u, err := e.Svc.AdminGetUser(ctx, &cognito.AdminGetUserInput{UserPoolID: e.PoolID, Username: wantName})
	if err != nil {
		t.Fatal(err)
	}
	if u.UserStatus != cognito.UserStatusExternalProvider {
		t.Errorf("UserStatus = %s", u.UserStatus)
	}
	var stored string
	for _, a := range u.UserAttributes {
		if a.Name == "identities" {
			stored = a.Value
		}
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(stored), &list); err != nil || len(list) != 1 || list[0]["primary"] != true {
		t.Errorf("identities attribute %q", stored)
	}

	// Mapped attributes are written again on each sign-in. The browser
	// still has its upstream session, so the upstream answers at once.
	if err := e.Svc.AdminUpdateUserAttributes(ctx, &cognito.AdminUpdateUserAttributesInput{
		UserPoolID: e.UpPool, Username: "bob", UserAttributes: []cognito.AttributeType{{Name: "name", Value: "Robert"}},
	}); err != nil {
		t.Fatal(err)
	}
	cb = e.upstreamSignIn(e.authorizeQuery("identity_provider", "UpPool"))
	ts, err = e.exchange(cb.Get("code"), hostedCallback, hostedVerifier)
	if err != nil {
		t.Fatal(err)
	}
	id = tokClaims(t, ts.IDToken)
	if id["cognito:username"] != wantName || id["name"] != "Robert" {
		t.Errorf("second sign-in claims %v", id)
	}
}

func TestFederatedSignInByIdentifierAndPOSTUserinfo(t *testing.T) {
	e := newFedEnv(t)
	if _, err := e.Svc.UpdateIdentityProvider(t.Context(), &cognito.UpdateIdentityProviderInput{
		UserPoolID: e.PoolID, ProviderName: "UpPool", IdpIdentifiers: []string{"upstream.example"},
		ProviderDetails: map[string]string{
			"client_id": e.UpClient, "client_secret": e.UpSecret, "attributes_request_method": "POST",
			"oidc_issuer": e.URL + "/" + e.UpPool, "authorize_scopes": "openid email",
		},
	}); err != nil {
		t.Fatal(err)
	}
	cb := e.upstreamSignIn(e.authorizeQuery("idp_identifier", "upstream.example"))
	ts, err := e.exchange(cb.Get("code"), hostedCallback, hostedVerifier)
	if err != nil {
		t.Fatal(err)
	}
	if id := tokClaims(t, ts.IDToken); id["email"] != "bob@upstream.example" {
		t.Errorf("claims %v", id)
	}
}

func TestFederatedClientWithoutCognito(t *testing.T) {
	e := newFedEnv(t)
	e.ClientID = e.createClient(func(in *cognito.CreateUserPoolClientInput) {
		in.SupportedIdentityProviders = []string{"UpPool"}
	})
	page := e.get("/login", e.authorizeQuery())
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `data-provider="UpPool"`) || strings.Contains(page.Body, `name="password"`) {
		t.Fatalf("login page of a client without COGNITO:\n%s", page.Body)
	}
	// Its form cannot be posted either.
	r := e.post("/login", e.authorizeQuery(), url.Values{"username": {hostedUser}, "password": {hostedPassword}})
	wantRedirectError(t, r, hostedCallback, "unauthorized_client", "st-123")
	// A provider the client does not support is refused.
	wantRedirectError(t, e.get("/oauth2/authorize", e.authorizeQuery("identity_provider", "COGNITO")), hostedCallback, "invalid_request", "st-123")
	wantRedirectError(t, e.get("/oauth2/authorize", e.authorizeQuery("idp_identifier", "nobody.example")), hostedCallback, "invalid_request", "st-123")
}

func TestFederatedUpstreamErrorReachesApp(t *testing.T) {
	e := newFedEnv(t)
	toUp := redirectTo(t, e.get("/oauth2/authorize", e.authorizeQuery("identity_provider", "UpPool")), e.URL+"/oauth2/authorize?")
	// The user cancels at the upstream, which answers with an error.
	back := url.Values{"state": {toUp.Query().Get("state")}, "error": {"access_denied"}, "error_description": {"The user said no."}}
	r := e.get("/oauth2/idpresponse", back)
	wantRedirectError(t, r, hostedCallback, "access_denied", "st-123")
	if d := r.Location(t).Query().Get("error_description"); d != "The user said no." {
		t.Errorf("error_description = %q", d)
	}
}

func TestFederatedFlowRefusals(t *testing.T) {
	e := newFedEnv(t)
	toUp := redirectTo(t, e.get("/oauth2/authorize", e.authorizeQuery("identity_provider", "UpPool")), e.URL+"/oauth2/authorize?")
	state := toUp.Query().Get("state")

	// A forged or missing state has no app to go back to.
	wantErrorPage(t, e.get("/oauth2/idpresponse", url.Values{"state": {"forged"}, "code": {"x"}}), http.StatusBadRequest, "could not be matched")
	wantErrorPage(t, e.get("/oauth2/idpresponse", url.Values{"code": {"x"}}), http.StatusBadRequest, "could not be matched")
	// Another browser cannot finish this browser's sign-in.
	other := e.newBrowser()
	wantErrorPage(t, e.getWith(other, "/oauth2/idpresponse", url.Values{"state": {state}, "code": {"x"}}), http.StatusBadRequest, "begun in another browser")
	// A code the upstream does not know is refused by it.
	r := e.get("/oauth2/idpresponse", url.Values{"state": {state}, "code": {"not-a-code"}})
	wantRedirectError(t, r, hostedCallback, "invalid_request", "st-123")
	// That ended the flow: the browser's binding is gone.
	wantErrorPage(t, e.get("/oauth2/idpresponse", url.Values{"state": {state}, "code": {"x"}}), http.StatusBadRequest, "begun in another browser")

	// A flow is good for 15 minutes.
	toUp = redirectTo(t, e.get("/oauth2/authorize", e.authorizeQuery("identity_provider", "UpPool")), e.URL+"/oauth2/authorize?")
	e.Clock.Advance(16 * time.Minute)
	wantErrorPage(t, e.get("/oauth2/idpresponse", url.Values{"state": {toUp.Query().Get("state")}, "code": {"x"}}), http.StatusBadRequest, "took too long")
}

// A provider deleted or dropped from the client while the user was at
// the upstream: the flow ends at the app with an error.
func TestFederatedProviderGoneMeanwhile(t *testing.T) {
	e := newFedEnv(t)
	toUp := redirectTo(t, e.get("/oauth2/authorize", e.authorizeQuery("identity_provider", "UpPool")), e.URL+"/oauth2/authorize?")
	if err := e.Svc.DeleteIdentityProvider(t.Context(), &cognito.DeleteIdentityProviderInput{UserPoolID: e.PoolID, ProviderName: "UpPool"}); err != nil {
		t.Fatal(err)
	}
	r := e.get("/oauth2/idpresponse", url.Values{"state": {toUp.Query().Get("state")}, "code": {"x"}})
	wantRedirectError(t, r, hostedCallback, "invalid_request", "st-123")
	if d := r.Location(t).Query().Get("error_description"); d != "The identity provider UpPool does not exist." {
		t.Errorf("error_description = %q", d)
	}
	// Nor can a new journey start with it.
	wantRedirectError(t, e.get("/oauth2/authorize", e.authorizeQuery("identity_provider", "UpPool")), hostedCallback, "invalid_request", "st-123")
}
