package oauth2

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/userpool"
)

// Grant types of the token endpoint.
const (
	grantAuthorizationCode = "authorization_code"
	grantRefreshToken      = "refresh_token"
	grantClientCredentials = "client_credentials"
)

// tokenResponse is the token endpoint's answer, members in Cognito's
// order. There is no scope member: Cognito sends none.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	IDToken      string `json:"id_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
}

// grantFunc runs one grant for an authenticated client.
type grantFunc func(h *Handler, r *http.Request, client *userpool.AppClient, form url.Values) (*auth.TokenSet, error)

// grants are the token endpoint's grant types, each in its own file.
var grants = map[string]grantFunc{
	grantAuthorizationCode: (*Handler).authorizationCodeGrant,
	grantRefreshToken:      (*Handler).refreshTokenGrant,
	grantClientCredentials: (*Handler).clientCredentialsGrant,
}

// Token serves /oauth2/token: POST with a form; OPTIONS for a browser's
// CORS preflight; any other method is 405. The client authenticates
// first (HTTP Basic, client_secret in the form, or a public client's
// client_id), then the grant runs. Every answer is no-store and open to
// any origin.
func (h *Handler) Token(w http.ResponseWriter, r *http.Request) {
	form, client, status, ok := h.postClient(w, r, clientErrorStatus)
	if !ok {
		return
	}
	gt := form.Get("grant_type")
	grant, ok := grants[gt]
	switch {
	case gt == "":
		writeOAuthError(w, http.StatusBadRequest, &auth.OAuthError{Code: auth.OAuthInvalidRequest, Description: tokenMsgGrantMissing})
		return
	case !ok:
		writeOAuthError(w, http.StatusBadRequest, &auth.OAuthError{Code: auth.OAuthUnsupportedGrantType, Description: fmt.Sprintf(tokenMsgGrantType, gt)})
		return
	}
	set, err := grant(h, r, client, form)
	if err != nil {
		h.oauthFailure(w, r, err, status)
		return
	}
	writeJSON(w, http.StatusOK, tokenResponse{
		AccessToken:  set.AccessToken,
		IDToken:      set.IDToken,
		RefreshToken: set.RefreshToken,
		TokenType:    "Bearer",
		ExpiresIn:    set.ExpiresIn,
	})
}
