package oauth2

import (
	"errors"
	"net/http"
	"slices"

	"github.com/userpool/userpool/internal/cognito"
)

// The logout page's words (ours; Cognito shows its generic error page).
const (
	msgLogoutMismatch = "The logout_uri is not one of the app client's sign-out URLs."
	msgLogoutParams   = "Sign-out needs a logout_uri, or a redirect_uri and a response_type to sign in again."
)

// Logout serves GET /logout. With logout_uri, which must be one of the app
// client's sign-out URLs, it ends the hosted session and sends the browser
// there. With redirect_uri (one of the callback URLs) and response_type
// instead, it ends the session and shows the login page for a new
// authorization request with those parameters. Anything else is an error
// page, and the session is left alone: a sign-out the user cannot see
// finish should not half-happen. Ending the session is recorded on the
// user (endSession), so a copy of the cookie kept and replayed later is
// refused too. A user of a SAML provider with IDPSignout is signed out at
// the IdP on the way (signedOut).
func (h *Handler) Logout(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	clientID := q.Get("client_id")
	if clientID == "" {
		h.errorPage(w, r, http.StatusBadRequest, "invalid_request", msgClientIDMissing)
		return
	}
	client, err := h.cfg.Users.Client(r.Context(), clientID)
	if err != nil {
		var ce *cognito.Error
		if errors.As(err, &ce) && ce.Type == cognito.TypeResourceNotFound {
			h.errorPage(w, r, http.StatusBadRequest, "invalid_client", ce.Message)
			return
		}
		h.cfg.Logger.ErrorContext(r.Context(), "logout", "err", err)
		h.errorPage(w, r, http.StatusInternalServerError, "server_error", msgServerError)
		return
	}
	if target := q.Get("logout_uri"); target != "" {
		if !slices.Contains(client.Config.LogoutURLs, target) {
			h.errorPage(w, r, http.StatusBadRequest, "redirect_mismatch", msgLogoutMismatch)
			return
		}
		if !h.endSession(w, r) {
			return
		}
		h.signedOut(w, r, target)
		return
	}
	redirect := q.Get("redirect_uri")
	if redirect == "" || q.Get("response_type") == "" {
		h.errorPage(w, r, http.StatusBadRequest, "invalid_request", msgLogoutParams)
		return
	}
	if !slices.Contains(client.Config.CallbackURLs, redirect) {
		h.errorPage(w, r, http.StatusBadRequest, "redirect_mismatch", msgRedirectMismatch)
		return
	}
	if !h.endSession(w, r) {
		return
	}
	h.signedOut(w, r, loginURL(q))
}

// endSession ends the request's hosted session: on the server, for every
// copy of its cookie (auth.EndHostedSessions), and in the browser. It
// reports whether the sign-out may go on; when the server could not
// record it, it has answered with an error page.
func (h *Handler) endSession(w http.ResponseWriter, r *http.Request) bool {
	if s, ok := h.session(r); ok {
		if err := h.cfg.Auth.EndHostedSessions(r.Context(), s.Pool, s.Sub); err != nil {
			h.cfg.Logger.ErrorContext(r.Context(), "logout", "err", err)
			h.errorPage(w, r, http.StatusInternalServerError, "server_error", msgServerError)
			return false
		}
	}
	h.clearSession(w)
	return true
}
