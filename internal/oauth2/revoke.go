package oauth2

import (
	"errors"
	"net/http"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/cognito"
)

// Descriptions of the revocation endpoint's refusals.
const (
	revokeMsgTokenMissing = "Missing token."
	revokeMsgDisabled     = "Token revocation is not enabled for this client."
	revokeMsgTokenType    = "Only refresh tokens can be revoked."
	revokeMsgOtherClient  = "The token was not issued to this client."
)

// Revoke serves POST /oauth2/revoke (RFC 7009): it revokes a refresh
// token and every access token minted from its sign-in, through the same
// engine call as the RevokeToken action. The client authenticates as at
// the token endpoint, and its failures are always 401 invalid_client,
// as Cognito documents. An unknown or already revoked token is a success
// with an empty body, so a client can retry without fear; a missing
// token, or a client without revocation, is 400 invalid_request; an ID or
// access token is 400 unsupported_token_type.
func (h *Handler) Revoke(w http.ResponseWriter, r *http.Request) {
	form, client, status, ok := h.postClient(w, r, revokeErrorStatus)
	if !ok {
		return
	}
	token := form.Get("token")
	if token == "" {
		writeOAuthError(w, http.StatusBadRequest, &auth.OAuthError{Code: auth.OAuthInvalidRequest, Description: revokeMsgTokenMissing})
		return
	}
	// The client is authenticated already; RevokeToken checks the secret
	// again, so it is given the client's own.
	err := h.cfg.Auth.RevokeToken(r.Context(), auth.RevokeRequest{
		ClientID: client.Config.ClientID, ClientSecret: client.Secret, Token: token,
	})
	if err != nil {
		h.oauthFailure(w, r, revokeError(err), status)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// revokeError turns RevokeToken's exceptions into OAuth errors. A token
// of another client is refused, as RFC 7009 2.1 asks; the code is
// fosite's, since neither the RFC nor Cognito's guide names one.
func revokeError(err error) error {
	var ce *cognito.Error
	if !errors.As(err, &ce) {
		return err
	}
	switch ce.Type {
	case cognito.TypeUnsupportedOperation:
		return &auth.OAuthError{Code: auth.OAuthInvalidRequest, Description: revokeMsgDisabled}
	case cognito.TypeUnsupportedTokenType:
		return &auth.OAuthError{Code: auth.OAuthUnsupportedTokenType, Description: revokeMsgTokenType}
	case cognito.TypeUnauthorized:
		return &auth.OAuthError{Code: auth.OAuthUnauthorizedClient, Description: revokeMsgOtherClient}
	case cognito.TypeResourceNotFound:
		return &auth.OAuthError{Code: auth.OAuthInvalidClient, Description: ce.Message}
	}
	return err
}

// revokeErrorStatus is the status of a revocation error: invalid_client
// is 401 (with a Basic challenge when the client used Basic), everything
// else 400.
func revokeErrorStatus(w http.ResponseWriter, basic bool) func(*auth.OAuthError) int {
	return func(e *auth.OAuthError) int {
		if e.Code != auth.OAuthInvalidClient {
			return http.StatusBadRequest
		}
		if basic {
			w.Header().Set("WWW-Authenticate", "Basic")
		}
		return http.StatusUnauthorized
	}
}
