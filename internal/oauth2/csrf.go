package oauth2

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
)

// The hosted forms are protected by a signed double-submit token, as
// Cognito's own pages are by a double submit (an XSRF-TOKEN cookie and a
// _csrf field): a token in an HttpOnly, SameSite=Lax cookie and the same
// token in a hidden form field. A page on another site can make the
// browser send the cookie but can neither read it nor set the field to
// match, so a forged POST fails.
//
// The token is a random nonce and its MAC under the data key. A plain
// double submit falls to anyone who can plant a cookie in the browser (a
// sibling subdomain, a plain-http response on the same host): they set the
// cookie to a value of their choosing and post the same value. A signed
// token can only come from this server, so a planted cookie is refused.
const (
	csrfCookie = "XSRF-TOKEN"
	csrfField  = "_csrf"
	// csrfNonce and csrfMAC are the lengths of a token's two parts; csrfLen
	// is the encoded length of the whole.
	csrfNonce = 32
	csrfMAC   = 32
	csrfLen   = (8*(csrfNonce+csrfMAC) + 5) / 6
	// csrfPurpose keeps the token's MAC from passing for any other.
	csrfPurpose = "hosted csrf"
)

// csrfToken returns the token for a form on this response: the browser's
// current one when it is one of ours, so several open tabs keep working,
// or a new one set in the cookie.
func (h *Handler) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && h.validCSRF(c.Value) {
		return c.Value
	}
	nonce := make([]byte, csrfNonce)
	rand.Read(nonce)
	token := base64.RawURLEncoding.EncodeToString(append(nonce, h.cfg.Sealer.MAC(csrfPurpose, nonce)...))
	http.SetCookie(w, &http.Cookie{
		Name:     csrfCookie,
		Value:    token,
		Path:     "/",
		HttpOnly: true,
		Secure:   h.secureCookies(),
		SameSite: http.SameSiteLaxMode,
	})
	return token
}

// checkCSRF reports whether a form POST carries the token of its cookie,
// and that token is one this server made. The comparisons take constant
// time, so timing does not reveal how much of a guess was right.
func (h *Handler) checkCSRF(r *http.Request) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil || !h.validCSRF(c.Value) {
		return false
	}
	field := r.PostFormValue(csrfField)
	return subtle.ConstantTimeCompare([]byte(c.Value), []byte(field)) == 1
}

// validCSRF reports whether v is a nonce with its MAC under the data key.
func (h *Handler) validCSRF(v string) bool {
	if len(v) != csrfLen {
		return false
	}
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil || len(b) != csrfNonce+csrfMAC {
		return false
	}
	return hmac.Equal(b[csrfNonce:], h.cfg.Sealer.MAC(csrfPurpose, b[:csrfNonce]))
}
