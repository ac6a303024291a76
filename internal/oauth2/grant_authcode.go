package oauth2

import (
	"net/http"
	"net/url"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/userpool"
)

// authorizationCodeGrant exchanges a code from /oauth2/authorize: code
// and redirect_uri are required, code_verifier when the authorization
// request had a PKCE challenge. The engine checks the rest (single use,
// the client, redirect_uri equal to the authorize request's, PKCE).
func (h *Handler) authorizationCodeGrant(r *http.Request, client *userpool.AppClient, form url.Values) (*auth.TokenSet, error) {
	return h.cfg.Auth.ExchangeCode(r.Context(), auth.CodeExchange{
		Client:       client,
		Code:         form.Get("code"),
		RedirectURI:  form.Get("redirect_uri"),
		CodeVerifier: form.Get("code_verifier"),
	})
}
