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
	usernameFields
	// UsernameWord is the username's name in the lead sentence.
	UsernameWord string
	Action       string
	CSRF         string
	LoginURL     string
	Error        string
}

// resetPageData is the content of the form that sets the new password.
type resetPageData struct {
	usernameFields
	Action   string
	CSRF     string
	LoginURL string
	Error    string
}

// PasswordInvalid and PasswordAutofocus place the new-password fields'
// error and focus (templates/fields.html): on the reset form both belong
// to the code above them.
func (resetPageData) PasswordInvalid() bool   { return false }
func (resetPageData) PasswordAutofocus() bool { return false }

// ForgotPasswordPage serves GET /forgotPassword.
func (h *Handler) ForgotPasswordPage(w http.ResponseWriter, r *http.Request) {
	req, pool, ok := h.startPage(w, r)
	if !ok {
		return
	}
	h.forgotForm(w, r, req, http.StatusOK, forgotPageData{usernameFields: newUsernameFields(pool, "")})
}

// ForgotPassword serves POST /forgotPassword: ForgotPassword for the
// username, then the form for the code it sent.
func (h *Handler) ForgotPassword(w http.ResponseWriter, r *http.Request) {
	req, pool, ok := h.startPage(w, r)
	if !ok {
		return
	}
	username := r.PostFormValue("username")
	page := forgotPageData{usernameFields: newUsernameFields(pool, username)}
	show := func(status int, msg string) { page.Error = msg; h.forgotForm(w, r, req, status, page) }
	in := &cognito.ForgotPasswordInput{ClientID: req.Client.Config.ClientID, SecretHash: secretHash(req.Client, username), Username: username}
	if _, ok := act(h, w, r, req, show, in, h.cfg.Users.ForgotPassword); !ok {
		return
	}
	redirectSeeOther(w, r, hostedURL(pathConfirmForgotPassword, r.URL.Query(), "username", username))
}

// ConfirmForgotPasswordPage serves GET /confirmForgotPassword, for the
// username in the query.
func (h *Handler) ConfirmForgotPasswordPage(w http.ResponseWriter, r *http.Request) {
	req, pool, ok := h.startPage(w, r)
	if !ok {
		return
	}
	h.resetForm(w, r, req, http.StatusOK, resetPageData{usernameFields: newUsernameFields(pool, r.URL.Query().Get("username"))})
}

// ConfirmForgotPassword serves POST /confirmForgotPassword: the new
// password, typed twice, with the code. Then the sign-in form, with the
// username filled in.
func (h *Handler) ConfirmForgotPassword(w http.ResponseWriter, r *http.Request) {
	req, pool, ok := h.startPage(w, r)
	if !ok {
		return
	}
	username := r.PostFormValue("username")
	page := resetPageData{usernameFields: newUsernameFields(pool, username)}
	show := func(status int, msg string) { page.Error = msg; h.resetForm(w, r, req, status, page) }
	in := &cognito.ConfirmForgotPasswordInput{
		ClientID: req.Client.Config.ClientID, SecretHash: secretHash(req.Client, username), Username: username,
		ConfirmationCode: r.PostFormValue("code"), Password: r.PostFormValue("new_password"),
	}
	confirm := r.PostFormValue("confirm_password")
	if _, ok := act(h, w, r, req, show, in, func(ctx context.Context, in *cognito.ConfirmForgotPasswordInput) (struct{}, error) {
		// Typed twice, so a typo does not lock the user out.
		if in.Password != confirm {
			return struct{}{}, cognito.InvalidParameter(msgPasswordsDiffer)
		}
		return struct{}{}, h.cfg.Users.ConfirmForgotPassword(ctx, in)
	}); !ok {
		return
	}
	h.loginPage(w, r, req, http.StatusOK, loginPageData{Username: username, Notice: msgPasswordReset})
}

// forgotForm renders the form that asks for a code.
func (h *Handler) forgotForm(w http.ResponseWriter, r *http.Request, req *authzRequest, status int, page forgotPageData) {
	page.UsernameWord = strings.ToLower(page.UsernameLabel)
	page.Action = hostedURL(pathForgotPassword, r.URL.Query())
	page.CSRF = h.csrfToken(w, r)
	page.LoginURL = hostedURL(pathLogin, r.URL.Query())
	h.render(w, r, status, "forgot.html", "Forgot your password?", page)
}

// resetForm renders the form that sets the new password.
func (h *Handler) resetForm(w http.ResponseWriter, r *http.Request, req *authzRequest, status int, page resetPageData) {
	page.Action = hostedURL(pathConfirmForgotPassword, r.URL.Query())
	page.CSRF = h.csrfToken(w, r)
	page.LoginURL = hostedURL(pathLogin, r.URL.Query())
	h.render(w, r, status, "reset.html", "Reset your password", page)
}
