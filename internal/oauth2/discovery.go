package oauth2

import "net/http"

// discovery is the OpenID Provider metadata, with Cognito's members plus
// the revocation and end-session endpoints newer clients look for.
type discovery struct {
	AuthorizationEndpoint            string   `json:"authorization_endpoint"`
	EndSessionEndpoint               string   `json:"end_session_endpoint"`
	IDTokenSigningAlgValuesSupported []string `json:"id_token_signing_alg_values_supported"`
	Issuer                           string   `json:"issuer"`
	JWKSURI                          string   `json:"jwks_uri"`
	ResponseTypesSupported           []string `json:"response_types_supported"`
	RevocationEndpoint               string   `json:"revocation_endpoint"`
	ScopesSupported                  []string `json:"scopes_supported"`
	SubjectTypesSupported            []string `json:"subject_types_supported"`
	TokenEndpoint                    string   `json:"token_endpoint"`
	TokenEndpointAuthMethods         []string `json:"token_endpoint_auth_methods_supported"`
	UserinfoEndpoint                 string   `json:"userinfo_endpoint"`
	CodeChallengeMethodsSupported    []string `json:"code_challenge_methods_supported"`
}

// Discovery serves GET /{userPoolId}/.well-known/openid-configuration. The
// issuer is exactly the tokens' iss; the hosted endpoints are this server's,
// shared by every pool (they find the pool from client_id).
func (h *Handler) Discovery(w http.ResponseWriter, r *http.Request) {
	poolID, ok := h.pool(w, r)
	if !ok {
		return
	}
	base := h.cfg.PublicURL
	issuer := h.cfg.Tokens.IssuerURL(poolID)
	w.Header().Set("Cache-Control", "public, max-age=3600")
	writeJSON(w, http.StatusOK, discovery{
		AuthorizationEndpoint:            base + "/oauth2/authorize",
		EndSessionEndpoint:               base + "/logout",
		IDTokenSigningAlgValuesSupported: []string{"RS256"},
		Issuer:                           issuer,
		JWKSURI:                          issuer + "/.well-known/jwks.json",
		ResponseTypesSupported:           []string{"code", "token"},
		RevocationEndpoint:               base + "/oauth2/revoke",
		ScopesSupported:                  []string{"openid", "email", "phone", "profile"},
		SubjectTypesSupported:            []string{"public"},
		TokenEndpoint:                    base + "/oauth2/token",
		TokenEndpointAuthMethods:         []string{"client_secret_basic", "client_secret_post"},
		UserinfoEndpoint:                 base + "/oauth2/userInfo",
		CodeChallengeMethodsSupported:    []string{"S256"},
	})
}
