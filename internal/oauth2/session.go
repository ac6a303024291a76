package oauth2

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// The hosted session lets a browser that signed in on the hosted page
// authorize again without a password for an hour, as Cognito's session
// cookie does. It is stateless: the pool, the user and the time of the
// sign-in sealed with the server's data key, so every node can read it,
// nobody can forge or read it, and there is nothing to clean up. Its
// expiry is inside the seal, so keeping the cookie past its Max-Age does
// not make it last longer. What ends it early is on the user: a sign-out
// (GlobalSignOut, or /logout, which records one) or a password change
// after it was issued (auth.HostedSessionHolds).
const (
	sessionCookie = "cognito"
	sessionTTL    = time.Hour
)

var sessionAD = []byte("userpool hosted session v1")

// hostedSession is the content of the session cookie.
type hostedSession struct {
	Pool     string `json:"p"`
	Sub      string `json:"s"`
	AuthTime int64  `json:"a"` // unix seconds
	Expires  int64  `json:"e"` // unix seconds
	Issued   int64  `json:"i"` // unix milliseconds
}

// issued is when the session was issued.
func (s *hostedSession) issued() time.Time { return time.UnixMilli(s.Issued) }

// secureCookies reports whether cookies must be Secure: when the public
// URL is HTTPS. Over plain http (a laptop, CI) a Secure cookie would never
// come back.
func (h *Handler) secureCookies() bool {
	return strings.HasPrefix(strings.ToLower(h.cfg.PublicURL), "https://")
}

// setSession starts a hosted session for a user who just signed in.
func (h *Handler) setSession(w http.ResponseWriter, poolID, sub string, authTime time.Time) {
	now := h.cfg.Now()
	h.setSealedCookie(w, sessionCookie, sessionAD, hostedSession{Pool: poolID, Sub: sub, AuthTime: authTime.Unix(), Expires: now.Add(sessionTTL).Unix(), Issued: now.UnixMilli()}, sessionTTL)
}

// session returns the request's hosted session, if it has one that opens
// and has not expired.
func (h *Handler) session(r *http.Request) (*hostedSession, bool) {
	var s hostedSession
	if !h.openSealedCookie(r, sessionCookie, sessionAD, &s) || s.Pool == "" || s.Sub == "" {
		return nil, false
	}
	if !h.cfg.Now().Before(time.Unix(s.Expires, 0)) {
		return nil, false
	}
	return &s, true
}

// clearSession ends the hosted session.
func (h *Handler) clearSession(w http.ResponseWriter) {
	h.clearCookie(w, sessionCookie)
}

// setSealedCookie sets a cookie whose value is v as JSON, sealed with the
// data key for the purpose ad, so that every node can open it and nobody
// can read or forge it. Its expiry must be inside v too: the browser may
// keep the cookie past ttl.
func (h *Handler) setSealedCookie(w http.ResponseWriter, name string, ad []byte, v any, ttl time.Duration) {
	b, _ := json.Marshal(v)
	http.SetCookie(w, &http.Cookie{
		Name:     name,
		Value:    base64.RawURLEncoding.EncodeToString(h.cfg.Sealer.Seal(b, ad)),
		Path:     "/",
		MaxAge:   int(ttl / time.Second),
		HttpOnly: true,
		Secure:   h.secureCookies(),
		SameSite: http.SameSiteLaxMode,
	})
}

// openSealedCookie reads into v a cookie set by setSealedCookie for the
// purpose ad; it reports false for a missing, forged or unreadable one.
func (h *Handler) openSealedCookie(r *http.Request, name string, ad []byte, v any) bool {
	c, err := r.Cookie(name)
	if err != nil || c.Value == "" {
		return false
	}
	sealed, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return false
	}
	plain, err := h.cfg.Sealer.Open(sealed, ad)
	if err != nil {
		return false
	}
	return json.Unmarshal(plain, v) == nil
}

// clearCookie removes a cookie set by setSealedCookie.
func (h *Handler) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{
		Name:     name,
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   h.secureCookies(),
		SameSite: http.SameSiteLaxMode,
	})
}
