package server

import (
	"net/http"

	"github.com/userpool/userpool/internal/cors"
)

// routes lists every route the server answers. Nothing is registered
// anywhere else.
func routes(mux *http.ServeMux, cfg Config) {
	// The Cognito JSON API: every action is POST / with X-Amz-Target.
	// Browsers call it from any origin, as they call Cognito: OPTIONS /
	// answers their preflight, and every answer is open to any origin.
	api := cors.Handler(cfg.API)
	mux.Handle("POST /{$}", api)
	mux.Handle("OPTIONS /{$}", api)
	mux.HandleFunc("GET /health", health(cfg))
	// The upload URLs of user import jobs: the server stands in for the
	// S3 bucket Cognito's pre-signed URLs point at.
	if cfg.ImportUpload != nil {
		mux.Handle("PUT /_import/{userPoolId}/{jobId}", cfg.ImportUpload)
	}
	// Prometheus metrics, on the API's listener; left out when nil.
	if cfg.Metrics != nil {
		mux.Handle("GET /metrics", cfg.Metrics)
	}
	// The development outbox, only under --dev: it lists live codes, so
	// outside development mode the path is simply not found.
	if cfg.DevOutbox != nil {
		mux.Handle("GET /_dev/messages", cfg.DevOutbox)
	}
	// The development clock, only under --dev, for the same reason:
	// moving time expires every session and token on the server.
	if cfg.DevClock != nil {
		mux.Handle("GET /_dev/clock", cfg.DevClock)
		mux.Handle("POST /_dev/clock", cfg.DevClock)
	}
	if o := cfg.OAuth2; o != nil {
		// Per-pool discovery and keys, at the paths Cognito serves them.
		mux.HandleFunc("GET /{userPoolId}/.well-known/openid-configuration", o.Discovery)
		mux.HandleFunc("GET /{userPoolId}/.well-known/jwks.json", o.JWKS)
		// The hosted sign-in: authorize, the login and logout pages and
		// their stylesheet.
		mux.HandleFunc("GET /oauth2/authorize", o.Authorize)
		mux.HandleFunc("GET /login", o.LoginPage)
		mux.HandleFunc("POST /login", o.Login)
		mux.HandleFunc("GET /logout", o.Logout)
		// Federation: where OIDC and social providers send the browser
		// back (GET, and POST for Apple's form_post).
		mux.HandleFunc("GET /oauth2/idpresponse", o.IDPResponse)
		mux.HandleFunc("POST /oauth2/idpresponse", o.IDPResponse)
		// Sign-up, its confirmation and the password reset, at the paths
		// of Cognito's classic hosted UI.
		mux.HandleFunc("GET /signup", o.SignUpPage)
		mux.HandleFunc("POST /signup", o.SignUp)
		mux.HandleFunc("GET /confirmUser", o.ConfirmUserPage)
		mux.HandleFunc("POST /confirmUser", o.ConfirmUser)
		mux.HandleFunc("GET /forgotPassword", o.ForgotPasswordPage)
		mux.HandleFunc("POST /forgotPassword", o.ForgotPassword)
		mux.HandleFunc("GET /confirmForgotPassword", o.ConfirmForgotPasswordPage)
		mux.HandleFunc("POST /confirmForgotPassword", o.ConfirmForgotPassword)
		// The SAML assertion consumer service: SAML identity providers
		// post their answers here (HTTP-POST binding).
		mux.HandleFunc("POST /saml2/idpresponse", o.SAMLResponse)
		// Where SAML identity providers answer a sign-out (IDPSignout):
		// GET for the HTTP-Redirect binding, POST for HTTP-POST.
		mux.HandleFunc("GET /saml2/logout", o.SAMLLogout)
		mux.HandleFunc("POST /saml2/logout", o.SAMLLogout)
		mux.HandleFunc("GET /static/hosted.css", o.HostedCSS)
		// The CSS and logo of SetUICustomization, by pool and by client
		// ID or ALL.
		mux.HandleFunc("GET /static/ui/{userPoolId}/{key}/{asset}", o.UIAsset)
		// The stylesheet and assets of a client's managed login branding.
		mux.HandleFunc("GET /static/branding/{userPoolId}/{clientId}/{asset}", o.BrandingAsset)
		// The token side: each endpoint answers its own methods, so a GET
		// of the token endpoint gets an OAuth error and browsers their
		// CORS preflight.
		mux.HandleFunc("/oauth2/token", o.Token)
		mux.HandleFunc("/oauth2/userInfo", o.UserInfo)
		mux.HandleFunc("/oauth2/revoke", o.Revoke)
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
