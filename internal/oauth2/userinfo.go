package oauth2

import (
	"errors"
	"net/http"
	"strings"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/cors"
)

// msgUserInfoBadRequest is Cognito's description of a userInfo request
// without a bearer token.
const msgUserInfoBadRequest = "Bad OAuth2 request at UserInfo Endpoint"

// UserInfo serves GET and POST /oauth2/userInfo: the claims of the user
// behind the bearer access token in the Authorization header. A request
// without one is 400 invalid_request; a token refused for any reason is
// 401 invalid_token with one description, as on Cognito. Both say so in a
// WWW-Authenticate Bearer challenge (RFC 6750 3) as well as in the body.
func (h *Handler) UserInfo(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	cors.Allow(hd)
	noStore(hd)
	switch r.Method {
	case http.MethodGet, http.MethodPost:
	case http.MethodOptions:
		cors.Preflight(w, r, "GET, POST")
		return
	default:
		methodNotAllowed(w, "GET, POST, OPTIONS")
		return
	}
	token, ok := bearerToken(r)
	if !ok {
		bearerError(w, http.StatusBadRequest, &auth.OAuthError{Code: auth.OAuthInvalidRequest, Description: msgUserInfoBadRequest})
		return
	}
	info, err := h.cfg.Auth.UserInfo(r.Context(), token)
	var oe *auth.OAuthError
	switch {
	case errors.As(err, &oe):
		bearerError(w, http.StatusUnauthorized, oe)
		return
	case err != nil:
		h.oauthFailure(w, r, err, nil)
		return
	}
	writeJSON(w, http.StatusOK, info)
}

// bearerToken returns the token of an "Authorization: Bearer" header
// (the scheme is case-insensitive, RFC 7235 2.1).
func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

// bearerError writes a userInfo error with its Bearer challenge.
func bearerError(w http.ResponseWriter, status int, e *auth.OAuthError) {
	w.Header().Set("WWW-Authenticate", `Bearer error="`+e.Code+`", error_description="`+e.Description+`"`)
	writeOAuthError(w, status, e)
}
