package oauth2

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/userpool"
)

// The hosted sign-up (/signup) and confirmation (/confirmUser) pages.
// They call the same SignUp, ConfirmSignUp and ResendConfirmationCode as
// the JSON API, so the rules, codes, senders and messages are one.

// The sign-up ticket lets the browser that signed up be signed in once it
// confirms the code, as Cognito's hosted UI does, without asking for the
// password again: the pool, the user and the username typed, sealed in a
// cookie for as long as a hosted session lasts. Confirming another
// username, or in another browser, leads to the sign-in form instead.
const signUpCookie = "cognito-signup"

var signUpAD = []byte("userpool hosted sign-up v1")

type signUpTicket struct {
	Pool     string `json:"p"`
	Sub      string `json:"s"`
	Username string `json:"u"`
	Expires  int64  `json:"e"` // unix seconds
}

// signUpPageData is the sign-up form's content.
type signUpPageData struct {
	userForm
	ClientName string
	Attributes []attributeField
	// Terms are the client's terms of use and privacy policy, which the
	// user must accept to sign up.
	Terms []termsLink
}

func (*signUpPageData) view() formView {
	return formView{path: pathSignUp, template: "signup.html", title: "Sign up"}
}

func (p *signUpPageData) prepare(h *Handler, w http.ResponseWriter, r *http.Request, req *authzRequest) bool {
	p.ClientName = req.Client.Config.ClientName
	terms, ok := h.clientTerms(w, r, req)
	p.Terms = terms
	return ok
}

// termsLink is one of a client's terms on the sign-up form.
type termsLink struct {
	Label string
	URL   string
}

// termsLabels name the terms on the form.
var termsLabels = map[string]string{"terms-of-use": "Terms of use", "privacy-policy": "Privacy policy"}

// msgAcceptTerms is the sign-up form's error when the terms were not
// accepted. Cognito's wording is not published.
const msgAcceptTerms = "You must accept the terms to sign up."

// clientTerms are the links of the client's terms, each in its default
// locale. When they cannot be read it answers with the error page and
// reports false.
func (h *Handler) clientTerms(w http.ResponseWriter, r *http.Request, req *authzRequest) ([]termsLink, bool) {
	terms, err := h.cfg.Users.ClientTerms(r.Context(), req.Client.PoolID, req.Client.Config.ClientID)
	if err != nil {
		h.cfg.Logger.ErrorContext(r.Context(), "sign-up terms", "err", err)
		h.errorPage(w, r, http.StatusInternalServerError, "server_error", msgServerError)
		return nil, false
	}
	var out []termsLink
	for _, t := range terms {
		out = append(out, termsLink{Label: termsLabels[t.TermsName], URL: t.Links["cognito:default"]})
	}
	return out, true
}

// confirmPageData is the confirmation form's content.
type confirmPageData struct {
	userForm
	Notice string
}

func (*confirmPageData) view() formView {
	return formView{path: pathConfirmUser, template: "confirm.html", title: "Confirm your account", queryUsername: true}
}

// SignUpPage serves GET /signup: the sign-up form, for a pool that lets
// users sign themselves up.
func (h *Handler) SignUpPage(w http.ResponseWriter, r *http.Request) {
	f, ok := startForm[signUpPageData](h, w, r)
	if !ok {
		return
	}
	if !userpool.SelfSignUp(f.pool) {
		h.errorPage(w, r, http.StatusForbidden, "unauthorized_client", userpool.MsgSignUpNotPermitted)
		return
	}
	for _, name := range userpool.SignUpAttributes(f.pool) {
		f.page.Attributes = append(f.page.Attributes, newAttributeField(name, ""))
	}
	f.render(http.StatusOK)
}

// SignUp serves POST /signup: SignUp with the form's username, password
// and the pool's required attributes. A code sent leads to /confirmUser.
func (h *Handler) SignUp(w http.ResponseWriter, r *http.Request) {
	f, ok := startForm[signUpPageData](h, w, r)
	if !ok {
		return
	}
	var attrs []cognito.AttributeType
	for _, name := range userpool.SignUpAttributes(f.pool) {
		v := r.PostFormValue("userAttributes." + name)
		f.page.Attributes = append(f.page.Attributes, newAttributeField(name, v))
		if v != "" {
			attrs = append(attrs, cognito.AttributeType{Name: name, Value: v})
		}
	}
	terms, ok := h.clientTerms(w, r, f.req)
	if !ok {
		return
	}
	if len(terms) > 0 && r.PostFormValue("acceptTerms") == "" {
		f.show(http.StatusBadRequest, msgAcceptTerms)
		return
	}
	in := &cognito.SignUpInput{
		ClientID:       f.req.Client.Config.ClientID,
		SecretHash:     f.secretHash(),
		Username:       f.username,
		Password:       r.PostFormValue("password"),
		UserAttributes: attrs,
	}
	out, ok := act(h, w, r, f.req, f.show, in, h.cfg.Users.SignUp)
	if !ok {
		return
	}
	h.setSealedCookie(w, signUpCookie, signUpAD, signUpTicket{
		Pool: f.pool.ID, Sub: out.UserSub, Username: f.username, Expires: h.cfg.Now().Add(sessionTTL).Unix(),
	}, sessionTTL)
	if out.CodeDeliveryDetails == nil {
		h.loginPage(w, r, f.req, http.StatusOK, loginPageData{Username: f.username, Notice: msgSignedUpNoCode})
		return
	}
	redirectSeeOther(w, r, hostedURL(pathConfirmUser, r.URL.Query(), "username", f.username))
}

// ConfirmUserPage serves GET /confirmUser: the form for the code sent at
// sign-up, for the username in the query.
func (h *Handler) ConfirmUserPage(w http.ResponseWriter, r *http.Request) {
	serveForm[confirmPageData](h, w, r)
}

// ConfirmUser serves POST /confirmUser: ConfirmSignUp with the code, or
// ResendConfirmationCode for the "Resend code" button. Once confirmed,
// the browser that signed up is signed in (and back at the app with a
// code); another goes to the sign-in form.
func (h *Handler) ConfirmUser(w http.ResponseWriter, r *http.Request) {
	f, ok := startForm[confirmPageData](h, w, r)
	if !ok {
		return
	}
	req, pool, username := f.req, f.pool, f.username
	clientID := req.Client.Config.ClientID
	if r.PostForm.Has("resend") {
		in := &cognito.ResendConfirmationCodeInput{ClientID: clientID, SecretHash: f.secretHash(), Username: username}
		if out, ok := act(h, w, r, req, f.show, in, h.cfg.Users.ResendConfirmationCode); ok {
			f.page.Notice = codeSentNotice(out.CodeDeliveryDetails)
			f.render(http.StatusOK)
		}
		return
	}
	in := &cognito.ConfirmSignUpInput{
		ClientID: clientID, SecretHash: f.secretHash(), Username: username, ConfirmationCode: r.PostFormValue("code"),
	}
	if _, ok := act(h, w, r, req, f.show, in, h.cfg.Users.ConfirmSignUp); !ok {
		return
	}
	var t signUpTicket
	if !h.openSealedCookie(r, signUpCookie, signUpAD, &t) || t.Pool != pool.ID || t.Username != username ||
		!h.cfg.Now().Before(time.Unix(t.Expires, 0)) {
		h.loginPage(w, r, req, http.StatusOK, loginPageData{Username: username, Notice: msgConfirmed})
		return
	}
	h.clearCookie(w, signUpCookie)
	res, err := h.cfg.Auth.HostedSignedUp(r.Context(), clientID, t.Sub)
	if err != nil {
		if msg, ok := userError(err); ok {
			h.loginForm(w, r, req, http.StatusOK, username, msg)
			return
		}
		h.grantError(w, r, req, err)
		return
	}
	if res.MFA != nil {
		h.mfaForm(w, r, req, http.StatusOK, newMFAPage(res.MFA, username))
		return
	}
	h.signedIn(w, r, req, res)
}

// validatable is an action's input, checked as the JSON API checks it.
type validatable interface{ Validate() error }

// act runs, for a hosted form, an action of the JSON API: once the form's
// CSRF token is checked, its input validated as the JSON API validates it
// (the same messages for an empty or malformed field), then the action
// itself. A failure the user can act on is shown on the form again with
// show, in Cognito's words; a server failure is answered as a sign-in's
// is. It reports whether the action succeeded.
func act[In validatable, Out any](h *Handler, w http.ResponseWriter, r *http.Request, req *authzRequest,
	show func(status int, msg string), in In, run func(context.Context, In) (Out, error)) (Out, bool) {
	var out Out
	if !h.checkCSRF(r) {
		show(http.StatusForbidden, msgCSRF)
		return out, false
	}
	err := in.Validate()
	if err == nil {
		out, err = run(r.Context(), in)
	}
	if err == nil {
		return out, true
	}
	if msg, ok := userError(err); ok {
		show(http.StatusOK, msg)
	} else {
		h.grantError(w, r, req, err)
	}
	return out, false
}

// codeSentNotice says where a code went.
func codeSentNotice(d *cognito.CodeDeliveryDetailsType) string {
	if d == nil {
		return ""
	}
	medium := "email"
	if d.DeliveryMedium == cognito.DeliveryMediumSms {
		medium = "text message"
	}
	return fmt.Sprintf(msgCodeResent, medium, d.Destination)
}
