package oauth2

import (
	"net/http"
	"net/url"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/userpool"
)

// clientCredentialsGrant gives a confidential client an access token of
// its own, with the resource-server scopes of the optional scope
// parameter (all the client's by default).
func (h *Handler) clientCredentialsGrant(r *http.Request, client *userpool.AppClient, form url.Values) (*auth.TokenSet, error) {
	return h.cfg.Auth.ClientCredentialsGrant(r.Context(), client, form.Get("scope"))
}
