package oauth2

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/userpool/userpool/internal/federation"
)

// A federated sign-in leaves the hosted pages for the upstream provider
// and comes back at its response endpoint (/oauth2/idpresponse for OIDC
// and the social providers, /saml2/idpresponse for SAML). What the
// journey needs across that round trip is a federationFlow: the app's
// authorization request, and the state, nonce and PKCE verifier Userpool
// sent upstream, which are Userpool's own and never the app's. The flow
// is sealed with the data key and travels as the upstream's state (or
// SAML RelayState), so any node can finish what another began; a
// short-lived cookie holding a random binding, whose hash is in the
// sealed flow, ties it to the browser that began it, so a flow cannot be
// replayed from another browser (login CSRF).

const (
	federationCookie = "userpool-federation"
	// federationTTL bounds a round trip to the upstream: time to sign in
	// there, not more.
	federationTTL = 15 * time.Minute
)

var federationAD = []byte("userpool federation flow v1")

// Why a flow that comes back is refused. The upstream answered, but
// nothing shows the answer belongs to a sign-in this browser began.
const (
	msgFlowInvalid  = "The sign-in with the identity provider could not be matched to a sign-in begun here. Please start again."
	msgFlowExpired  = "The sign-in with the identity provider took too long. Please start again."
	msgFlowBrowser  = "The sign-in with the identity provider was begun in another browser. Please start again."
	msgUpstreamDown = "The identity provider's answer could not be processed."
)

// federationFlow is a federated sign-in between the redirect to the
// upstream and its answer.
type federationFlow struct {
	// Query is the app's authorization request, as /oauth2/authorize
	// received it; it is checked again when the flow finishes.
	Query string `json:"q"`
	// Provider is the pool's name of the upstream provider.
	Provider string `json:"p"`
	// Nonce and Verifier are what Userpool sent the upstream: the OIDC
	// nonce and the PKCE code_verifier. SAML uses neither.
	Nonce    string `json:"n,omitempty"`
	Verifier string `json:"v,omitempty"`
	// RequestID is the ID of a SAML AuthnRequest, which the response's
	// InResponseTo must name.
	RequestID string `json:"r,omitempty"`
	// Binding is the SHA-256 of the browser's federation cookie.
	Binding []byte `json:"b"`
	Expires int64  `json:"e"` // unix seconds
}

// randomToken is 256 random bits, base64url.
func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// beginFederation starts a federated sign-in for the authorization
// request in query with the provider named: it sets the browser's binding
// cookie and returns the flow (with a fresh nonce and PKCE verifier) and
// its sealed form, the state to send upstream. Callers add what their
// protocol needs (a SAML request ID) before sealing again with sealFlow.
func (h *Handler) beginFederation(w http.ResponseWriter, query, provider string) *federationFlow {
	binding := randomToken()
	sum := sha256.Sum256([]byte(binding))
	http.SetCookie(w, &http.Cookie{
		Name: federationCookie, Value: binding, Path: "/", MaxAge: int(federationTTL / time.Second),
		HttpOnly: true, Secure: h.secureCookies(),
		// The upstream's answer may be a cross-site POST (SAML's POST
		// binding, Apple's form_post), which a Lax cookie does not
		// follow; None needs Secure, which plain-http development
		// servers cannot have, and their upstreams answer with GET.
		SameSite: h.federationSameSite(),
	})
	return &federationFlow{
		Query: query, Provider: provider, Nonce: randomToken(), Verifier: randomToken(),
		Binding: sum[:], Expires: h.cfg.Now().Add(federationTTL).Unix(),
	}
}

func (h *Handler) federationSameSite() http.SameSite {
	if h.secureCookies() {
		return http.SameSiteNoneMode
	}
	return http.SameSiteLaxMode
}

// sealFlow is the flow as the state (or RelayState) sent upstream.
func (h *Handler) sealFlow(f *federationFlow) string {
	b, _ := json.Marshal(f)
	return base64.RawURLEncoding.EncodeToString(h.cfg.Sealer.Seal(b, federationAD))
}

// openFlow opens the state an upstream sent back and checks that it is
// unexpired and that this browser began it. Its error is a message for
// the error page: without a flow there is no app to send an error to.
func (h *Handler) openFlow(r *http.Request, state string) (*federationFlow, error) {
	sealed, err := base64.RawURLEncoding.DecodeString(state)
	if err != nil || state == "" {
		return nil, errors.New(msgFlowInvalid)
	}
	plain, err := h.cfg.Sealer.Open(sealed, federationAD)
	if err != nil {
		return nil, errors.New(msgFlowInvalid)
	}
	var f federationFlow
	if err := json.Unmarshal(plain, &f); err != nil {
		return nil, errors.New(msgFlowInvalid)
	}
	if !h.cfg.Now().Before(time.Unix(f.Expires, 0)) {
		return nil, errors.New(msgFlowExpired)
	}
	c, err := r.Cookie(federationCookie)
	if err != nil || c.Value == "" {
		return nil, errors.New(msgFlowBrowser)
	}
	sum := sha256.Sum256([]byte(c.Value))
	if subtle.ConstantTimeCompare(sum[:], f.Binding) != 1 {
		return nil, errors.New(msgFlowBrowser)
	}
	return &f, nil
}

// flowRequest checks the flow's authorization request again, as every
// hosted step does: the client may have changed while the user was away.
// It reports whether the journey may go on; if not, it has answered.
func (h *Handler) flowRequest(w http.ResponseWriter, r *http.Request, f *federationFlow) (*authzRequest, bool) {
	q, err := url.ParseQuery(f.Query)
	if err != nil {
		h.errorPage(w, r, http.StatusBadRequest, "invalid_request", msgFlowInvalid)
		return nil, false
	}
	return h.checkAuthorize(w, r, q, "federated sign-in")
}

// completeFederation is the end of every federated sign-in, for OIDC, the
// social providers and SAML alike: the upstream has vouched for id, whose
// protocol checks (signature, audience, expiry, nonce or InResponseTo)
// have passed. The user signs in (auth.Engine.FederatedSignIn: the
// attribute mapping, the user created or linked, the triggers), a hosted
// session starts, and the browser goes back to the app with a Userpool
// authorization code, or with the error that refused the sign-in.
func (h *Handler) completeFederation(w http.ResponseWriter, r *http.Request, f *federationFlow, id federation.Identity) {
	h.clearCookie(w, federationCookie)
	req, ok := h.flowRequest(w, r, f)
	if !ok {
		return
	}
	res, err := h.cfg.Auth.FederatedSignIn(r.Context(), req.Client.Config.ClientID, id)
	if err != nil {
		h.grantError(w, r, req, err)
		return
	}
	h.signedIn(w, r, req, res)
}

// failFederation sends the app the error that ended a federated sign-in
// at the upstream (the user cancelled, the upstream refused, its answer
// did not verify), in Cognito's shape: error and error_description on the
// app's redirect URI, with the app's state.
func (h *Handler) failFederation(w http.ResponseWriter, r *http.Request, f *federationFlow, code, description string) {
	h.clearCookie(w, federationCookie)
	req, ok := h.flowRequest(w, r, f)
	if !ok {
		return
	}
	h.redirectError(w, r, req, code, description)
}
