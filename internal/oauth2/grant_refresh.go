package oauth2

import (
	"net/http"
	"net/url"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/userpool"
)

// refreshTokenGrant refreshes tokens with refresh_token, as
// GetTokensFromRefreshToken does: a new refresh token comes back only
// when the client rotates them.
func (h *Handler) refreshTokenGrant(r *http.Request, client *userpool.AppClient, form url.Values) (*auth.TokenSet, error) {
	return h.cfg.Auth.RefreshGrant(r.Context(), client, form.Get("refresh_token"))
}
