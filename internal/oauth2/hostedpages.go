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
