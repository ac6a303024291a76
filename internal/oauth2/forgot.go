package oauth2

import (
	"context"
	"net/http"
	"strings"

	"github.com/userpool/userpool/internal/cognito"
)

// The hosted password reset: /forgotPassword sends a code (ForgotPassword)
// and /confirmForgotPassword sets the new password with it
// (ConfirmForgotPassword), the actions the JSON API runs. The user then
// signs in with the new password, which leads back to the app.

// forgotPageData is the content of the form that asks for a code.
type forgotPageData struct {
	userForm
	// UsernameWord is the username's name in the lead sentence.
	UsernameWord string
}

func (*forgotPageData) view() formView {
	return formView{path: pathForgotPassword, template: "forgot.html", title: "Forgot your password?"}
}

func (p *forgotPageData) prepare(*Handler, http.ResponseWriter, *http.Request, *authzRequest) bool {
	p.UsernameWord = strings.ToLower(p.UsernameLabel)
	return true
}

// resetPageData is the content of the form that sets the new password.
type resetPageData struct {
	userForm
}

func (*resetPageData) view() formView {
	return formView{path: pathConfirmForgotPassword, template: "reset.html", title: "Reset your password", queryUsername: true}
}

// PasswordInvalid and PasswordAutofocus place the new-password fields'
// error and focus (templates/fields.html): on the reset form both belong
// to the code above them.
func (*resetPageData) PasswordInvalid() bool   { return false }
func (*resetPageData) PasswordAutofocus() bool { return false }

// ForgotPasswordPage serves GET /forgotPassword.
func (h *Handler) ForgotPasswordPage(w http.ResponseWriter, r *http.Request) {
	serveForm[forgotPageData](h, w, r)
}

// ForgotPassword serves POST /forgotPassword: ForgotPassword for the
// username, then the form for the code it sent.
func (h *Handler) ForgotPassword(w http.ResponseWriter, r *http.Request) {
	f, ok := startForm[forgotPageData](h, w, r)
	if !ok {
		return
	}
	in := &cognito.ForgotPasswordInput{ClientID: f.req.Client.Config.ClientID, SecretHash: f.secretHash(), Username: f.username}
	if _, ok := act(h, w, r, f.req, f.show, in, h.cfg.Users.ForgotPassword); !ok {
		return
	}
	redirectSeeOther(w, r, hostedURL(pathConfirmForgotPassword, r.URL.Query(), "username", f.username))
}

// ConfirmForgotPasswordPage serves GET /confirmForgotPassword, for the
// username in the query.
func (h *Handler) ConfirmForgotPasswordPage(w http.ResponseWriter, r *http.Request) {
	serveForm[resetPageData](h, w, r)
}

// ConfirmForgotPassword serves POST /confirmForgotPassword: the new
// password, typed twice, with the code. Then the sign-in form, with the
// username filled in.
func (h *Handler) ConfirmForgotPassword(w http.ResponseWriter, r *http.Request) {
	f, ok := startForm[resetPageData](h, w, r)
	if !ok {
		return
	}
	in := &cognito.ConfirmForgotPasswordInput{
		ClientID: f.req.Client.Config.ClientID, SecretHash: f.secretHash(), Username: f.username,
		ConfirmationCode: r.PostFormValue("code"), Password: r.PostFormValue("new_password"),
	}
	confirm := r.PostFormValue("confirm_password")
	if _, ok := act(h, w, r, f.req, f.show, in, func(ctx context.Context, in *cognito.ConfirmForgotPasswordInput) (struct{}, error) {
		// Typed twice, so a typo does not lock the user out.
		if in.Password != confirm {
			return struct{}{}, cognito.InvalidParameter(msgPasswordsDiffer)
		}
		return struct{}{}, h.cfg.Users.ConfirmForgotPassword(ctx, in)
	}); !ok {
		return
	}
	h.loginPage(w, r, f.req, http.StatusOK, loginPageData{Username: f.username, Notice: msgPasswordReset})
}
