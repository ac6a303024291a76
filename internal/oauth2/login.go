package oauth2

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/userpool"
)

// maxFormBytes bounds a hosted form POST: a few short fields and a sealed
// session.
const maxFormBytes = 64 << 10

// The hosted pages' own words, for what the page checks before the engine
// sees anything. The engine's errors are shown as Cognito words them
// ("Incorrect username or password.").
const (
	msgCSRF            = "This form has expired or was not sent from this page. Please try again."
	msgCredentialsGone = "Enter your username and password."
	msgNewPasswordGone = "Enter a new password."
	msgPasswordsDiffer = "The passwords do not match."
	msgFormUnreadable  = "The form could not be read."
	msgCodeGone        = "Enter the code."
	msgChoiceGone      = "Choose a way to verify."
	msgEmailGone       = "Enter your email address."
)

// loginPageData is the login form's content.
type loginPageData struct {
	ClientName    string
	Action        string
	CSRF          string
	Username      string
	UsernameLabel string
	UsernameType  string
	Error         string
	// Notice says what just happened (a password was reset).
	Notice string
	// ForgotURL and SignUpURL lead to the other hosted pages with the
	// same authorization request; SignUpURL is empty when the pool does
	// not let users sign themselves up.
	ForgotURL string
	SignUpURL string
	// Local says the client supports COGNITO, the pool's own users: only
	// then is there a username and password form.
	Local bool
	// Providers are the buttons of the identity providers the client
	// supports, each leading to /oauth2/authorize with identity_provider.
	Providers []providerButton
}

// providerButton is a login page button for an identity provider.
type providerButton struct {
	Name string
	URL  string
}

// newPasswordPageData is the content of the form a user with a temporary
// password chooses a new one in.
type newPasswordPageData struct {
	Action     string
	CSRF       string
	Session    string
	Username   string
	Attributes []attributeField
	Error      string
}

// mfaPageData is the content of the form of an MFA step: a code for
// SOFTWARE_TOKEN_MFA, SMS_MFA and EMAIL_OTP, a choice of factor for
// SELECT_MFA_TYPE and for the choice of what to set up
// (auth.HostedSetupChoice), an e-mail address for e-mail codes' set-up
// (auth.HostedSetupEmail), and for MFA_SETUP the new authenticator's key
// and a code from it. What the form carries besides the session (destination,
// key, options) is only shown again: the engine decides from the session.
type mfaPageData struct {
	Action      string
	CSRF        string
	Session     string
	Challenge   string
	Username    string
	Destination string
	SecretCode  string
	Options     []mfaOption
	// EmailInput asks for an e-mail address instead of a code.
	EmailInput bool
	Heading    string
	Lead       string
	CodeLabel  string
	Button     string
	Error      string
}

// mfaOption is a factor SELECT_MFA_TYPE offers.
type mfaOption struct{ Value, Label string }

// mfaFactorLabels names the factors on the choice page.
var mfaFactorLabels = map[string]string{
	cognito.ChallengeNameTypeSmsMfa:           "Text message (SMS)",
	cognito.ChallengeNameTypeSoftwareTokenMfa: "Authenticator app",
	cognito.ChallengeNameTypeEmailOtp:         "Email",
}

// attributeField is an input for a required attribute the user has no
// value for yet.
type attributeField struct {
	Name, Label, Type, Autocomplete, Value string
}

// LoginPage serves GET /login: the sign-in form, for the authorization
// request in the query, which the form posts back with the credentials.
func (h *Handler) LoginPage(w http.ResponseWriter, r *http.Request) {
	req, ok := h.authorizeRequest(w, r)
	if !ok {
		return
	}
	if req.Provider != "" && req.Provider != identityCognito {
		h.federate(w, r, req)
		return
	}
	h.loginForm(w, r, req, http.StatusOK, "", "")
}

// Login serves POST /login: the sign-in form, or the new-password form
// that follows a sign-in with a temporary password. The authorization
// request is checked again, since the query is the browser's to change.
// A refused sign-in shows the form again with its error and status 200,
// as Cognito's pages do: the page is the answer. Only a CSRF refusal,
// where nothing was tried, is a 403.
func (h *Handler) Login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		h.errorPage(w, r, http.StatusBadRequest, "invalid_request", msgFormUnreadable)
		return
	}
	req, ok := h.authorizeRequest(w, r)
	if !ok {
		return
	}
	if !slices.Contains(req.Client.Config.SupportedIdentityProviders, identityCognito) {
		h.redirectError(w, r, req, "unauthorized_client", msgNoCognitoProvider)
		return
	}
	if !h.checkCSRF(r) {
		// Nothing was tried; a fresh form (with a fresh token if the
		// cookie was missing) lets the user try again.
		h.loginForm(w, r, req, http.StatusForbidden, "", msgCSRF)
		return
	}
	if r.PostForm.Has("mfa_session") {
		h.mfa(w, r, req)
		return
	}
	if r.PostForm.Has("session") {
		h.newPassword(w, r, req)
		return
	}
	username, password := r.PostFormValue("username"), r.PostFormValue("password")
	if username == "" || password == "" {
		h.loginForm(w, r, req, http.StatusOK, username, msgCredentialsGone)
		return
	}
	res, err := h.cfg.Auth.HostedSignIn(r.Context(), req.Client.Config.ClientID, username, password)
	if err != nil {
		if msg, ok := userError(err); ok {
			h.loginForm(w, r, req, http.StatusOK, username, msg)
			return
		}
		h.grantError(w, r, req, err)
		return
	}
	if res.NewPassword != nil {
		attrs := make([]attributeField, 0, len(res.NewPassword.RequiredAttributes))
		for _, name := range res.NewPassword.RequiredAttributes {
			attrs = append(attrs, newAttributeField(name, ""))
		}
		h.newPasswordForm(w, r, req, http.StatusOK, newPasswordPageData{
			Session: res.NewPassword.Session, Username: username, Attributes: attrs,
		})
		return
	}
	if res.MFA != nil {
		h.mfaForm(w, r, req, http.StatusOK, newMFAPage(res.MFA, username))
		return
	}
	h.signedIn(w, r, req, res)
}

// newPassword handles the new-password form.
func (h *Handler) newPassword(w http.ResponseWriter, r *http.Request, req *authzRequest) {
	page := newPasswordPageData{Session: r.PostFormValue("session"), Username: r.PostFormValue("username")}
	var attrs []cognito.AttributeType
	for key := range r.PostForm {
		if name, ok := strings.CutPrefix(key, "userAttributes."); ok && name != "" {
			v := r.PostFormValue(key)
			attrs = append(attrs, cognito.AttributeType{Name: name, Value: v})
			page.Attributes = append(page.Attributes, newAttributeField(name, v))
		}
	}
	slices.SortFunc(attrs, func(a, b cognito.AttributeType) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(page.Attributes, func(a, b attributeField) int { return strings.Compare(a.Name, b.Name) })
	np := r.PostFormValue("new_password")
	switch {
	case np == "":
		page.Error = msgNewPasswordGone
	case np != r.PostFormValue("confirm_password"):
		page.Error = msgPasswordsDiffer
	}
	if page.Error != "" {
		h.newPasswordForm(w, r, req, http.StatusOK, page)
		return
	}
	res, err := h.cfg.Auth.HostedNewPassword(r.Context(), req.Client.Config.ClientID, page.Session, np, attrs)
	if err != nil {
		msg, ok := userError(err)
		switch {
		case !ok:
			h.grantError(w, r, req, err)
		case errors.Is(err, cognito.NotAuthorized("")):
			// The session expired, was tampered with, or the user was
			// disabled meanwhile: only signing in again can help.
			h.loginForm(w, r, req, http.StatusOK, page.Username, msg)
		default:
			page.Error = msg
			h.newPasswordForm(w, r, req, http.StatusOK, page)
		}
		return
	}
	if res.MFA != nil {
		h.mfaForm(w, r, req, http.StatusOK, newMFAPage(res.MFA, page.Username))
		return
	}
	h.signedIn(w, r, req, res)
}

// newMFAPage is the form of an MFA step the engine asked for.
func newMFAPage(step *auth.MFAStep, username string) mfaPageData {
	page := mfaPageData{
		Session: step.Session, Challenge: step.Challenge, Username: username,
		Destination: step.Destination, SecretCode: step.SecretCode,
	}
	for _, f := range step.Options {
		page.Options = append(page.Options, mfaOption{Value: f, Label: mfaFactorLabels[f]})
	}
	return page
}

// mfa handles the form of an MFA step. A wrong code shows the form again
// with the error; what only signing in again can mend (an expired or
// forged session, a lockout, a disabled user) goes back to the sign-in
// form, as the new-password form does.
func (h *Handler) mfa(w http.ResponseWriter, r *http.Request, req *authzRequest) {
	page := mfaPageData{
		Session: r.PostFormValue("mfa_session"), Challenge: r.PostFormValue("challenge"), Username: r.PostFormValue("username"),
		Destination: r.PostFormValue("destination"), SecretCode: r.PostFormValue("secret_code"),
	}
	for _, f := range r.PostForm["option"] {
		if label, ok := mfaFactorLabels[f]; ok {
			page.Options = append(page.Options, mfaOption{Value: f, Label: label})
		}
	}
	answer, missing := r.PostFormValue("code"), msgCodeGone
	switch page.Challenge {
	case cognito.ChallengeNameTypeSelectMfaType, auth.HostedSetupChoice:
		answer, missing = r.PostFormValue("answer"), msgChoiceGone
	case auth.HostedSetupEmail:
		answer, missing = r.PostFormValue("email"), msgEmailGone
	}
	if answer == "" {
		page.Error = missing
		h.mfaForm(w, r, req, http.StatusOK, page)
		return
	}
	res, err := h.cfg.Auth.HostedMFA(r.Context(), req.Client.Config.ClientID, page.Session, page.Challenge, answer)
	if err != nil {
		msg, ok := userError(err)
		switch {
		case !ok:
			h.grantError(w, r, req, err)
		case errors.Is(err, cognito.NotAuthorized("")):
			h.loginForm(w, r, req, http.StatusOK, page.Username, msg)
		default:
			page.Error = msg
			h.mfaForm(w, r, req, http.StatusOK, page)
		}
		return
	}
	if res.MFA != nil {
		h.mfaForm(w, r, req, http.StatusOK, newMFAPage(res.MFA, page.Username))
		return
	}
	h.signedIn(w, r, req, res)
}

// signedIn starts the hosted session and sends the user back to the client.
func (h *Handler) signedIn(w http.ResponseWriter, r *http.Request, req *authzRequest, res *auth.HostedResult) {
	h.setSession(w, res.PoolID, res.Sub, res.AuthTime)
	h.finish(w, r, req, res.Sub, res.AuthTime)
}

// userError returns the message to show for an error the user can act on:
// a Cognito exception other than a server fault.
func userError(err error) (string, bool) {
	var ce *cognito.Error
	if errors.As(err, &ce) && ce.Status < http.StatusInternalServerError {
		return ce.Message, true
	}
	return "", false
}

// formAction is where the hosted forms post to: /login with the
// authorization request's parameters.
func formAction(r *http.Request) string {
	return loginURL(r.URL.Query())
}

// providerURL starts the sign-in with one identity provider, for a
// provider button.
func providerURL(q url.Values, provider string) string {
	return hostedURL("/oauth2/authorize", q, "identity_provider", provider)
}

// loginURL is the login page for an authorization request's parameters.
func loginURL(q url.Values) string {
	return "/login?" + q.Encode()
}

// loginForm renders the sign-in form.
func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request, req *authzRequest, status int, username, msg string) {
	h.loginPage(w, r, req, status, loginPageData{Username: username, Error: msg})
}

// loginPage renders the sign-in form with the username, error and notice
// of page; the rest is filled in here.
func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request, req *authzRequest, status int, page loginPageData) {
	page.ClientName = req.Client.Config.ClientName
	page.Action = formAction(r)
	page.CSRF = h.csrfToken(w, r)
	page.UsernameLabel, page.UsernameType = "Username", "text"
	page.ForgotURL = hostedURL(pathForgotPassword, r.URL.Query())
	for _, p := range req.Client.Config.SupportedIdentityProviders {
		if p == identityCognito {
			page.Local = true
			continue
		}
		page.Providers = append(page.Providers, providerButton{Name: p, URL: providerURL(r.URL.Query(), p)})
	}
	if pool, err := h.cfg.Pools.Pool(r.Context(), req.Client.PoolID); err == nil {
		page.UsernameLabel, page.UsernameType = usernameField(pool.UsernameAttributes)
		if userpool.SelfSignUp(pool) {
			page.SignUpURL = hostedURL(pathSignUp, r.URL.Query())
		}
	}
	h.render(w, r, status, "login.html", "Sign in", page)
}

// newPasswordForm renders the new-password form.
func (h *Handler) newPasswordForm(w http.ResponseWriter, r *http.Request, req *authzRequest, status int, page newPasswordPageData) {
	page.Action = formAction(r)
	page.CSRF = h.csrfToken(w, r)
	h.render(w, r, status, "new_password.html", "Change your password", page)
}

// mfaForm renders the form of an MFA step, with the words of its
// challenge.
func (h *Handler) mfaForm(w http.ResponseWriter, r *http.Request, req *authzRequest, status int, page mfaPageData) {
	page.Action = formAction(r)
	page.CSRF = h.csrfToken(w, r)
	page.Heading, page.CodeLabel, page.Button = "Enter your code", "Code", "Sign in"
	switch page.Challenge {
	case cognito.ChallengeNameTypeSoftwareTokenMfa:
		page.Lead = "Enter the code your authenticator app shows."
	case cognito.ChallengeNameTypeSmsMfa:
		page.Lead = "We sent a code by text message to " + page.Destination + "."
	case cognito.ChallengeNameTypeEmailOtp:
		page.Lead = "We sent a code by email to " + page.Destination + "."
	case cognito.ChallengeNameTypeSelectMfaType:
		page.Heading, page.Lead = "Verify it's you", "Choose how to get your sign-in code."
	case auth.HostedSetupChoice:
		page.Heading, page.Lead = "Set up multi-factor authentication", "This account needs multi-factor authentication. Choose how to get your sign-in codes."
	case auth.HostedSetupEmail:
		page.Heading = "Set up email codes"
		page.Lead = "This account needs multi-factor authentication. Enter the email address to send your sign-in codes to; we will send a code there first."
		page.CodeLabel, page.Button, page.EmailInput = "Email address", "Send code", true
	case cognito.ChallengeNameTypeMfaSetup:
		page.Heading = "Set up an authenticator app"
		page.Lead = "This account needs multi-factor authentication. Add the key below to your authenticator app, then enter the code it shows."
		page.CodeLabel, page.Button = "Code from the app", "Verify and sign in"
	}
	h.render(w, r, status, "mfa.html", page.Heading, page)
}

// usernameField names the username input after what the pool signs in
// with: in pools whose usernames are e-mail addresses or phone numbers,
// "Username" would puzzle users.
func usernameField(usernameAttributes []string) (label, inputType string) {
	email := slices.Contains(usernameAttributes, "email")
	phone := slices.Contains(usernameAttributes, "phone_number")
	switch {
	case email && phone:
		return "Email address or phone number", "text"
	case email:
		return "Email address", "email"
	case phone:
		return "Phone number", "tel"
	}
	return "Username", "text"
}

// standardAttributeInputs are the label, input type and autocomplete token
// of the standard attributes a new-password form may ask for.
var standardAttributeInputs = map[string][3]string{
	"address":            {"Address", "text", "street-address"},
	"birthdate":          {"Birthdate (YYYY-MM-DD)", "text", "bday"},
	"email":              {"Email address", "email", "email"},
	"family_name":        {"Family name", "text", "family-name"},
	"gender":             {"Gender", "text", "sex"},
	"given_name":         {"Given name", "text", "given-name"},
	"locale":             {"Locale", "text", "language"},
	"middle_name":        {"Middle name", "text", "additional-name"},
	"name":               {"Name", "text", "name"},
	"nickname":           {"Nickname", "text", "nickname"},
	"phone_number":       {"Phone number (+12065551234)", "tel", "tel"},
	"picture":            {"Picture URL", "text", "photo"},
	"preferred_username": {"Preferred username", "text", ""},
	"profile":            {"Profile URL", "text", "url"},
	"website":            {"Website", "text", "url"},
	"zoneinfo":           {"Time zone", "text", ""},
}

func newAttributeField(name, value string) attributeField {
	if in, ok := standardAttributeInputs[name]; ok {
		return attributeField{Name: name, Label: in[0], Type: in[1], Autocomplete: in[2], Value: value}
	}
	return attributeField{Name: name, Label: name, Type: "text", Value: value}
}
