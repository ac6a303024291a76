package oauth2

import (
	"net/http"
	"net/url"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/userpool"
)

// The hosted pages beyond sign-in, at the paths of Cognito's classic
// hosted UI. Each carries the authorization request it was reached with,
// so the journey ends at the app's callback as a sign-in does.
const (
	pathLogin                 = "/login"
	pathSignUp                = "/signup"
	pathConfirmUser           = "/confirmUser"
	pathForgotPassword        = "/forgotPassword"
	pathConfirmForgotPassword = "/confirmForgotPassword"
)

// authzParams are the parameters of an authorization request that the
// links and redirects between the hosted pages carry along; anything else
// in a query (a username) belongs to one page only.
var authzParams = []string{
	"client_id", "response_type", "redirect_uri", "scope", "state", "nonce",
	"code_challenge", "code_challenge_method", "identity_provider", "idp_identifier", "lang",
}

// hostedURL is a hosted page's URL for the authorization request in q,
// with extra name/value pairs added (the username a code was sent for).
func hostedURL(path string, q url.Values, extra ...string) string {
	out := url.Values{}
	for _, k := range authzParams {
		if v, ok := q[k]; ok {
			out[k] = v
		}
	}
	for i := 0; i+1 < len(extra); i += 2 {
		out.Set(extra[i], extra[i+1])
	}
	return path + "?" + out.Encode()
}

// Notices the pages show after an action succeeded; the actions' errors
// are shown in Cognito's words.
const (
	msgConfirmed      = "Your account is confirmed. Sign in to continue."
	msgSignedUpNoCode = "Your account was created. It must be confirmed by an administrator before you can sign in."
	msgPasswordReset  = "Your password has been reset. Sign in with your new password."
	msgCodeResent     = "We sent a new code by %s to %s."
)

// startPage is how every page beyond sign-in starts: for a POST the form
// read (bounded), then the authorization request checked (the query is
// the browser's to change) and the client's pool loaded. It reports
// whether the request may go on; when it may not, the answer is written.
func (h *Handler) startPage(w http.ResponseWriter, r *http.Request) (*authzRequest, *cognito.UserPoolType, bool) {
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil {
			h.errorPage(w, r, http.StatusBadRequest, "invalid_request", msgFormUnreadable)
			return nil, nil, false
		}
	}
	req, ok := h.authorizeRequest(w, r)
	if !ok {
		return nil, nil, false
	}
	pool, err := h.cfg.Pools.Pool(r.Context(), req.Client.PoolID)
	if err != nil {
		h.grantError(w, r, req, err)
		return nil, nil, false
	}
	return req, pool, true
}

// secretHash is the SecretHash the user actions ask of a client with a
// secret. The hosted pages are the server's own, which holds the secret,
// so they compute it; a client without one is sent none.
func secretHash(client *userpool.AppClient, username string) string {
	if client.Secret == "" {
		return ""
	}
	return userpool.SecretHash(client.Secret, username, client.Config.ClientID)
}

// usernameFields is the page data of a form's username input.
type usernameFields struct {
	Username      string
	UsernameLabel string
	UsernameType  string
}

func newUsernameFields(pool *cognito.UserPoolType, username string) usernameFields {
	label, typ := usernameField(pool.UsernameAttributes)
	return usernameFields{Username: username, UsernameLabel: label, UsernameType: typ}
}

// redirectSeeOther sends the browser to another hosted page after a form
// was accepted, so that reloading that page does not post the form again.
func redirectSeeOther(w http.ResponseWriter, r *http.Request, to string) {
	pageHeaders(w.Header())
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// userForm is what every form about one user carries (sign-up, its
// confirmation, the password reset's two forms): the username input,
// where the form posts, its CSRF token, the way back to sign-in and the
// error of the last try. Each form's page data embeds it.
type userForm struct {
	usernameFields
	Action   string
	CSRF     string
	LoginURL string
	Error    string
}

func (f *userForm) fields() *userForm { return f }

// prepare adds nothing: a form with more to show defines its own.
func (*userForm) prepare(*Handler, http.ResponseWriter, *http.Request, *authzRequest) bool {
	return true
}

// formView is how one form about a user is shown: the path it posts to,
// its template and its title, and whether a GET of it takes the username
// from the query (the pages a code leads to are reached with it there).
type formView struct {
	path, template, title string
	queryUsername         bool
}

// userFormPage is the page data of a form about one user.
type userFormPage interface {
	fields() *userForm
	view() formView
	// prepare adds what only this form shows, just before it is rendered.
	// When that cannot be read it answers with the error page and
	// reports false.
	prepare(h *Handler, w http.ResponseWriter, r *http.Request, req *authzRequest) bool
}

// hostedForm is one request for a form about one user, once startPage's
// checks have passed: the page to show, made for the username (the
// form's on a POST; on a GET the query's, or none).
type hostedForm[P userFormPage] struct {
	h        *Handler
	w        http.ResponseWriter
	r        *http.Request
	req      *authzRequest
	pool     *cognito.UserPoolType
	username string
	page     P
}

// startForm begins serving a form about one user. It reports whether the
// request may go on; when it may not, the answer is written.
func startForm[T any, P interface {
	*T
	userFormPage
}](h *Handler, w http.ResponseWriter, r *http.Request) (*hostedForm[P], bool) {
	req, pool, ok := h.startPage(w, r)
	if !ok {
		return nil, false
	}
	page := P(new(T))
	username := ""
	switch {
	case r.Method == http.MethodPost:
		username = r.PostFormValue("username")
	case page.view().queryUsername:
		username = r.URL.Query().Get("username")
	}
	page.fields().usernameFields = newUsernameFields(pool, username)
	return &hostedForm[P]{h: h, w: w, r: r, req: req, pool: pool, username: username, page: page}, true
}

// serveForm serves the GET of a form about one user.
func serveForm[T any, P interface {
	*T
	userFormPage
}](h *Handler, w http.ResponseWriter, r *http.Request) {
	if f, ok := startForm[T, P](h, w, r); ok {
		f.render(http.StatusOK)
	}
}

// render shows the form with status.
func (f *hostedForm[P]) render(status int) {
	v, q := f.page.view(), f.r.URL.Query()
	fields := f.page.fields()
	fields.Action = hostedURL(v.path, q)
	fields.CSRF = f.h.csrfToken(f.w, f.r)
	fields.LoginURL = hostedURL(pathLogin, q)
	if !f.page.prepare(f.h, f.w, f.r, f.req) {
		return
	}
	f.h.render(f.w, f.r, status, v.template, v.title, f.page)
}

// show shows the form again with an error; act takes it.
func (f *hostedForm[P]) show(status int, msg string) {
	f.page.fields().Error = msg
	f.render(status)
}

// secretHash is the SecretHash of the form's username.
func (f *hostedForm[P]) secretHash() string { return secretHash(f.req.Client, f.username) }
