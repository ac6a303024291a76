package oauth2_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/testserver"
)

// newSelfServiceEnv starts a hosted env whose pool verifies e-mail
// addresses (and requires one), with a domain, and whose messages land in
// an outbox.
func newSelfServiceEnv(t *testing.T, edit func(*cognito.CreateUserPoolInput)) *mfaHostedEnv {
	t.Helper()
	e, svc := newHostedStack(t, "", testserver.WithOutbox(nil))
	yes := true
	in := &cognito.CreateUserPoolInput{
		PoolName:               "self-service",
		AutoVerifiedAttributes: []string{"email"},
		Schema:                 []cognito.SchemaAttributeType{{Name: "email", AttributeDataType: "String", Required: &yes, Mutable: &yes}},
	}
	if edit != nil {
		edit(in)
	}
	pool, err := svc.CreatePool(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	e.PoolID = pool.ID
	addDomain(t, svc, pool.ID)
	e.ClientID = e.createClient(nil)
	return &mfaHostedEnv{hostedEnv: e, Outbox: e.stack.Outbox}
}

// page GETs a hosted page, checks it is a 200 with the pages' headers,
// and returns it with its CSRF token.
func (e *hostedEnv) page(path string, q url.Values) (hostedResponse, string) {
	e.t.Helper()
	r := e.get(path, q)
	if r.Status != http.StatusOK {
		e.t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
	}
	wantPageHeaders(e.t, r)
	return r, hostedFormValue(e.t, r.Body, "_csrf")
}

// wantRedirect checks a 303 to path and returns the target's query.
func wantRedirect(t *testing.T, r hostedResponse, path string) url.Values {
	t.Helper()
	if r.Status != http.StatusSeeOther {
		t.Fatalf("status %d, want 303 to %s; body:\n%s", r.Status, path, r.Body)
	}
	loc := r.Location(t)
	if loc.Path != path {
		t.Fatalf("redirected to %s, want %s", loc, path)
	}
	return loc.Query()
}

func wantBody(t *testing.T, what string, r hostedResponse, parts ...string) {
	t.Helper()
	body := html.UnescapeString(r.Body)
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("%s: no %q in:\n%s", what, p, r.Body)
		}
	}
}

// The whole hosted sign-up: the link from /login, the form with the
// pool's required attribute, Cognito's error for a weak password, the
// code e-mailed, a wrong code, a new code, and the right one, after which
// the browser is signed in and back at the app with a code that redeems.
func TestHostedSignUpJourney(t *testing.T) {
	e := newSelfServiceEnv(t, nil)
	q := e.authorizeQuery()

	login, _ := e.page("/login", q)
	signUpURL := hostedAttr(t, login.Body, `Need an account? <a class="redirect-customizable" href="`)
	if !strings.HasPrefix(html.UnescapeString(signUpURL), "/signup?") {
		t.Fatalf("sign-up link %q", signUpURL)
	}
	wantBody(t, "login", login, `>Sign up</a>`, `>Forgot your password?</a>`)
	link, err := url.Parse(html.UnescapeString(signUpURL))
	if err != nil {
		t.Fatal(err)
	}
	for k := range q {
		if link.Query().Get(k) != q.Get(k) {
			t.Errorf("sign-up link lost %s: %s", k, link)
		}
	}

	form, token := e.page("/signup", link.Query())
	wantBody(t, "sign-up form", form, `<label class="label-customizable" for="username">Username</label>`, `<label class="label-customizable" for="attr-email">Email address</label>`,
		`<label class="label-customizable" for="password">Password</label>`, `name="userAttributes.email"`)

	fields := url.Values{"_csrf": {token}, "username": {"bob"}, "userAttributes.email": {"bob@example.com"}, "password": {"short"}}
	weak := e.post("/signup", q, fields)
	if weak.Status != http.StatusOK {
		t.Fatalf("weak password: %d", weak.Status)
	}
	wantBody(t, "weak password", weak, "Password did not conform with policy: Password not long enough", `value="bob@example.com"`)

	fields.Set("password", hostedPassword)
	confirmQ := wantRedirect(t, e.post("/signup", q, fields), "/confirmUser")
	if confirmQ.Get("username") != "bob" || confirmQ.Get("state") != "st-123" || confirmQ.Get("code_challenge") != q.Get("code_challenge") {
		t.Fatalf("confirmUser query %v", confirmQ)
	}
	again := e.post("/signup", q, fields)
	wantBody(t, "same username again", again, "User already exists")

	confirm, token := e.page("/confirmUser", confirmQ)
	wantBody(t, "confirm form", confirm, `<label class="label-customizable" for="code">Code</label>`, `value="bob"`)
	first := e.lastCode("bob@example.com")

	wrong := e.post("/confirmUser", confirmQ, url.Values{"_csrf": {token}, "username": {"bob"}, "code": {"000000"}})
	wantBody(t, "wrong code", wrong, "Invalid verification code provided, please try again.")

	resent := e.post("/confirmUser", confirmQ, url.Values{"_csrf": {token}, "username": {"bob"}, "resend": {"1"}})
	wantBody(t, "resend", resent, "We sent a new code by email to b***@e***")
	code := e.lastCode("bob@example.com")
	if code == first {
		t.Fatal("resend sent the same code")
	}
	done := e.post("/confirmUser", confirmQ, url.Values{"_csrf": {token}, "username": {"bob"}, "code": {code}})
	c := wantCode(t, done, hostedCallback, "st-123")
	ts, err := e.exchange(c, hostedCallback, hostedVerifier)
	if err != nil || ts.IDToken == "" {
		t.Fatalf("exchange: %v %+v", err, ts)
	}
	// The hosted session began: authorize again goes straight back.
	wantCode(t, e.get("/oauth2/authorize", q), hostedCallback, "st-123")
}

// Confirming in a browser that did not sign up (the code read on another
// device) confirms the account and asks for the password.
func TestHostedConfirmElsewhere(t *testing.T) {
	e := newSelfServiceEnv(t, nil)
	q := e.authorizeQuery()
	_, token := e.page("/signup", q)
	wantRedirect(t, e.post("/signup", q, url.Values{"_csrf": {token}, "username": {"carol"}, "userAttributes.email": {"carol@example.com"}, "password": {hostedPassword}}), "/confirmUser")

	e.Browser = e.newBrowser()
	cq := e.authorizeQuery("username", "carol")
	_, token = e.page("/confirmUser", cq)
	r := e.post("/confirmUser", cq, url.Values{"_csrf": {token}, "username": {"carol"}, "code": {e.lastCode("carol@example.com")}})
	if r.Status != http.StatusOK {
		t.Fatalf("status %d", r.Status)
	}
	wantBody(t, "confirmed elsewhere", r, "Your account is confirmed. Sign in to continue.", `<label class="label-customizable" for="password">Password</label>`)
	wantCode(t, e.signIn(q, "carol", hostedPassword), hostedCallback, "st-123")
}

// A pool where only administrators create users has no sign-up link and
// no sign-up page.
func TestHostedSignUpNotPermitted(t *testing.T) {
	yes := true
	e := newSelfServiceEnv(t, func(in *cognito.CreateUserPoolInput) {
		in.AdminCreateUserConfig = &cognito.AdminCreateUserConfigType{AllowAdminCreateUserOnly: &yes}
	})
	q := e.authorizeQuery()
	login, _ := e.page("/login", q)
	if strings.Contains(login.Body, "/signup") {
		t.Errorf("login page links to sign-up:\n%s", login.Body)
	}
	r := e.get("/signup", q)
	if r.Status != http.StatusForbidden {
		t.Errorf("GET /signup: %d", r.Status)
	}
	wantBody(t, "sign-up page", r, "SignUp is not permitted for this user pool")
}

// A client with a secret signs users up too: the pages compute the
// SecretHash the actions ask of it.
func TestHostedSignUpClientWithSecret(t *testing.T) {
	e := newSelfServiceEnv(t, nil)
	yes := true
	e.ClientID = e.createClient(func(in *cognito.CreateUserPoolClientInput) { in.GenerateSecret = &yes })
	q := e.authorizeQuery()
	_, token := e.page("/signup", q)
	wantRedirect(t, e.post("/signup", q, url.Values{"_csrf": {token}, "username": {"dave"}, "userAttributes.email": {"dave@example.com"}, "password": {hostedPassword}}), "/confirmUser")
}

// The forms refuse a POST without the CSRF token of their cookie, and
// sign nobody up.
func TestHostedPagesCSRF(t *testing.T) {
	e := newSelfServiceEnv(t, nil)
	q := e.authorizeQuery()
	for _, path := range []string{"/signup", "/confirmUser", "/forgotPassword", "/confirmForgotPassword"} {
		r := e.post(path, q, url.Values{"username": {"eve"}, "userAttributes.email": {"eve@example.com"}, "password": {hostedPassword},
			"code": {"123456"}, "new_password": {hostedPassword}, "confirm_password": {hostedPassword}})
		if r.Status != http.StatusForbidden {
			t.Errorf("%s without a token: %d", path, r.Status)
		}
		wantBody(t, path, r, "This form has expired")
	}
	if len(e.Outbox.Messages()) != 0 {
		t.Errorf("messages sent: %v", e.Outbox.Messages())
	}
}

// The hosted endpoints are a domain's: for a pool without one,
// authorize and every page answer with an error page, not a form.
func TestHostedPagesNeedDomain(t *testing.T) {
	e, svc := newHostedStack(t, "")
	pool, err := svc.CreatePool(t.Context(), &cognito.CreateUserPoolInput{PoolName: "no-domain"})
	if err != nil {
		t.Fatal(err)
	}
	e.PoolID = pool.ID
	e.ClientID = e.createClient(nil)
	q := e.authorizeQuery()
	for _, path := range []string{"/oauth2/authorize", "/login", "/signup", "/confirmUser", "/forgotPassword", "/confirmForgotPassword"} {
		r := e.get(path, q)
		if r.Status != http.StatusBadRequest || strings.Contains(r.Body, "<form") {
			t.Errorf("%s: %d\n%s", path, r.Status, r.Body)
		}
		wantBody(t, path, r, "has no domain")
	}
}

// In a pool that requires MFA, the sign-in that follows the confirmation
// passes the MFA gate like any other: a new user sets up a factor first.
func TestHostedSignUpThenMFA(t *testing.T) {
	e := newSelfServiceEnv(t, nil)
	yes := true
	if _, err := e.Svc.SetUserPoolMfaConfig(t.Context(), &cognito.SetUserPoolMfaConfigInput{
		UserPoolID: e.PoolID, MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: &cognito.SoftwareTokenMfaConfigType{Enabled: &yes},
	}); err != nil {
		t.Fatal(err)
	}
	q := e.authorizeQuery()
	_, token := e.page("/signup", q)
	cq := wantRedirect(t, e.post("/signup", q, url.Values{"_csrf": {token}, "username": {"gina"}, "userAttributes.email": {"gina@example.com"}, "password": {hostedPassword}}), "/confirmUser")
	r := e.post("/confirmUser", cq, url.Values{"_csrf": {token}, "username": {"gina"}, "code": {e.lastCode("gina@example.com")}})
	if r.Status != http.StatusOK || setCookie(r, "cognito") != nil {
		t.Fatalf("status %d, or a session before MFA", r.Status)
	}
	wantBody(t, "after confirmation", r, "Set up an authenticator app")
}
