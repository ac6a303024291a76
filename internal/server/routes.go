package server

import (
	"net/http"
)

// routes lists every route the server answers. Nothing is registered
// anywhere else.
func routes(mux *http.ServeMux, cfg Config) {
	// The Cognito JSON API: every action is POST / with X-Amz-Target.
	mux.Handle("POST /{$}", cfg.API)
	mux.HandleFunc("GET /health", health(cfg))
	if o := cfg.OAuth2; o != nil {
		// Per-pool discovery and keys, at the paths Cognito serves them.
		mux.HandleFunc("GET /{userPoolId}/.well-known/openid-configuration", o.Discovery)
		mux.HandleFunc("GET /{userPoolId}/.well-known/jwks.json", o.JWKS)
	}
}

func health(cfg Config) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if !cfg.Ready.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"status":"unavailable"}`))
			return
		}
		w.Write([]byte(`{"status":"ok"}`))
	}
}
