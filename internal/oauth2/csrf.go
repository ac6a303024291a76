package oauth2

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
)

// The hosted forms are protected by a double-submit token, as Cognito's
// own pages are (an XSRF-TOKEN cookie and a _csrf field): a random token
// in an HttpOnly, SameSite=Lax cookie and the same token in a hidden form
// field. A page on another site can make the browser send the cookie but
// can neither read it nor set the field to match, so a forged POST fails.
const (
	csrfCookie = "XSRF-TOKEN"
	csrfField  = "_csrf"
	// csrfLen is the encoded length of a token: 32 random bytes.
	csrfLen = 43
)

// csrfToken returns the token for a form on this response: the browser's
// current one when it has a well-formed one, so several open tabs keep
// working, or a new one set in the cookie.
func (h *Handler) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && wellFormedCSRF(c.Value) {
		return c.Value
	}
	b := make([]byte, 32)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
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

// checkCSRF reports whether a form POST carries the token of its cookie.
// The comparison takes constant time, so timing does not reveal how much
// of a guess was right.
func checkCSRF(r *http.Request) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil || !wellFormedCSRF(c.Value) {
		return false
	}
	field := r.PostFormValue(csrfField)
	return subtle.ConstantTimeCompare([]byte(c.Value), []byte(field)) == 1
}

func wellFormedCSRF(v string) bool {
	if len(v) != csrfLen {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(v)
	return err == nil
}
