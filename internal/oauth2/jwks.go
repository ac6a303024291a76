package oauth2

import "net/http"

// JWKS serves GET /{userPoolId}/.well-known/jwks.json: every key a verifier
// may meet, including keys published ahead of a rotation and retired keys
// whose tokens have not all expired. Verifiers may cache it for a while;
// rotation publishes new keys well before they sign.
func (h *Handler) JWKS(w http.ResponseWriter, r *http.Request) {
	poolID, ok := h.pool(w, r)
	if !ok {
		return
	}
	set, err := h.cfg.Tokens.JWKS(r.Context(), poolID)
	if err != nil {
		h.cfg.Logger.ErrorContext(r.Context(), "jwks", "pool", poolID, "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Internal server error."})
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	writeJSON(w, http.StatusOK, set)
}
