package oauth2_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/cognito"
)

// Until client_id and redirect_uri are known good, every refusal is a page
// on this server: redirecting would make it an open redirector.
func TestAuthorizeErrorPages(t *testing.T) {
	e := newHostedEnv(t)
	for _, tc := range []struct {
		name      string
		overrides []string
		code      string
		detail    string
	}{
		{"no client_id", []string{"client_id", ""}, "invalid_request", "The client_id parameter is missing."},
		{"unknown client_id", []string{"client_id", "1example23456789abcdefghij"}, "invalid_client", "User pool client 1example23456789abcdefghij does not exist."},
		{"no redirect_uri", []string{"redirect_uri", ""}, "invalid_request", "The redirect_uri parameter is missing."},
		{"unregistered redirect_uri", []string{"redirect_uri", "https://evil.example.com/callback"}, "redirect_mismatch", "The redirect_uri is not one of the app client's callback URLs."},
		{"prefix of a callback", []string{"redirect_uri", "https://app.example.com/"}, "redirect_mismatch", "The redirect_uri is not one of the app client's callback URLs."},
		{"callback with a path added", []string{"redirect_uri", hostedCallback + "/more"}, "redirect_mismatch", "The redirect_uri is not one of the app client's callback URLs."},
		{"callback in another case", []string{"redirect_uri", strings.ToUpper(hostedCallback)}, "redirect_mismatch", "The redirect_uri is not one of the app client's callback URLs."},
		{"callback with a query added", []string{"redirect_uri", hostedCallback + "?x=1"}, "redirect_mismatch", "The redirect_uri is not one of the app client's callback URLs."},
		// Checked before the rest, so a bad response_type on a bad
		// redirect_uri is not redirected either.
		{"bad redirect_uri and response_type", []string{"redirect_uri", "https://evil.example.com/", "response_type", ""}, "redirect_mismatch", "The redirect_uri is not one of the app client's callback URLs."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, path := range []string{"/oauth2/authorize", "/login"} {
				r := e.get(path, e.authorizeQuery(tc.overrides...))
				wantErrorPage(t, r, http.StatusBadRequest, tc.detail)
				if !strings.Contains(r.Body, "<code>"+tc.code+"</code>") {
					t.Errorf("%s: the page does not name the error %s:\n%s", path, tc.code, r.Body)
				}
			}
		})
	}
}

// Once client_id and redirect_uri are good, refusals go back to the
// client as RFC 6749 errors in the query, with the state.
func TestAuthorizeRedirectErrors(t *testing.T) {
	e := newHostedEnv(t)
	no := false
	codeOnly := e.createClient(func(in *cognito.CreateUserPoolClientInput) {
		in.AllowedOAuthFlows = []string{cognito.OAuthFlowCode}
	})
	notOAuth := e.createClient(func(in *cognito.CreateUserPoolClientInput) {
		in.AllowedOAuthFlowsUserPoolClient = &no
	})
	noCognito := e.createClient(func(in *cognito.CreateUserPoolClientInput) {
		in.SupportedIdentityProviders = nil
	})
	for _, tc := range []struct {
		name      string
		overrides []string
		code      string
	}{
		{"no response_type", []string{"response_type", ""}, "invalid_request"},
		{"unknown response_type", []string{"response_type", "id_token"}, "unsupported_response_type"},
		{"implicit not allowed", []string{"client_id", codeOnly, "response_type", "token"}, "unauthorized_client"},
		{"not an OAuth client", []string{"client_id", notOAuth}, "unauthorized_client"},
		{"client without COGNITO", []string{"client_id", noCognito}, "unauthorized_client"},
		{"other identity provider", []string{"identity_provider", "Google"}, "invalid_request"},
		{"idp_identifier", []string{"idp_identifier", "example.com"}, "invalid_request"},
		{"plain PKCE", []string{"code_challenge_method", "plain"}, "invalid_request"},
		{"challenge without method", []string{"code_challenge_method", ""}, "invalid_request"},
		{"method without challenge", []string{"code_challenge", ""}, "invalid_request"},
		{"challenge too short", []string{"code_challenge", "abc"}, "invalid_request"},
		{"challenge with bad characters", []string{"code_challenge", strings.Repeat("a", 42) + "="}, "invalid_request"},
		{"scope the client lacks", []string{"scope", "openid aws.cognito.signin.user.admin"}, "invalid_scope"},
		{"unknown scope", []string{"scope", "openid https://api.example.com/read"}, "invalid_scope"},
		{"email without openid", []string{"scope", "email"}, "invalid_scope"},
		{"profile without openid", []string{"scope", "phone profile"}, "invalid_scope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := e.authorizeQuery(tc.overrides...)
			for _, path := range []string{"/oauth2/authorize", "/login"} {
				r := e.get(path, q)
				wantRedirectError(t, r, hostedCallback, tc.code, "st-123")
				wantPageHeaders(t, r)
				if r.Location(t).Query().Get("error_description") == "" {
					t.Errorf("%s: no error_description", path)
				}
			}
		})
	}

	t.Run("no state", func(t *testing.T) {
		r := e.get("/oauth2/authorize", e.authorizeQuery("state", "", "response_type", ""))
		wantRedirectError(t, r, hostedCallback, "invalid_request", "")
		if r.Location(t).Query().Has("state") {
			t.Error("a request without state got one back")
		}
	})
	t.Run("callback with a query", func(t *testing.T) {
		cb := "http://localhost:8080/cb?app=1"
		r := e.get("/oauth2/authorize", e.authorizeQuery("redirect_uri", cb, "scope", "email"))
		wantRedirectError(t, r, cb, "invalid_scope", "st-123")
		if got := r.Location(t).Query().Get("app"); got != "1" {
			t.Errorf("the callback's own query was lost: %s", r.Header.Get("Location"))
		}
	})
}

// A valid request without a hosted session goes to the login page with
// the same parameters.
func TestAuthorizeToLogin(t *testing.T) {
	e := newHostedEnv(t)
	for _, overrides := range [][]string{
		nil,
		{"identity_provider", "COGNITO"},
		{"scope", ""}, // all of the client's scopes
		{"code_challenge", "", "code_challenge_method", ""},
		{"response_type", "token"},
	} {
		q := e.authorizeQuery(overrides...)
		r := e.get("/oauth2/authorize", q)
		if r.Status != http.StatusFound {
			t.Fatalf("%v: status %d: %s", overrides, r.Status, r.Body)
		}
		loc := r.Location(t)
		if loc.Path != "/login" || loc.Host != "" {
			t.Fatalf("%v: redirected to %s, want /login", overrides, loc)
		}
		if diff := cmp.Diff(q, loc.Query()); diff != "" {
			t.Errorf("%v: /login query (-want +got):\n%s", overrides, diff)
		}
		wantPageHeaders(t, r)
	}
}

// The full code flow: sign in, get a code bound to the request, and skip
// the form on the next authorization within the hour.
func TestAuthorizeCodeAndSession(t *testing.T) {
	e := newHostedEnv(t)
	q := e.authorizeQuery()
	r := e.signIn(q, hostedUser, hostedPassword)
	code := wantCode(t, r, hostedCallback, "st-123")

	cookie := setCookie(r, "cognito")
	if cookie == nil {
		t.Fatal("no session cookie after signing in")
	}
	if !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" || cookie.MaxAge != 3600 || cookie.Secure {
		t.Errorf("session cookie = %+v, want HttpOnly, SameSite=Lax, Path=/, Max-Age=3600, not Secure over http", cookie)
	}

	// The code is real: bound to the redirect URI and the PKCE verifier,
	// and it carries the scopes asked for and the nonce.
	if _, err := e.exchange(code, hostedCallback, strings.Repeat("x", 43)); err == nil {
		t.Error("a code was redeemed with the wrong verifier")
	}
	code = wantCode(t, e.signIn(q, hostedUser, hostedPassword), hostedCallback, "st-123")
	ts, err := e.exchange(code, hostedCallback, hostedVerifier)
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	if got := jwtClaims(t, ts.AccessToken)["scope"]; got != "openid email" {
		t.Errorf("access token scope = %v, want openid email", got)
	}
	id := jwtClaims(t, ts.IDToken)
	if id["nonce"] != "n-456" || id["cognito:username"] != hostedUser {
		t.Errorf("ID token nonce/username = %v/%v", id["nonce"], id["cognito:username"])
	}
	authTime := id["auth_time"]

	// Within the hour, authorize answers at once, with the first sign-in's
	// auth_time, and without asking for the password.
	e.Clock.Advance(59 * time.Minute)
	q2 := e.authorizeQuery("state", "second", "scope", "", "nonce", "n-2")
	code2 := wantCode(t, e.get("/oauth2/authorize", q2), hostedCallback, "second")
	ts2, err := e.exchange(code2, hostedCallback, hostedVerifier)
	if err != nil {
		t.Fatalf("exchange of the session's code: %v", err)
	}
	if got := jwtClaims(t, ts2.AccessToken)["scope"]; got != "openid email profile phone" {
		t.Errorf("without scope, the access token has %v, want all of the client's scopes", got)
	}
	if got := jwtClaims(t, ts2.IDToken)["auth_time"]; got != authTime {
		t.Errorf("auth_time = %v, want the sign-in's %v", got, authTime)
	}

	// After an hour the session is over, whatever the browser keeps.
	e.Clock.Advance(2 * time.Minute)
	wantLoginRedirect(t, e.get("/oauth2/authorize", q2))
}

// The session is only for the pool it was made in and for users who may
// still sign in.
func TestAuthorizeSessionRevalidated(t *testing.T) {
	e := newHostedEnv(t)
	q := e.authorizeQuery()
	wantCode(t, e.signIn(q, hostedUser, hostedPassword), hostedCallback, "st-123")
	wantCode(t, e.get("/oauth2/authorize", q), hostedCallback, "st-123")

	// Another pool's client sees no session.
	other, err := e.Svc.CreatePool(t.Context(), &cognito.CreateUserPoolInput{PoolName: "other"})
	if err != nil {
		t.Fatal(err)
	}
	addDomain(t, e.Svc, other.ID)
	yes := true
	oc, err := e.Svc.CreateClient(t.Context(), &cognito.CreateUserPoolClientInput{
		UserPoolID: other.ID, ClientName: "other", AllowedOAuthFlowsUserPoolClient: &yes,
		AllowedOAuthFlows: []string{"code"}, AllowedOAuthScopes: []string{"openid"},
		CallbackURLs: []string{hostedCallback}, SupportedIdentityProviders: []string{"COGNITO"},
	})
	if err != nil {
		t.Fatal(err)
	}
	wantLoginRedirect(t, e.get("/oauth2/authorize", e.authorizeQuery("client_id", oc.ClientID, "scope", "openid")))

	// A disabled user must sign in again (and cannot).
	if err := e.Svc.AdminDisableUser(t.Context(), &cognito.AdminDisableUserInput{UserPoolID: e.PoolID, Username: hostedUser}); err != nil {
		t.Fatal(err)
	}
	wantLoginRedirect(t, e.get("/oauth2/authorize", q))
	if err := e.Svc.AdminEnableUser(t.Context(), &cognito.AdminEnableUserInput{UserPoolID: e.PoolID, Username: hostedUser}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.get("/oauth2/authorize", q), hostedCallback, "st-123")

	// So must one whose password an administrator made temporary.
	tmp := false
	if err := e.Svc.AdminSetUserPassword(t.Context(), &cognito.AdminSetUserPasswordInput{
		UserPoolID: e.PoolID, Username: hostedUser, Password: "Temporary-Pass-1!", Permanent: &tmp,
	}); err != nil {
		t.Fatal(err)
	}
	wantLoginRedirect(t, e.get("/oauth2/authorize", q))

	// A deleted user's session is worth nothing, and a forged cookie too.
	if err := e.Svc.AdminDeleteUser(t.Context(), &cognito.AdminDeleteUserInput{UserPoolID: e.PoolID, Username: hostedUser}); err != nil {
		t.Fatal(err)
	}
	wantLoginRedirect(t, e.get("/oauth2/authorize", q))
	forged := e.newBrowser()
	u, _ := url.Parse(e.URL)
	forged.Jar.SetCookies(u, []*http.Cookie{{Name: "cognito", Value: base64.RawURLEncoding.EncodeToString([]byte(`{"p":"` + e.PoolID + `"}`))}})
	wantLoginRedirect(t, e.getWith(forged, "/oauth2/authorize", q))
}

// response_type=token returns the tokens in the fragment, the ID token
// only with openid, and never a refresh token.
func TestAuthorizeImplicit(t *testing.T) {
	e := newHostedEnv(t)
	e.ClientID = e.createClient(func(in *cognito.CreateUserPoolClientInput) {
		in.AllowedOAuthScopes = []string{"openid", "aws.cognito.signin.user.admin"}
	})
	q := e.authorizeQuery("response_type", "token", "scope", "openid", "code_challenge", "", "code_challenge_method", "")
	r := e.signIn(q, hostedUser, hostedPassword)
	frag := wantFragment(t, r)
	if got := frag.Get("token_type"); got != "Bearer" {
		t.Errorf("token_type = %q", got)
	}
	if got := frag.Get("expires_in"); got != "3600" {
		t.Errorf("expires_in = %q", got)
	}
	if frag.Get("state") != "st-123" || frag.Get("id_token") == "" || frag.Get("access_token") == "" || frag.Has("refresh_token") || frag.Has("code") {
		t.Errorf("fragment = %v", frag)
	}
	if got := jwtClaims(t, frag.Get("id_token"))["nonce"]; got != "n-456" {
		t.Errorf("ID token nonce = %v", got)
	}
	if !strings.HasPrefix(r.Header.Get("Location"), hostedCallback+"#access_token=") {
		t.Errorf("Location = %s, want the members in Cognito's order", r.Header.Get("Location"))
	}

	// The session answers implicit requests too; without openid there is
	// no ID token.
	frag = wantFragment(t, e.get("/oauth2/authorize", e.authorizeQuery("response_type", "token", "scope", "aws.cognito.signin.user.admin")))
	if frag.Has("id_token") || frag.Get("access_token") == "" {
		t.Errorf("without openid: fragment = %v", frag)
	}
	if got := jwtClaims(t, frag.Get("access_token"))["scope"]; got != "aws.cognito.signin.user.admin" {
		t.Errorf("access token scope = %v", got)
	}
}

// A failure of the server is server_error at the client once the
// redirect URI is known good, a 500 page before, and logged either way.
func TestAuthorizeServerError(t *testing.T) {
	e := newHostedEnv(t)
	q := e.authorizeQuery()
	wantCode(t, e.signIn(q, hostedUser, hostedPassword), hostedCallback, "st-123")
	e.Store.failUsers.Store(true)
	wantRedirectError(t, e.get("/oauth2/authorize", q), hostedCallback, "server_error", "st-123")
	e.Store.failUsers.Store(false)
	// Past the settings cache's few seconds the client is read from the
	// store again, which now fails before the redirect URI is known.
	e.Clock.Advance(time.Minute)
	if err := e.Store.Close(); err != nil {
		t.Fatal(err)
	}
	wantErrorPage(t, e.get("/oauth2/authorize", q), http.StatusInternalServerError, "The server could not complete the request.")
	wantErrorPage(t, e.get("/logout", url.Values{"client_id": {e.ClientID}, "logout_uri": {hostedSignedOut}}), http.StatusInternalServerError, "The server could not complete the request.")
	if !strings.Contains(e.Logs.String(), "level=ERROR") {
		t.Error("the failure was not logged")
	}
}

// The stylesheet the pages link is served from the binary.
func TestHostedCSS(t *testing.T) {
	e := newHostedEnv(t)
	page := e.get("/login", e.authorizeQuery())
	i := strings.Index(page.Body, `<link rel="stylesheet" href="`)
	if i < 0 {
		t.Fatalf("the login page links no stylesheet:\n%s", page.Body)
	}
	href := page.Body[i+len(`<link rel="stylesheet" href="`):]
	href = strings.ReplaceAll(href[:strings.IndexByte(href, '"')], "&amp;", "&")
	u, err := url.Parse(href)
	if err != nil || u.Host != "" || u.Path != "/static/hosted.css" || u.Query().Get("v") == "" {
		t.Fatalf("stylesheet href = %q, want a versioned path on this server", href)
	}
	css := e.get(u.Path, u.Query())
	if css.Status != http.StatusOK || css.Header.Get("Content-Type") != "text/css; charset=utf-8" ||
		css.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(css.Body, ".card") {
		t.Errorf("GET %s: %d %v", href, css.Status, css.Header)
	}
	if strings.Contains(css.Body, "url(") || strings.Contains(css.Body, "@import") {
		t.Error("the stylesheet loads other resources")
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, e.URL+u.Path, nil)
	req.Header.Set("If-None-Match", css.Header.Get("ETag"))
	if r := e.do(e.Browser, req); r.Status != http.StatusNotModified {
		t.Errorf("conditional GET = %d, want 304", r.Status)
	}
}

// wantCode checks a redirect to the callback with a code and the state,
// and returns the code.
func wantCode(t *testing.T, r hostedResponse, callback, state string) string {
	t.Helper()
	if r.Status != http.StatusFound {
		t.Fatalf("status = %d, want 302 to the callback; body:\n%s", r.Status, r.Body)
	}
	loc := r.Location(t)
	if got := strings.SplitN(loc.String(), "?", 2)[0]; got != callback {
		t.Fatalf("redirected to %s, want %s", loc, callback)
	}
	q := loc.Query()
	if q.Get("state") != state || q.Get("code") == "" || q.Has("error") {
		t.Fatalf("callback query = %v, want a code and state %q", q, state)
	}
	wantPageHeaders(t, r)
	return q.Get("code")
}

// wantFragment checks an implicit redirect and returns its fragment.
func wantFragment(t *testing.T, r hostedResponse) url.Values {
	t.Helper()
	if r.Status != http.StatusFound {
		t.Fatalf("status = %d, want 302; body:\n%s", r.Status, r.Body)
	}
	loc := r.Location(t)
	if loc.RawQuery != "" || loc.Fragment == "" {
		t.Fatalf("Location = %s, want the tokens in the fragment", loc)
	}
	frag, err := url.ParseQuery(loc.Fragment)
	if err != nil {
		t.Fatal(err)
	}
	return frag
}

func wantLoginRedirect(t *testing.T, r hostedResponse) {
	t.Helper()
	if r.Status != http.StatusFound || r.Location(t).Path != "/login" {
		t.Fatalf("status %d, Location %q, want 302 to /login", r.Status, r.Header.Get("Location"))
	}
}

// setCookie returns the cookie a response sets, or nil.
func setCookie(r hostedResponse, name string) *http.Cookie {
	resp := http.Response{Header: r.Header}
	i := slices.IndexFunc(resp.Cookies(), func(c *http.Cookie) bool { return c.Name == name })
	if i < 0 {
		return nil
	}
	return resp.Cookies()[i]
}

// jwtClaims decodes a JWT's payload without verifying it: the tokens
// package's tests verify signatures; these tests look at what was granted.
func jwtClaims(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", token)
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
