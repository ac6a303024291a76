package oauth2_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/testserver"
	"github.com/userpool/userpool/internal/userpool"
)

// Helpers for the hosted-page tests (authorize, login, logout). They run
// the real server handler over a fresh SQLite store, with a browser-like
// HTTP client that keeps cookies and does not follow redirects, so every
// test sees each status and Location.

// hostedClock is the settable clock of the server under test.
type hostedClock = testserver.Clock

// hostedEnv is one server under test and a browser for it.
type hostedEnv struct {
	t       *testing.T
	URL     string
	Svc     *userpool.Service
	Engine  *auth.Engine
	Clock   *hostedClock
	Browser *http.Client
	// Pool, Client and the user "alice" with password hostedPassword,
	// made by newHostedEnv.
	PoolID   string
	ClientID string
	Callback string
	Logout   string
	Logs     *bytes.Buffer
	// Store is the server's store; closing it makes every request fail.
	Store *hostedStore
	// stack is the server's parts, for helpers that need more of them.
	stack *testserver.Stack
}

// hostedStore lets a test make user reads fail, as a database that goes
// away between two reads would.
type hostedStore struct {
	store.Store
	failUsers atomic.Bool
	// brandingReads counts the reads of managed login styles (the pool
	// settings userpool stores them under, "branding/{id}").
	brandingReads atomic.Int64
}

func (s *hostedStore) GetPoolSetting(ctx context.Context, poolID, name string) (store.PoolSetting, error) {
	if strings.HasPrefix(name, "branding/") {
		s.brandingReads.Add(1)
	}
	return s.Store.GetPoolSetting(ctx, poolID, name)
}

func (s *hostedStore) GetUserBySub(ctx context.Context, poolID, sub string) (store.User, error) {
	if s.failUsers.Load() {
		return store.User{}, errors.New("hosted test: the user table is gone")
	}
	return s.Store.GetUserBySub(ctx, poolID, sub)
}

func (s *hostedStore) GetUserBySubAndFamily(ctx context.Context, poolID, sub, familyID string) (store.User, store.FamilyState, error) {
	if s.failUsers.Load() {
		return store.User{}, store.FamilyState{}, errors.New("hosted test: the user table is gone")
	}
	return s.Store.GetUserBySubAndFamily(ctx, poolID, sub, familyID)
}

const (
	hostedPassword  = "Correct-Horse-9!"
	hostedUser      = "alice"
	hostedCallback  = "https://app.example.com/callback"
	hostedSignedOut = "https://app.example.com/signed-out"
	hostedVerifier  = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
)

// hostedChallenge is the S256 challenge of hostedVerifier.
func hostedChallenge() string {
	sum := sha256.Sum256([]byte(hostedVerifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// newHostedEnv starts a server with a pool, an OAuth app client allowing
// the code and implicit flows, and a confirmed user.
func newHostedEnv(t *testing.T) *hostedEnv {
	t.Helper()
	return newHostedEnvURL(t, "")
}

// newHostedEnvURL is newHostedEnv with the server's public URL given
// ("" for the test server's own).
func newHostedEnvURL(t *testing.T, publicURL string) *hostedEnv {
	t.Helper()
	return newHostedEnvPool(t, publicURL, &cognito.CreateUserPoolInput{PoolName: "hosted"})
}

// newHostedEnvPool is newHostedEnvURL with the pool created from in.
func newHostedEnvPool(t *testing.T, publicURL string, in *cognito.CreateUserPoolInput) *hostedEnv {
	t.Helper()
	ctx := t.Context()
	e, svc := newHostedStack(t, publicURL)
	pool, err := svc.CreatePool(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	e.PoolID = pool.ID
	addDomain(t, svc, pool.ID)
	e.ClientID = e.createClient(nil)
	e.createUser(hostedUser, hostedPassword, true)
	return e
}

// newHostedStack starts the server of a hostedEnv, with no pool yet, and
// the browser for it; opts add to the stack's options.
func newHostedStack(t *testing.T, publicURL string, opts ...testserver.Option) (*hostedEnv, *userpool.Service) {
	t.Helper()
	var st *hostedStore
	logs := new(bytes.Buffer)
	opts = append([]testserver.Option{
		testserver.WithoutAPI(),
		testserver.WithPublicURL(publicURL),
		testserver.WithLogOutput(logs),
		testserver.WithStore(func(db store.Store) store.Store {
			st = &hostedStore{Store: db}
			return st
		}),
	}, opts...)
	s := testserver.New(t, opts...)
	e := &hostedEnv{t: t, URL: s.URL, Svc: s.Service, Engine: s.Engine, Clock: s.Clock, Callback: hostedCallback, Logout: hostedSignedOut, Logs: logs, Store: st, stack: s}
	e.Browser = e.newBrowser()
	return e, s.Service
}

// newBrowser returns a client with its own cookie jar that does not follow
// redirects.
func (e *hostedEnv) newBrowser() *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// createClient creates an app client: an OAuth client for the code and
// implicit flows by default, changed by edit.
func (e *hostedEnv) createClient(edit func(*cognito.CreateUserPoolClientInput)) string {
	e.t.Helper()
	yes := true
	in := &cognito.CreateUserPoolClientInput{
		UserPoolID:                      e.PoolID,
		ClientName:                      "Hosted Test App",
		AllowedOAuthFlowsUserPoolClient: &yes,
		AllowedOAuthFlows:               []string{cognito.OAuthFlowCode, cognito.OAuthFlowImplicit},
		AllowedOAuthScopes:              []string{"openid", "email", "profile", "phone"},
		CallbackURLs:                    []string{hostedCallback, "http://localhost:8080/cb?app=1"},
		LogoutURLs:                      []string{hostedSignedOut},
		SupportedIdentityProviders:      []string{"COGNITO"},
	}
	if edit != nil {
		edit(in)
	}
	c, err := e.Svc.CreateClient(e.t.Context(), in)
	if err != nil {
		e.t.Fatal(err)
	}
	return c.ClientID
}

// createUser creates a user; permanent says whether the password is
// permanent (CONFIRMED) or temporary (FORCE_CHANGE_PASSWORD).
func (e *hostedEnv) createUser(name, pw string, permanent bool, attrs ...cognito.AttributeType) {
	e.t.Helper()
	ctx := e.t.Context()
	if _, err := e.Svc.AdminCreateUser(ctx, &cognito.AdminCreateUserInput{
		UserPoolID: e.PoolID, Username: name, TemporaryPassword: pw, MessageAction: "SUPPRESS", UserAttributes: attrs,
	}); err != nil {
		e.t.Fatal(err)
	}
	if permanent {
		if err := e.Svc.AdminSetUserPassword(ctx, &cognito.AdminSetUserPasswordInput{
			UserPoolID: e.PoolID, Username: name, Password: pw, Permanent: &permanent,
		}); err != nil {
			e.t.Fatal(err)
		}
	}
}

// authorizeQuery is a valid code + PKCE authorization request for the
// env's client, with overrides (an empty value deletes the parameter).
func (e *hostedEnv) authorizeQuery(overrides ...string) url.Values {
	q := url.Values{
		"response_type":         {"code"},
		"client_id":             {e.ClientID},
		"redirect_uri":          {e.Callback},
		"state":                 {"st-123"},
		"scope":                 {"openid email"},
		"nonce":                 {"n-456"},
		"code_challenge":        {hostedChallenge()},
		"code_challenge_method": {"S256"},
	}
	for i := 0; i+1 < len(overrides); i += 2 {
		if overrides[i+1] == "" {
			q.Del(overrides[i])
		} else {
			q.Set(overrides[i], overrides[i+1])
		}
	}
	return q
}

// hostedResponse is a response with its body read.
type hostedResponse struct {
	Status int
	Header http.Header
	Body   string
}

// Location is the redirect target, parsed.
func (r hostedResponse) Location(t *testing.T) *url.URL {
	t.Helper()
	loc := r.Header.Get("Location")
	if loc == "" {
		t.Fatalf("no Location (status %d): %s", r.Status, r.Body)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (e *hostedEnv) do(c *http.Client, req *http.Request) hostedResponse {
	e.t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return hostedResponse{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// get sends GET path?query with the env's browser.
func (e *hostedEnv) get(path string, q url.Values) hostedResponse {
	e.t.Helper()
	return e.getWith(e.Browser, path, q)
}

func (e *hostedEnv) getWith(c *http.Client, path string, q url.Values) hostedResponse {
	e.t.Helper()
	u := e.URL + path
	if q != nil {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(e.t.Context(), http.MethodGet, u, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.do(c, req)
}

// post sends a form to path?query with the env's browser.
func (e *hostedEnv) post(path string, q, form url.Values) hostedResponse {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.t.Context(), http.MethodPost, e.URL+path+"?"+q.Encode(), strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(e.Browser, req)
}

// csrf opens the login page for q and returns the form's CSRF token (the
// browser keeps the cookie).
func (e *hostedEnv) csrf(q url.Values) string {
	e.t.Helper()
	page := e.get("/login", q)
	if page.Status != http.StatusOK {
		e.t.Fatalf("GET /login: %d %s", page.Status, page.Body)
	}
	return hostedFormValue(e.t, page.Body, "_csrf")
}

// signIn posts the login form for q with a fresh CSRF token.
func (e *hostedEnv) signIn(q url.Values, username, pw string) hostedResponse {
	e.t.Helper()
	token := e.csrf(q)
	return e.post("/login", q, url.Values{"_csrf": {token}, "username": {username}, "password": {pw}})
}

// newSignIn signs in with a new browser, without the env's session.
func (e *hostedEnv) newSignIn(q url.Values, username, pw string) hostedResponse {
	e.t.Helper()
	saved := e.Browser
	defer func() { e.Browser = saved }()
	e.Browser = e.newBrowser()
	return e.signIn(q, username, pw)
}

// hostedAttr returns the first attribute value after marker (for example
// `action="`) in a page.
func hostedAttr(t *testing.T, body, marker string) string {
	t.Helper()
	i := strings.Index(body, marker)
	if i < 0 {
		t.Fatalf("no %s in page:\n%s", marker, body)
	}
	rest := body[i+len(marker):]
	return rest[:strings.IndexByte(rest, '"')]
}

// hostedFormValue finds the value of the hidden input name in a page.
func hostedFormValue(t *testing.T, body, name string) string {
	t.Helper()
	marker := `name="` + name + `" value="`
	i := strings.Index(body, marker)
	if i < 0 {
		t.Fatalf("no input %q in page:\n%s", name, body)
	}
	rest := body[i+len(marker):]
	return rest[:strings.IndexByte(rest, '"')]
}

// wantPageHeaders checks the security headers every hosted page carries.
func wantPageHeaders(t *testing.T, r hostedResponse) {
	t.Helper()
	for k, want := range map[string]string{
		"Content-Security-Policy": "default-src 'self'; base-uri 'none'; frame-ancestors 'none'",
		"X-Frame-Options":         "DENY",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"Cache-Control":           "no-store",
	} {
		if got := r.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

// wantErrorPage checks an error page: status, security headers, the
// headline and the detail.
func wantErrorPage(t *testing.T, r hostedResponse, status int, detail string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status = %d, want %d; body:\n%s", r.Status, status, r.Body)
	}
	if loc := r.Header.Get("Location"); loc != "" {
		t.Errorf("an error page redirected to %s", loc)
	}
	wantPageHeaders(t, r)
	if ct := r.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if !strings.Contains(r.Body, "An error was encountered with the requested page.") {
		t.Errorf("the error page lacks its headline:\n%s", r.Body)
	}
	if !strings.Contains(r.Body, htmlEscape(detail)) {
		t.Errorf("the error page lacks %q:\n%s", detail, r.Body)
	}
}

// wantRedirectError checks an error redirected to the callback.
func wantRedirectError(t *testing.T, r hostedResponse, callback, code, state string) {
	t.Helper()
	if r.Status != http.StatusFound {
		t.Fatalf("status = %d, want 302; body:\n%s", r.Status, r.Body)
	}
	loc := r.Location(t)
	if base := strings.SplitN(loc.String(), "?", 2)[0]; base != strings.SplitN(callback, "?", 2)[0] {
		t.Fatalf("redirected to %s, want the callback %s", loc, callback)
	}
	q := loc.Query()
	if q.Get("error") != code {
		t.Errorf("error = %q (%s), want %q", q.Get("error"), q.Get("error_description"), code)
	}
	if q.Get("state") != state {
		t.Errorf("state = %q, want %q", q.Get("state"), state)
	}
	if q.Has("code") {
		t.Error("an error redirect carries a code")
	}
}

// wantAlert checks a form page's error region.
func wantAlert(t *testing.T, r hostedResponse, msg string) {
	t.Helper()
	want := `role="alert">` + htmlEscape(msg) + `</div>`
	if !strings.Contains(r.Body, want) {
		t.Errorf("page lacks the alert %q:\n%s", msg, r.Body)
	}
}

// htmlEscape escapes text as html/template does.
func htmlEscape(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch c {
		case '\'':
			b.WriteString("&#39;")
		case '"':
			b.WriteString("&#34;")
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '+':
			b.WriteString("&#43;")
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

func mustPool(t *testing.T, e *hostedEnv) *cognito.UserPoolType {
	t.Helper()
	p, err := e.Svc.Pool(t.Context(), e.PoolID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func hasAttr(attrs []store.Attribute, name, value string) bool {
	for _, a := range attrs {
		if a.Name == name && a.Value == value {
			return true
		}
	}
	return false
}

// authChallenge is a NEW_PASSWORD_REQUIRED answer as the JSON API sends it.
func authChallenge(clientID, session string) auth.ChallengeRequest {
	return auth.ChallengeRequest{
		ClientID: clientID, Name: cognito.ChallengeNameTypeNewPasswordRequired, Session: session,
		Responses: map[string]string{"USERNAME": "dave", "NEW_PASSWORD": "Brand-New-Pass-2!"},
	}
}

// exchange redeems a code through the engine, as /oauth2/token does, to
// show that the code the hosted pages granted is real and bound to the
// request's PKCE challenge and redirect URI.
func (e *hostedEnv) exchange(code, redirect, verifier string) (*auth.TokenSet, error) {
	e.t.Helper()
	c, err := e.Svc.Client(e.t.Context(), e.ClientID)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.Engine.ExchangeCode(e.t.Context(), auth.CodeExchange{Client: c, Code: code, RedirectURI: redirect, CodeVerifier: verifier})
}

// domainSeq numbers the test domains, which must be unique per server.
var domainSeq atomic.Int64

// addDomain gives a pool a prefix domain: the hosted pages are served
// only for pools with one.
func addDomain(t *testing.T, svc *userpool.Service, poolID string) {
	t.Helper()
	name := fmt.Sprintf("hosted-test-%d", domainSeq.Add(1))
	if _, err := svc.CreateUserPoolDomain(t.Context(), &cognito.CreateUserPoolDomainInput{UserPoolID: poolID, Domain: name}); err != nil {
		t.Fatal(err)
	}
}
