package oauth2

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"

	"github.com/userpool/userpool/internal/auth"
)

// The token, userInfo and revocation endpoints answer machines, not
// browsers: their errors are RFC 6749 JSON, {"error","error_description"},
// never a page.

// oauthErrorBody is the RFC 6749 5.2 error document.
type oauthErrorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// Descriptions of the errors the endpoints find before the engine sees
// the request. Cognito often sends the error code alone; the words are
// ours and say what to fix.
const (
	tokenMsgMethod        = "The endpoint accepts only POST."
	tokenMsgContentType   = "The body must be application/x-www-form-urlencoded."
	tokenMsgBody          = "The body could not be read."
	tokenMsgRepeated      = "Parameter %s is repeated."
	tokenMsgGrantMissing  = "Missing grant_type."
	tokenMsgGrantType     = "Unsupported grant_type %q."
	tokenMsgServerError   = "An internal error occurred."
	tokenMsgTwoMethods    = "The client authenticated with more than one method."
	tokenMsgClientMissing = "Client authentication is required: send client_id, and the client secret with HTTP Basic or client_secret."
	tokenMsgBasic         = "The Authorization header is not valid HTTP Basic client authentication."
	tokenMsgClientDiffers = "client_id does not match the client of the Authorization header."
	tokenMsgClientUnknown = "Client %s does not exist."
	tokenMsgSecretMissing = "Client %s has a secret, and it was not sent."
	tokenMsgSecretWrong   = "The client secret is not the client's."
	tokenMsgSecretless    = "Client %s has no secret, and one was sent."
)

// maxTokenFormBytes bounds the form of a token or revocation request: a
// few parameters, the longest a refresh token.
const maxTokenFormBytes = 64 << 10

// noStore marks a response as never to be cached: RFC 6749 5.1 asks it
// of every response that carries tokens, and Cognito sends it on errors
// too.
func noStore(h http.Header) {
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
}

// methodNotAllowed answers a method the endpoint does not serve.
func methodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	writeOAuthError(w, http.StatusMethodNotAllowed, &auth.OAuthError{Code: auth.OAuthInvalidRequest, Description: tokenMsgMethod})
}

// writeOAuthError writes an RFC 6749 error.
func writeOAuthError(w http.ResponseWriter, status int, e *auth.OAuthError) {
	noStore(w.Header())
	writeJSON(w, status, oauthErrorBody{Error: e.Code, Description: e.Description})
}

// oauthFailure writes err: an *auth.OAuthError with the status status
// gives it, anything else as a logged server_error whose cause is never
// sent.
func (h *Handler) oauthFailure(w http.ResponseWriter, r *http.Request, err error, status func(*auth.OAuthError) int) {
	var oe *auth.OAuthError
	if errors.As(err, &oe) {
		writeOAuthError(w, status(oe), oe)
		return
	}
	h.cfg.Logger.ErrorContext(r.Context(), "oauth2 endpoint", "path", r.URL.Path, "err", err)
	writeOAuthError(w, http.StatusInternalServerError, &auth.OAuthError{Code: "server_error", Description: tokenMsgServerError})
}

// readTokenForm reads the form of a token or revocation request: only
// application/x-www-form-urlencoded (a JSON body, a common mistake, is
// invalid_request, as on Cognito), only the body (parameters in the URL
// would end up in logs), and each parameter at most once (RFC 6749 3.2).
func readTokenForm(w http.ResponseWriter, r *http.Request) (url.Values, *auth.OAuthError) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, &auth.OAuthError{Code: auth.OAuthInvalidRequest, Description: tokenMsgContentType}
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxTokenFormBytes)
	if err := r.ParseForm(); err != nil {
		return nil, &auth.OAuthError{Code: auth.OAuthInvalidRequest, Description: tokenMsgBody}
	}
	for k, v := range r.PostForm {
		if len(v) > 1 {
			return nil, &auth.OAuthError{Code: auth.OAuthInvalidRequest, Description: fmt.Sprintf(tokenMsgRepeated, k)}
		}
	}
	return r.PostForm, nil
}
