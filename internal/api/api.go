package api

import (
	"log/slog"
	"time"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/limits"
	"github.com/userpool/userpool/internal/sigv4"
	"github.com/userpool/userpool/internal/userpool"
)

// Config configures the JSON API.
type Config struct {
	Service *userpool.Service
	// Auth runs the sign-in, token and session actions.
	Auth *auth.Engine
	// Verifier checks SigV4 on admin actions. Nil accepts any request
	// (serve --dev), as local emulators do.
	Verifier *sigv4.Verifier
	Logger   *slog.Logger
	Now      func() time.Time
	// MaxBodyBytes bounds a request body; larger bodies are refused.
	MaxBodyBytes int64
	// Quotas are the request-rate quotas per category; nil means none.
	Quotas *limits.Quotas
}

// API is the Cognito Identity Provider JSON 1.1 API.
type API struct {
	svc      *userpool.Service
	auth     *auth.Engine
	verifier *sigv4.Verifier
	log      *slog.Logger
	now      func() time.Time
	maxBody  int64
	quotas   *limits.Quotas
	actions  map[string]action
}

// New returns the API. Its ServeHTTP answers POST / requests.
func New(cfg Config) *API {
	a := &API{svc: cfg.Service, auth: cfg.Auth, verifier: cfg.Verifier, log: cfg.Logger, now: cfg.Now, maxBody: cfg.MaxBodyBytes, quotas: cfg.Quotas}
	if a.log == nil {
		a.log = slog.Default()
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.maxBody <= 0 {
		a.maxBody = DefaultMaxBodyBytes
	}
	a.actions = a.table()
	return a
}

// DefaultMaxBodyBytes is large enough for the biggest input Cognito accepts
// (a 1 MB branding asset, base64-encoded) and small enough to bound memory.
const DefaultMaxBodyBytes = 2 << 20
