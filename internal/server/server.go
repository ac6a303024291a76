package server

import (
	"log/slog"

	"github.com/userpool/userpool/internal/oauth2"
	"net/http"
	"sync/atomic"
)

// Config is what the handler needs.
type Config struct {
	API http.Handler
	// OAuth2 serves discovery, JWKS and the hosted endpoints.
	OAuth2 *oauth2.Handler
	Logger *slog.Logger
	// AccessLog receives the line of each request; Logger when nil.
	// `userpool serve` gives it an output that holds the lines for a
	// moment (internal/logbuf) rather than writing one per request.
	AccessLog *slog.Logger
	// DevOutbox, when not nil, serves GET /_dev/messages: the messages
	// sent under --dev, codes included. Nil (always, outside --dev)
	// leaves the route out.
	DevOutbox http.Handler
	// DevClock, when not nil, serves GET and POST /_dev/clock, which
	// read and move the server's clock (internal/clock); nil (always,
	// outside --dev) leaves the routes out.
	DevClock http.Handler
	// ImportUpload, when not nil, serves PUT /_import/{userPoolId}/{jobId},
	// the pre-signed upload URLs of user import jobs.
	ImportUpload http.Handler
	// Metrics, when not nil, serves GET /metrics.
	Metrics http.Handler
	// Ready reports whether the server may take traffic; /health answers
	// 503 until it does and again once shutdown starts.
	Ready *atomic.Bool
}

// New returns the server's whole http.Handler: the routes of routes.go
// behind the middleware.
func New(cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.AccessLog == nil {
		cfg.AccessLog = cfg.Logger
	}
	if cfg.Ready == nil {
		cfg.Ready = new(atomic.Bool)
		cfg.Ready.Store(true)
	}
	mux := http.NewServeMux()
	routes(mux, cfg)
	return withRequestID(withAccessLog(cfg.AccessLog, withRecover(cfg.Logger, mux)))
}
