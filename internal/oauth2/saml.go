package oauth2

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/samlfed"
	"github.com/userpool/userpool/internal/userpool"
)

// SAML sign-in: /oauth2/authorize with a SAML provider sends the browser
// to the IdP with an AuthnRequest (startSAML), and the IdP posts its
// answer to /saml2/idpresponse (SAMLResponse). The RelayState is the
// sealed federation flow, as the state is for OIDC; an IdP-initiated
// answer, which no flow began, carries the app's authorization parameters
// in its RelayState instead, as Cognito documents.

// maxSAMLFormBytes bounds the posted form: a SAMLResponse of at most
// samlfed.MaxResponseChars and a RelayState.
const maxSAMLFormBytes = 256 << 10

// The words of the SAML endpoint's refusals. Cognito's (observed) is the
// first; the others are ours.
const (
	msgSAMLInvalid      = "Invalid samlResponse or relayState from identity provider"
	msgSAMLNotSAML      = "The identity provider %s is not a SAML provider."
	msgSAMLNoProvider   = "The RelayState of an IdP-initiated sign-in must name the identity provider (identity_provider or idp_identifier)."
	msgSAMLMissingField = "The request has no SAMLResponse."
	msgSAMLIdPInitMixed = "The app client supports %s, which is not a SAML provider, so it does not accept IdP-initiated SAML sign-in."
)

// samlServiceProvider is the pools' SAML service provider, made once from
// the public URL: its ACS is <public URL>/saml2/idpresponse, its single
// logout service <public URL>/saml2/logout. The assertions it accepts are
// recorded through the pools' service in the store every node shares.
func (h *Handler) samlServiceProvider() (*samlfed.ServiceProvider, error) {
	h.samlOnce.Do(func() {
		h.samlSP, h.samlErr = samlfed.New(samlfed.Config{
			ACSURL: h.cfg.PublicURL + "/saml2/idpresponse", SLOURL: h.cfg.PublicURL + "/saml2/logout", Now: h.cfg.Now,
			Assertions: h.cfg.Users,
		})
	})
	return h.samlSP, h.samlErr
}

// samlProvider is the service provider and a pool's SAML provider with
// the pool's key pair and the provider's own encryption key pair, what
// every SAML exchange needs.
func (h *Handler) samlProvider(r *http.Request, prov *userpool.Provider) (*samlfed.ServiceProvider, samlfed.Provider, error) {
	sp, err := h.samlServiceProvider()
	if err != nil {
		return nil, samlfed.Provider{}, err
	}
	key, err := h.cfg.Users.SAMLServiceKey(r.Context(), prov.PoolID)
	if err != nil {
		return nil, samlfed.Provider{}, err
	}
	enc, err := prov.EncryptionKey()
	if err != nil {
		return nil, samlfed.Provider{}, err
	}
	return sp, samlfed.Provider{PoolID: prov.PoolID, Name: prov.Name, Details: prov.Details, Key: key, EncryptionKey: enc}, nil
}

// startSAML sends the browser to the SAML provider prov with an
// AuthnRequest (HTTP-Redirect binding), the federation flow as RelayState.
func (h *Handler) startSAML(w http.ResponseWriter, r *http.Request, req *authzRequest, prov *userpool.Provider) {
	sp, p, err := h.samlProvider(r, prov)
	if err != nil {
		h.grantError(w, r, req, err)
		return
	}
	sreq, err := sp.Start(r.Context(), p)
	var refusal *samlfed.Refusal
	if errors.As(err, &refusal) {
		h.cfg.Logger.WarnContext(r.Context(), "SAML sign-in start", "provider", prov.Name, "err", err)
		h.redirectError(w, r, req, "server_error", refusal.Reason)
		return
	}
	if err != nil {
		h.grantError(w, r, req, err)
		return
	}
	f := h.beginFederation(w, flowQuery(r.URL.Query()), prov.Name)
	f.RequestID = sreq.ID
	u, err := sreq.RedirectURL(h.sealFlow(f))
	if err != nil {
		h.grantError(w, r, req, err)
		return
	}
	pageHeaders(w.Header())
	http.Redirect(w, r, u, http.StatusFound)
}

// SAMLResponse serves POST /saml2/idpresponse, the assertion consumer
// service: the IdP's answer to an AuthnRequest startSAML sent, or, when
// the provider allows it (IDPInit), an IdP-initiated one.
func (h *Handler) SAMLResponse(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxSAMLFormBytes)
	if err := r.ParseForm(); err != nil {
		h.errorPage(w, r, http.StatusBadRequest, "invalid_request", msgSAMLInvalid)
		return
	}
	response, relay := r.PostForm.Get("SAMLResponse"), r.PostForm.Get("RelayState")
	if response == "" {
		h.errorPage(w, r, http.StatusBadRequest, "invalid_request", msgSAMLMissingField)
		return
	}
	f, err := h.openFlow(r, relay)
	if err != nil {
		// Not a flow of ours: an IdP-initiated sign-in names the app's
		// authorization request in the RelayState, or it is refused.
		var ok bool
		if f, ok = h.idpInitiatedFlow(w, r, relay, err); !ok {
			return
		}
	}
	req, ok := h.flowRequest(w, r, f)
	if !ok {
		return
	}
	if f.Provider == "" {
		// IdP-initiated: the provider its RelayState names.
		f.Provider = req.Provider
	}
	prov, err := h.cfg.Users.IdentityProvider(r.Context(), req.Client.PoolID, f.Provider)
	var ce *cognito.Error
	switch {
	case f.Provider == "" || f.Provider == identityCognito:
		h.failFederation(w, r, f, "invalid_request", msgSAMLNoProvider)
		return
	case errors.As(err, &ce) && ce.Type == cognito.TypeResourceNotFound:
		h.failFederation(w, r, f, "invalid_request", ce.Message)
		return
	case err != nil:
		h.grantError(w, r, req, err)
		return
	case prov.Type != userpool.IdPTypeSAML:
		h.failFederation(w, r, f, "invalid_request", fmt.Sprintf(msgSAMLNotSAML, f.Provider))
		return
	}
	if f.RequestID == "" && prov.Details[userpool.DetailIDPInit] == "true" {
		// A client that accepts IdP-initiated sign-in supports SAML
		// providers only, as CreateUserPoolClient makes sure; this one
		// may have been made before its provider allowed IdP-initiated
		// sign-in.
		other, err := h.nonSAMLProvider(r, req.Client.PoolID, req.Client.Config.SupportedIdentityProviders)
		if err != nil {
			h.grantError(w, r, req, err)
			return
		}
		if other != "" {
			h.failFederation(w, r, f, "invalid_request", fmt.Sprintf(msgSAMLIdPInitMixed, other))
			return
		}
	}
	sp, p, err := h.samlProvider(r, prov)
	if err != nil {
		h.grantError(w, r, req, err)
		return
	}
	id, err := sp.Verify(r.Context(), p, response, f.RequestID)
	var refusal *samlfed.Refusal
	if errors.As(err, &refusal) {
		// Which check failed is for the operator, not the browser.
		h.cfg.Logger.WarnContext(r.Context(), "SAML response refused", "provider", f.Provider, "client_id", req.Client.Config.ClientID, "err", err)
		h.failFederation(w, r, f, "invalid_request", refusal.Reason)
		return
	}
	if err != nil {
		h.grantError(w, r, req, err)
		return
	}
	h.completeFederation(w, r, f, *id)
}

// idpInitiatedFlow is the flow of an IdP-initiated sign-in: its RelayState
// holds the parameters the app would send /oauth2/authorize (client_id,
// redirect_uri, response_type, scope, and identity_provider or
// idp_identifier), checked as that request would be. A RelayState that is
// neither a flow nor that is refused with why the flow did not open. It
// reports whether the sign-in may go on; if not, it has answered.
func (h *Handler) idpInitiatedFlow(w http.ResponseWriter, r *http.Request, relay string, flowErr error) (*federationFlow, bool) {
	q, err := url.ParseQuery(relay)
	if err != nil || q.Get("client_id") == "" {
		h.errorPage(w, r, http.StatusBadRequest, "invalid_request", flowErr.Error())
		return nil, false
	}
	return &federationFlow{Query: flowQuery(q)}, true
}

// nonSAMLProvider returns the first of a client's providers that is not a
// SAML provider (the pool's own directory included), or "" when all are.
// A provider deleted since the client named it signs no one in, so it
// does not count.
func (h *Handler) nonSAMLProvider(r *http.Request, poolID string, providers []string) (string, error) {
	for _, name := range providers {
		if name == identityCognito {
			return name, nil
		}
		p, err := h.cfg.Users.IdentityProvider(r.Context(), poolID, name)
		var ce *cognito.Error
		switch {
		case errors.As(err, &ce) && ce.Type == cognito.TypeResourceNotFound:
			continue
		case err != nil:
			return "", err
		case p.Type != userpool.IdPTypeSAML:
			return name, nil
		}
	}
	return "", nil
}
