package oauth2_test

import (
	"bytes"
	"encoding/base64"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
)

// The login page: an accessible form, a CSRF token in a hidden field and
// an HttpOnly cookie, and the security headers.
func TestLoginPage(t *testing.T) {
	e := newHostedEnv(t)
	q := e.authorizeQuery()
	r := e.get("/login", q)
	if r.Status != http.StatusOK {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	wantPageHeaders(t, r)
	for _, want := range []string{
		`<html lang="en">`,
		`<meta name="viewport"`,
		`<title>Sign in</title>`,
		`<label class="label-customizable" for="username">Username</label>`,
		`autocomplete="username"`,
		`<label class="label-customizable" for="password">Password</label>`,
		`type="password" autocomplete="current-password" required`,
		`<button type="submit" class="submitButton-customizable">Sign in</button>`,
		`<strong>Hosted Test App</strong>`,
		`<form method="post" action="/login?`,
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the login page lacks %q", want)
		}
	}
	for _, banned := range []string{"<script", "style=", "<style", "http://", "https://"} {
		if strings.Contains(r.Body, banned) {
			t.Errorf("the login page contains %q (no inline code, no external resources)", banned)
		}
	}
	if strings.Contains(r.Body, `role="alert"`) {
		t.Error("a fresh login page shows an error region")
	}
	token := hostedFormValue(t, r.Body, "_csrf")
	c := setCookie(r, "XSRF-TOKEN")
	if c == nil || c.Value != token || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure {
		t.Fatalf("CSRF cookie = %+v, want the form's token, HttpOnly, SameSite=Lax, Path=/", c)
	}
	// The form posts the same authorization request back.
	action := hostedAttr(t, r.Body, `action="`)
	u, err := url.Parse(html.UnescapeString(action))
	if err != nil || u.Path != "/login" || u.Query().Encode() != q.Encode() {
		t.Errorf("form action = %q, want /login with the request's parameters", action)
	}
	// A second page in the same browser keeps the token, so two tabs work.
	if again := e.get("/login", q); hostedFormValue(t, again.Body, "_csrf") != token || setCookie(again, "XSRF-TOKEN") != nil {
		t.Error("a second login page changed the CSRF token")
	}
}

// The username field says what the pool signs in with.
func TestLoginPageUsernameLabel(t *testing.T) {
	e := newHostedEnv(t)
	pool, err := e.Svc.CreatePool(t.Context(), &cognito.CreateUserPoolInput{PoolName: "by-email", UsernameAttributes: []string{"email"}})
	if err != nil {
		t.Fatal(err)
	}
	e.PoolID = pool.ID
	addDomain(t, e.Svc, pool.ID)
	e.ClientID = e.createClient(nil)
	r := e.get("/login", e.authorizeQuery())
	if !strings.Contains(r.Body, `<label class="label-customizable" for="username">Email address</label>`) || !strings.Contains(r.Body, `type="email" autocomplete="username"`) {
		t.Errorf("an e-mail pool's login page:\n%s", r.Body)
	}
}

// altered changes a token's first character: its last one carries only
// four bits, and a fixed replacement there was the token itself one time
// in sixteen.
func altered(token string) string {
	if token[0] == 'A' {
		return "B" + token[1:]
	}
	return "A" + token[1:]
}

// The CSRF check refuses a POST without the cookie's token, before the
// credentials are looked at, and the page it shows lets the user retry.
func TestLoginCSRF(t *testing.T) {
	e := newHostedEnv(t)
	q := e.authorizeQuery()
	token := e.csrf(q)
	other := e.newBrowser()
	otherToken := hostedFormValue(t, e.getWith(other, "/login", q).Body, "_csrf")
	for _, tc := range []struct {
		name string
		form url.Values
	}{
		{"missing token", url.Values{"username": {hostedUser}, "password": {hostedPassword}}},
		{"empty token", url.Values{"_csrf": {""}, "username": {hostedUser}, "password": {hostedPassword}}},
		{"another browser's token", url.Values{"_csrf": {otherToken}, "username": {hostedUser}, "password": {hostedPassword}}},
		{"altered token", url.Values{"_csrf": {altered(token)}, "username": {hostedUser}, "password": {hostedPassword}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.post("/login", q, tc.form)
			if r.Status != http.StatusForbidden {
				t.Fatalf("status %d, want 403; Location %q", r.Status, r.Header.Get("Location"))
			}
			wantPageHeaders(t, r)
			wantAlert(t, r, "This form has expired or was not sent from this page. Please try again.")
			if setCookie(r, "cognito") != nil {
				t.Error("a refused POST set a session")
			}
		})
	}
	t.Run("no cookie", func(t *testing.T) {
		fresh := e.newBrowser()
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.URL+"/login?"+q.Encode(),
			strings.NewReader(url.Values{"_csrf": {token}, "username": {hostedUser}, "password": {hostedPassword}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r := e.do(fresh, req)
		if r.Status != http.StatusForbidden {
			t.Fatalf("status %d, want 403", r.Status)
		}
		// The refusal hands out a token that works.
		retry := hostedFormValue(t, r.Body, "_csrf")
		if c := setCookie(r, "XSRF-TOKEN"); c == nil || c.Value != retry {
			t.Fatal("the refusal set no new CSRF cookie")
		}
		req, _ = http.NewRequestWithContext(t.Context(), http.MethodPost, e.URL+"/login?"+q.Encode(),
			strings.NewReader(url.Values{"_csrf": {retry}, "username": {hostedUser}, "password": {hostedPassword}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		wantCode(t, e.do(fresh, req), hostedCallback, "st-123")
	})
	// Someone who can plant a cookie in the browser (a sibling subdomain,
	// a plain-http answer on the same host) sets a token of their own and
	// posts the same value: the token must be one the server made.
	for name, planted := range map[string]string{
		"planted random token":                   base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{0xab}, 64)),
		"planted unsigned token":                 base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{0xab}, 32)),
		"planted token with another token's MAC": otherToken[:43] + token[43:],
	} {
		t.Run(name, func(t *testing.T) {
			victim := e.newBrowser()
			u, _ := url.Parse(e.URL)
			victim.Jar.SetCookies(u, []*http.Cookie{{Name: "XSRF-TOKEN", Value: planted, Path: "/"}})
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.URL+"/login?"+q.Encode(),
				strings.NewReader(url.Values{"_csrf": {planted}, "username": {hostedUser}, "password": {hostedPassword}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if r := e.do(victim, req); r.Status != http.StatusForbidden {
				t.Fatalf("status %d, want 403", r.Status)
			}
		})
	}
	// None of the refused attempts counted as a failed sign-in.
	u, err := e.Svc.LookupUser(t.Context(), mustPool(t, e), hostedUser)
	if err != nil || u.FailedSignIns != 0 {
		t.Errorf("failed sign-ins = %d (%v), want 0", u.FailedSignIns, err)
	}
}

// Errors are shown on the page in Cognito's words, with the username kept
// and the password not.
func TestLoginErrors(t *testing.T) {
	e := newHostedEnv(t)
	strict := e.createClient(func(in *cognito.CreateUserPoolClientInput) {
		in.PreventUserExistenceErrors = cognito.PreventUserExistenceErrorTypesEnabled
	})
	e.createUser("bob", hostedPassword, true)
	if err := e.Svc.AdminDisableUser(t.Context(), &cognito.AdminDisableUserInput{UserPoolID: e.PoolID, Username: "bob"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, client, username, password, msg string
	}{
		{"wrong password", e.ClientID, hostedUser, "Wrong-Password-1!", "Incorrect username or password."},
		{"unknown user", e.ClientID, "nobody", hostedPassword, "User does not exist."},
		{"unknown user, existence hidden", strict, "nobody", hostedPassword, "Incorrect username or password."},
		{"disabled user", e.ClientID, "bob", hostedPassword, "User is disabled."},
		{"empty password", e.ClientID, hostedUser, "", "Enter your username and password."},
		{"empty username", e.ClientID, "", hostedPassword, "Enter your username and password."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.signIn(e.authorizeQuery("client_id", tc.client), tc.username, tc.password)
			if r.Status != http.StatusOK {
				t.Fatalf("status %d, want 200 (the form again); Location %q", r.Status, r.Header.Get("Location"))
			}
			wantPageHeaders(t, r)
			wantAlert(t, r, tc.msg)
			if !strings.Contains(r.Body, `aria-describedby="form-error"`) || !strings.Contains(r.Body, `aria-invalid="true"`) {
				t.Error("the inputs do not point at the error")
			}
			if tc.username != "" && !strings.Contains(r.Body, `value="`+tc.username+`"`) {
				t.Error("the username was not kept")
			}
			if tc.password != "" && strings.Contains(r.Body, tc.password) {
				t.Error("the page repeats the password")
			}
			if setCookie(r, "cognito") != nil {
				t.Error("a failed sign-in set a session")
			}
		})
	}
	if strings.Contains(e.Logs.String(), hostedPassword) {
		t.Error("the log contains a password")
	}
}

// The hosted page locks users out as InitiateAuth does.
func TestLoginLockout(t *testing.T) {
	e := newHostedEnv(t)
	q := e.authorizeQuery()
	for i := range 5 {
		r := e.signIn(q, hostedUser, "Wrong-Password-1!")
		wantAlert(t, r, "Incorrect username or password.")
		if i == 4 {
			break
		}
	}
	// Locked out now: even the right password is refused.
	wantAlert(t, e.signIn(q, hostedUser, hostedPassword), "Password attempts exceeded")
}

// The hosted page does not depend on the client's ExplicitAuthFlows, as
// on Cognito.
func TestLoginIgnoresExplicitAuthFlows(t *testing.T) {
	e := newHostedEnv(t)
	e.ClientID = e.createClient(func(in *cognito.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = []string{"ALLOW_REFRESH_TOKEN_AUTH"}
	})
	wantCode(t, e.signIn(e.authorizeQuery(), hostedUser, hostedPassword), hostedCallback, "st-123")
}

// The POST checks the authorization request again: the query is the
// browser's to change.
func TestLoginPostRevalidates(t *testing.T) {
	e := newHostedEnv(t)
	q := e.authorizeQuery()
	token := e.csrf(q)
	form := url.Values{"_csrf": {token}, "username": {hostedUser}, "password": {hostedPassword}}
	wantErrorPage(t, e.post("/login", e.authorizeQuery("redirect_uri", "https://evil.example.com/"), form),
		http.StatusBadRequest, "The redirect_uri is not one of the app client's callback URLs.")
	wantRedirectError(t, e.post("/login", e.authorizeQuery("code_challenge_method", "plain"), form), hostedCallback, "invalid_request", "st-123")
	huge := strings.NewReader("_csrf=" + token + "&username=" + strings.Repeat("a", 70<<10))
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.URL+"/login?"+q.Encode(), huge)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	wantErrorPage(t, e.do(e.Browser, req), http.StatusBadRequest, "The form could not be read.")
}

// Cookies are Secure when the server's public URL is HTTPS.
func TestLoginSecureCookies(t *testing.T) {
	e := newHostedEnvURL(t, "https://auth.example.com")
	q := e.authorizeQuery()
	page := e.get("/login", q)
	if c := setCookie(page, "XSRF-TOKEN"); c == nil || !c.Secure {
		t.Fatalf("CSRF cookie = %+v, want Secure", c)
	}
	token := hostedFormValue(t, page.Body, "_csrf")
	// The jar keeps Secure cookies from an http test server to itself,
	// so the cookie goes by hand.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.URL+"/login?"+q.Encode(),
		strings.NewReader(url.Values{"_csrf": {token}, "username": {hostedUser}, "password": {hostedPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "XSRF-TOKEN", Value: token})
	r := e.do(e.newBrowser(), req)
	wantCode(t, r, hostedCallback, "st-123")
	if c := setCookie(r, "cognito"); c == nil || !c.Secure || !c.HttpOnly {
		t.Errorf("session cookie = %+v, want Secure and HttpOnly", c)
	}
}

// A user with a temporary password chooses a new one on the page, then
// goes on to the client.
func TestLoginNewPassword(t *testing.T) {
	e := newHostedEnv(t)
	e.createUser("carol", "Temporary-Pass-1!", false)
	q := e.authorizeQuery()
	r := e.signIn(q, "carol", "Temporary-Pass-1!")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "<h1>Change your password</h1>") {
		t.Fatalf("status %d, want the new-password form:\n%s", r.Status, r.Body)
	}
	wantPageHeaders(t, r)
	for _, want := range []string{`autocomplete="new-password"`, `<label class="label-customizable" for="new-password">New password</label>`, `<strong>carol</strong>`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the new-password form lacks %q", want)
		}
	}
	if setCookie(r, "cognito") != nil {
		t.Fatal("a session was set before the new password")
	}
	session := hostedFormValue(t, r.Body, "session")
	token := hostedFormValue(t, r.Body, "_csrf")
	post := func(form url.Values) hostedResponse {
		t.Helper()
		form.Set("_csrf", token)
		form.Set("session", session)
		form.Set("username", "carol")
		return e.post("/login", q, form)
	}

	r = post(url.Values{"new_password": {"Brand-New-Pass-2!"}, "confirm_password": {"Brand-New-Pass-3!"}})
	wantAlert(t, r, "The passwords do not match.")
	// Attributes given with the password stay in the form, labelled.
	r = post(url.Values{"new_password": {"x"}, "confirm_password": {"y"}, "userAttributes.given_name": {"Carol"}})
	for _, want := range []string{
		`<label class="label-customizable" for="attr-given_name">Given name</label>`,
		`name="userAttributes.given_name" type="text" autocomplete="given-name" required value="Carol" autofocus`,
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the new-password form lacks %q:\n%s", want, r.Body)
		}
	}
	r = post(url.Values{"new_password": {"short"}, "confirm_password": {"short"}})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "Password did not conform with policy: Password not long enough") {
		t.Errorf("a weak password: status %d:\n%s", r.Status, r.Body)
	}
	if hostedFormValue(t, r.Body, "session") != session {
		t.Error("the form lost the session after a refused password")
	}
	// Without the CSRF token nothing happens.
	bad := e.post("/login", q, url.Values{"session": {session}, "new_password": {"Brand-New-Pass-2!"}, "confirm_password": {"Brand-New-Pass-2!"}})
	if bad.Status != http.StatusForbidden {
		t.Errorf("new password without CSRF token: status %d", bad.Status)
	}
	// A session the server did not seal sends the user back to sign in.
	r = e.post("/login", q, url.Values{"_csrf": {token}, "session": {"forged"}, "username": {"carol"}, "new_password": {"Brand-New-Pass-2!"}, "confirm_password": {"Brand-New-Pass-2!"}})
	wantAlert(t, r, "Invalid session for the user.")
	if !strings.Contains(r.Body, "<h1>Sign in</h1>") {
		t.Error("a bad session did not lead back to the sign-in form")
	}

	r = post(url.Values{"new_password": {"Brand-New-Pass-2!"}, "confirm_password": {"Brand-New-Pass-2!"}, "userAttributes.given_name": {"Carol"}})
	code := wantCode(t, r, hostedCallback, "st-123")
	if setCookie(r, "cognito") == nil {
		t.Error("no session after the new password")
	}
	if _, err := e.exchange(code, hostedCallback, hostedVerifier); err != nil {
		t.Errorf("exchange: %v", err)
	}
	u, err := e.Svc.LookupUser(t.Context(), mustPool(t, e), "carol")
	if err != nil {
		t.Fatal(err)
	}
	if u.Status != cognito.UserStatusConfirmed || !hasAttr(u.Attributes, "given_name", "Carol") {
		t.Errorf("after the new password: status %s, attributes %v", u.Status, u.Attributes)
	}
	// The session is used up with the temporary password.
	r = post(url.Values{"new_password": {"Another-Pass-4!"}, "confirm_password": {"Another-Pass-4!"}})
	wantAlert(t, r, "Invalid session for the user.")
	// The new password signs in.
	wantCode(t, e.newSignIn(q, "carol", "Brand-New-Pass-2!"), hostedCallback, "st-123")
}

// The hosted new-password session is the page's own: the JSON API's
// RespondToAuthChallenge cannot redeem it.
func TestHostedSessionNotForAPI(t *testing.T) {
	e := newHostedEnv(t)
	e.createUser("dave", "Temporary-Pass-1!", false)
	r := e.signIn(e.authorizeQuery(), "dave", "Temporary-Pass-1!")
	session := hostedFormValue(t, r.Body, "session")
	_, err := e.Engine.RespondToAuthChallenge(t.Context(), authChallenge(e.ClientID, session))
	if err == nil || !strings.Contains(err.Error(), "Invalid session for the user.") {
		t.Errorf("RespondToAuthChallenge with a hosted session: %v", err)
	}
}
