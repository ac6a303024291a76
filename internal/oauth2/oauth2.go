package oauth2

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/samlfed"
	"github.com/userpool/userpool/internal/seal"
	"github.com/userpool/userpool/internal/tokens"
	"github.com/userpool/userpool/internal/upstream"
	"github.com/userpool/userpool/internal/userpool"
)

// Pools is what the endpoints need to know about pools.
type Pools interface {
	Pool(ctx context.Context, id string) (*cognito.UserPoolType, error)
}

// Config configures the endpoints.
type Config struct {
	Pools  Pools
	Tokens *tokens.Issuer
	// PublicURL is the base URL clients reach the server at.
	PublicURL string
	Logger    *slog.Logger
	// Auth is the authentication engine the JSON API also uses, so the
	// hosted pages sign users in under the same rules.
	Auth *auth.Engine
	// Users reads app clients and users.
	Users *userpool.Service
	// Sealer seals the hosted session cookie, so any node can read it.
	Sealer *seal.Sealer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Upstream signs users in at the pools' OIDC and social identity
	// providers; nil means one with default settings.
	Upstream *upstream.Client
}

// Handler serves the OAuth 2.0 and OpenID Connect endpoints.
type Handler struct {
	cfg Config

	// The SAML service provider, made on first use (saml.go).
	samlOnce sync.Once
	samlSP   *samlfed.ServiceProvider
	samlErr  error

	// styles are the compiled managed login styles (branding_cache.go).
	styles *brandingCache
}

// New returns the endpoints' handler; routes are registered by the server.
func New(cfg Config) *Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Upstream == nil {
		cfg.Upstream = upstream.New(nil, cfg.Now)
	}
	return &Handler{cfg: cfg, styles: newBrandingCache(brandingCacheEntries, brandingCacheBytes)}
}

// writeJSON writes a JSON document with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	w.Write(b)
}

// pool resolves the {userPoolId} path segment, answering 404 for a pool
// that does not exist. It reports whether the request may go on.
func (h *Handler) pool(w http.ResponseWriter, r *http.Request) (string, bool) {
	id := r.PathValue("userPoolId")
	if _, err := h.cfg.Pools.Pool(r.Context(), id); err != nil {
		if ce, ok := err.(*cognito.Error); ok && ce.Type == cognito.TypeResourceNotFound {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": ce.Message})
			return "", false
		}
		h.cfg.Logger.ErrorContext(r.Context(), "load pool", "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Internal server error."})
		return "", false
	}
	return id, true
}
