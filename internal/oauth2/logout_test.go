package oauth2_test

import (
	"net/http"
	"net/url"
	"testing"
)

func TestLogoutErrors(t *testing.T) {
	e := newHostedEnv(t)
	wantCode(t, e.signIn(e.authorizeQuery(), hostedUser, hostedPassword), hostedCallback, "st-123")
	for _, tc := range []struct {
		name   string
		q      url.Values
		code   string
		detail string
	}{
		{"no client_id", url.Values{"logout_uri": {hostedSignedOut}}, "invalid_request", "The client_id parameter is missing."},
		{"unknown client", url.Values{"client_id": {"1example23456789abcdefghij"}, "logout_uri": {hostedSignedOut}}, "invalid_client", "User pool client 1example23456789abcdefghij does not exist."},
		{"unregistered logout_uri", url.Values{"client_id": {e.ClientID}, "logout_uri": {"https://evil.example.com/"}}, "redirect_mismatch", "The logout_uri is not one of the app client's sign-out URLs."},
		{"callback as logout_uri", url.Values{"client_id": {e.ClientID}, "logout_uri": {hostedCallback}}, "redirect_mismatch", "The logout_uri is not one of the app client's sign-out URLs."},
		{"neither", url.Values{"client_id": {e.ClientID}}, "invalid_request", "Sign-out needs a logout_uri, or a redirect_uri and a response_type to sign in again."},
		{"redirect_uri without response_type", url.Values{"client_id": {e.ClientID}, "redirect_uri": {hostedCallback}}, "invalid_request", "Sign-out needs a logout_uri, or a redirect_uri and a response_type to sign in again."},
		{"unregistered redirect_uri", url.Values{"client_id": {e.ClientID}, "redirect_uri": {"https://evil.example.com/"}, "response_type": {"code"}}, "redirect_mismatch", "The redirect_uri is not one of the app client's callback URLs."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.get("/logout", tc.q)
			wantErrorPage(t, r, http.StatusBadRequest, tc.detail)
			if setCookie(r, "cognito") != nil {
				t.Error("a refused sign-out touched the session")
			}
		})
	}
	// None of them ended the session.
	wantCode(t, e.get("/oauth2/authorize", e.authorizeQuery()), hostedCallback, "st-123")
}

// logout_uri: the session ends and the browser goes to the sign-out URL.
func TestLogoutToLogoutURI(t *testing.T) {
	e := newHostedEnv(t)
	q := e.authorizeQuery()
	wantCode(t, e.signIn(q, hostedUser, hostedPassword), hostedCallback, "st-123")
	r := e.get("/logout", url.Values{"client_id": {e.ClientID}, "logout_uri": {hostedSignedOut}})
	if r.Status != http.StatusFound || r.Header.Get("Location") != hostedSignedOut {
		t.Fatalf("status %d, Location %q, want 302 to %s", r.Status, r.Header.Get("Location"), hostedSignedOut)
	}
	wantPageHeaders(t, r)
	if c := setCookie(r, "cognito"); c == nil || c.MaxAge >= 0 || c.Value != "" {
		t.Errorf("session cookie = %+v, want it cleared", c)
	}
	wantLoginRedirect(t, e.get("/oauth2/authorize", q))
}

// redirect_uri and response_type: the session ends and the login page
// starts a new authorization with those parameters.
func TestLogoutToLogin(t *testing.T) {
	e := newHostedEnv(t)
	q := e.authorizeQuery()
	wantCode(t, e.signIn(q, hostedUser, hostedPassword), hostedCallback, "st-123")
	lq := url.Values{"client_id": {e.ClientID}, "redirect_uri": {hostedCallback}, "response_type": {"code"}, "state": {"again"}, "scope": {"openid"}}
	r := e.get("/logout", lq)
	loc := r.Location(t)
	if r.Status != http.StatusFound || loc.Path != "/login" || loc.Query().Encode() != lq.Encode() {
		t.Fatalf("status %d, Location %s, want 302 to /login?%s", r.Status, loc, lq.Encode())
	}
	if c := setCookie(r, "cognito"); c == nil || c.MaxAge >= 0 {
		t.Errorf("session cookie = %+v, want it cleared", c)
	}
	page := e.get(loc.Path, loc.Query())
	if page.Status != http.StatusOK {
		t.Fatalf("the login page after sign-out: %d", page.Status)
	}
	wantLoginRedirect(t, e.get("/oauth2/authorize", q))
}
