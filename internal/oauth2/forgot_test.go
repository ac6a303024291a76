package oauth2_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
)

// The hosted password reset: the link from /login, the code e-mailed to
// the verified address, the checks of the new password's form, and the
// sign-in with the new password that ends at the app.
func TestHostedForgotPasswordJourney(t *testing.T) {
	e := newSelfServiceEnv(t, nil)
	e.createUser("frank", hostedPassword, true,
		cognito.AttributeType{Name: "email", Value: "frank@example.com"}, cognito.AttributeType{Name: "email_verified", Value: "true"})
	q := e.authorizeQuery()

	login, _ := e.page("/login", q)
	wantBody(t, "login", login, `<a class="redirect-customizable" href="/forgotPassword?`)
	_, token := e.page("/forgotPassword", q)

	unknown := e.post("/forgotPassword", q, url.Values{"_csrf": {token}, "username": {"nobody"}})
	wantBody(t, "unknown user", unknown, "User does not exist.")

	rq := wantRedirect(t, e.post("/forgotPassword", q, url.Values{"_csrf": {token}, "username": {"frank"}}), "/confirmForgotPassword")
	if rq.Get("username") != "frank" || rq.Get("redirect_uri") != hostedCallback {
		t.Fatalf("confirmForgotPassword query %v", rq)
	}
	form, token := e.page("/confirmForgotPassword", rq)
	wantBody(t, "reset form", form, `<label class="label-customizable" for="code">Code</label>`, `<label class="label-customizable" for="new-password">New password</label>`, `value="frank"`)
	code := e.lastCode("frank@example.com")
	const newPassword = "Battery-Staple-7?"

	fields := url.Values{"_csrf": {token}, "username": {"frank"}, "code": {code}, "new_password": {newPassword}, "confirm_password": {"other"}}
	wantBody(t, "passwords differ", e.post("/confirmForgotPassword", rq, fields), "The passwords do not match.")
	fields.Set("confirm_password", newPassword)
	fields.Set("code", "000000")
	wantBody(t, "wrong code", e.post("/confirmForgotPassword", rq, fields), "Invalid verification code provided, please try again.")
	fields.Set("code", code)
	done := e.post("/confirmForgotPassword", rq, fields)
	if done.Status != http.StatusOK {
		t.Fatalf("reset: %d", done.Status)
	}
	wantBody(t, "reset", done, "Your password has been reset. Sign in with your new password.", `value="frank"`)

	wantBody(t, "old password", e.signIn(q, "frank", hostedPassword), "Incorrect username or password.")
	c := wantCode(t, e.signIn(q, "frank", newPassword), hostedCallback, "st-123")
	if _, err := e.exchange(c, hostedCallback, hostedVerifier); err != nil {
		t.Fatal(err)
	}
}
