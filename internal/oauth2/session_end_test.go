package oauth2_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/cognito"
)

// sessionCookieOf returns the browser's hosted session cookie, to replay.
func (e *hostedEnv) sessionCookieOf(c *http.Client) *http.Cookie {
	e.t.Helper()
	u, _ := url.Parse(e.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "cognito" {
			return ck
		}
	}
	e.t.Fatal("the browser has no hosted session")
	return nil
}

// replay sends a copy of a session cookie from another browser.
func (e *hostedEnv) replay(ck *http.Cookie, q url.Values) hostedResponse {
	e.t.Helper()
	b := e.newBrowser()
	u, _ := url.Parse(e.URL)
	b.Jar.SetCookies(u, []*http.Cookie{{Name: ck.Name, Value: ck.Value}})
	return e.getWith(b, "/oauth2/authorize", q)
}

// A hosted session ends with what signs the user out everywhere or
// changes their password after it began; until then it holds.
func TestHostedSessionEndsWithSignOutAndPasswordChange(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func(e *hostedEnv) error
		// password is the user's password after end.
		password string
	}{
		{"global sign-out", func(e *hostedEnv) error {
			return e.Engine.AdminUserGlobalSignOut(t.Context(), e.PoolID, hostedUser)
		}, hostedPassword},
		{"administrator's new password", func(e *hostedEnv) error {
			yes := true
			return e.Svc.AdminSetUserPassword(t.Context(), &cognito.AdminSetUserPasswordInput{
				UserPoolID: e.PoolID, Username: hostedUser, Password: "Another-Horse-7!", Permanent: &yes,
			})
		}, "Another-Horse-7!"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newHostedEnv(t)
			q := e.authorizeQuery()
			wantCode(t, e.signIn(q, hostedUser, hostedPassword), hostedCallback, "st-123")
			e.Clock.Advance(time.Second)
			wantCode(t, e.get("/oauth2/authorize", q), hostedCallback, "st-123")
			if err := tc.end(e); err != nil {
				t.Fatal(err)
			}
			wantLoginRedirect(t, e.get("/oauth2/authorize", q))
			// A new sign-in starts a session that holds.
			e.Clock.Advance(time.Second)
			wantCode(t, e.signIn(q, hostedUser, tc.password), hostedCallback, "st-123")
			wantCode(t, e.get("/oauth2/authorize", q), hostedCallback, "st-123")
		})
	}
}

// /logout ends the session on the server: a copy of its cookie kept from
// before is refused afterwards, in any browser.
func TestLogoutEndsReplayedSession(t *testing.T) {
	e := newHostedEnv(t)
	q := e.authorizeQuery()
	wantCode(t, e.signIn(q, hostedUser, hostedPassword), hostedCallback, "st-123")
	kept := e.sessionCookieOf(e.Browser)
	e.Clock.Advance(time.Second)
	wantCode(t, e.replay(kept, q), hostedCallback, "st-123")
	r := e.get("/logout", url.Values{"client_id": {e.ClientID}, "logout_uri": {hostedSignedOut}})
	if r.Status != http.StatusFound {
		t.Fatalf("logout: status %d", r.Status)
	}
	wantLoginRedirect(t, e.replay(kept, q))
}
