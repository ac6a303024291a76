package oauth2

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/userpool/userpool/internal/federation"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/userpool"
)

// SAML sign-out (IDPSignout): a user who signed in through a SAML provider
// that asks for it is signed out at the IdP too. /logout ends the hosted
// session, then sends the browser to the IdP's single logout URL with a
// signed LogoutRequest; the IdP answers at /saml2/logout, and the browser
// goes on to where /logout would have sent it. The sealed logout state
// travels as the RelayState.

const samlLogoutTTL = 15 * time.Minute

var samlLogoutAD = []byte("userpool saml logout v1")

// msgSAMLLogout is the error page of a LogoutResponse that does not verify
// or belongs to no sign-out begun here.
const msgSAMLLogout = "The sign-out at the identity provider could not be confirmed. You are signed out here."

// samlLogoutState is a sign-out between the redirect to the IdP and its
// answer.
type samlLogoutState struct {
	Pool      string `json:"o"`
	Provider  string `json:"p"`
	RequestID string `json:"r"`
	// Next is where /logout sends the browser: the app's sign-out URL or
	// the login page.
	Next    string `json:"n"`
	Expires int64  `json:"e"` // unix seconds
}

// signedOut sends a browser whose hosted session has just ended to next,
// by way of the IdP when the session's user signed in through a SAML
// provider with IDPSignout.
func (h *Handler) signedOut(w http.ResponseWriter, r *http.Request, next string) {
	pageHeaders(w.Header())
	if target, ok := h.samlSignOut(r, next); ok {
		http.Redirect(w, r, target, http.StatusFound)
		return
	}
	http.Redirect(w, r, next, http.StatusFound)
}

// samlSignOut returns the IdP's single logout URL with a LogoutRequest for
// the request's session user, when there is one to send. What stops it
// (no such provider, an IdP without a logout endpoint, a failure) leaves
// the sign-out local: the hosted session has ended anyway.
func (h *Handler) samlSignOut(r *http.Request, next string) (string, bool) {
	s, ok := h.session(r)
	if !ok {
		return "", false
	}
	ctx := r.Context()
	u, _, err := h.cfg.Auth.HostedUser(ctx, s.Pool, s.Sub)
	if err != nil || u.Sub == "" {
		return "", false
	}
	name, nameID := samlIdentity(u)
	if name == "" {
		return "", false
	}
	prov, err := h.cfg.Users.IdentityProvider(ctx, s.Pool, name)
	if err != nil || prov.Type != userpool.IdPTypeSAML || prov.Details[userpool.DetailIDPSignout] != "true" {
		return "", false
	}
	sp, p, err := h.samlProvider(r, prov)
	if err != nil {
		h.cfg.Logger.ErrorContext(ctx, "SAML sign-out", "provider", name, "err", err)
		return "", false
	}
	lr, err := sp.StartLogout(ctx, p, nameID)
	if err != nil {
		h.cfg.Logger.WarnContext(ctx, "SAML sign-out", "provider", name, "err", err)
		return "", false
	}
	b, _ := json.Marshal(samlLogoutState{
		Pool: s.Pool, Provider: name, RequestID: lr.ID, Next: next, Expires: h.cfg.Now().Add(samlLogoutTTL).Unix(),
	})
	target, err := lr.RedirectURL(base64.RawURLEncoding.EncodeToString(h.cfg.Sealer.Seal(b, samlLogoutAD)))
	if err != nil {
		h.cfg.Logger.ErrorContext(ctx, "SAML sign-out", "provider", name, "err", err)
		return "", false
	}
	return target, true
}

// samlIdentity is the SAML provider and NameID a user signed up through:
// the primary entry of its identities attribute, when it is SAML's.
// Users linked to a SAML identity signed up otherwise, and keep a local
// sign-out.
func samlIdentity(u store.User) (provider, nameID string) {
	v, ok := u.Attr(userpool.AttrIdentities)
	if !ok {
		return "", ""
	}
	var ids []federation.IdentitiesEntry
	if json.Unmarshal([]byte(v), &ids) != nil {
		return "", ""
	}
	for _, id := range ids {
		if id.ProviderType == userpool.IdPTypeSAML && id.Primary {
			return id.ProviderName, id.UserID
		}
	}
	return "", ""
}

// SAMLLogout serves /saml2/logout (GET for the HTTP-Redirect binding, POST
// for HTTP-POST): the IdP's LogoutResponse to a sign-out samlSignOut
// began. A verified one sends the browser on to where /logout meant it
// to go.
func (h *Handler) SAMLLogout(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxSAMLFormBytes)
	if err := r.ParseForm(); err != nil {
		h.errorPage(w, r, http.StatusBadRequest, "invalid_request", msgSAMLLogout)
		return
	}
	st, err := h.openSAMLLogout(r.Form.Get("RelayState"))
	if err != nil {
		h.errorPage(w, r, http.StatusBadRequest, "invalid_request", msgSAMLLogout)
		return
	}
	ctx := r.Context()
	prov, err := h.cfg.Users.IdentityProvider(ctx, st.Pool, st.Provider)
	if err != nil {
		h.cfg.Logger.WarnContext(ctx, "SAML sign-out", "provider", st.Provider, "err", err)
		h.errorPage(w, r, http.StatusBadRequest, "invalid_request", msgSAMLLogout)
		return
	}
	sp, p, err := h.samlProvider(r, prov)
	if err == nil {
		err = sp.VerifyLogout(ctx, p, r, st.RequestID)
	}
	if err != nil {
		h.cfg.Logger.WarnContext(ctx, "SAML LogoutResponse refused", "provider", st.Provider, "err", err)
		h.errorPage(w, r, http.StatusBadRequest, "invalid_request", msgSAMLLogout)
		return
	}
	pageHeaders(w.Header())
	http.Redirect(w, r, st.Next, http.StatusFound)
}

// openSAMLLogout opens an unexpired logout state.
func (h *Handler) openSAMLLogout(relay string) (*samlLogoutState, error) {
	sealed, err := base64.RawURLEncoding.DecodeString(relay)
	if err != nil || relay == "" {
		return nil, errors.New("no logout state")
	}
	plain, err := h.cfg.Sealer.Open(sealed, samlLogoutAD)
	if err != nil {
		return nil, err
	}
	var st samlLogoutState
	if err := json.Unmarshal(plain, &st); err != nil {
		return nil, err
	}
	if !h.cfg.Now().Before(time.Unix(st.Expires, 0)) {
		return nil, errors.New("logout state expired")
	}
	return &st, nil
}
