package oauth2

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/upstream"
	"github.com/userpool/userpool/internal/userpool"
)

// The OIDC and social side of federation: the redirect to the upstream,
// and /oauth2/idpresponse, where the upstream sends the browser back.

const pathIDPResponse = "/oauth2/idpresponse"

// Why a federated sign-in could not start. Cognito's wording is
// unverified; these say what to fix.
const (
	msgProviderMissing = "The identity provider %s does not exist."
	msgProviderType    = "Sign-in with identity providers of type %s is not available on this server."
)

// idpResponseURL is the redirect URI Userpool registers at upstreams, as
// Cognito's https://<domain>/oauth2/idpresponse.
func (h *Handler) idpResponseURL() string { return h.cfg.PublicURL + pathIDPResponse }

// flowQuery is the authorization request a federated sign-in carries
// across the upstream: its parameters only.
func flowQuery(q url.Values) string {
	out := url.Values{}
	for _, k := range authzParams {
		if v, ok := q[k]; ok {
			out[k] = v
		}
	}
	return out.Encode()
}

// federate sends the browser to the provider req names, with Userpool's
// own state, nonce and PKCE challenge.
func (h *Handler) federate(w http.ResponseWriter, r *http.Request, req *authzRequest) {
	ctx := r.Context()
	prov, err := h.cfg.Users.IdentityProvider(ctx, req.Client.PoolID, req.Provider)
	if err != nil {
		var ce *cognito.Error
		if errors.As(err, &ce) && ce.Type == cognito.TypeResourceNotFound {
			h.redirectError(w, r, req, "invalid_request", fmt.Sprintf(msgProviderMissing, req.Provider))
			return
		}
		h.grantError(w, r, req, err)
		return
	}
	if prov.Type == userpool.IdPTypeSAML {
		h.startSAML(w, r, req, prov)
		return
	}
	if !upstream.Supports(prov.Type) {
		h.redirectError(w, r, req, "invalid_request", fmt.Sprintf(msgProviderType, prov.Type))
		return
	}
	flow := h.beginFederation(w, flowQuery(r.URL.Query()), prov.Name)
	target, err := h.cfg.Upstream.AuthCodeURL(ctx, prov, upstream.Start{
		RedirectURI: h.idpResponseURL(), State: h.sealFlow(flow), Nonce: flow.Nonce, Verifier: flow.Verifier,
	})
	if err != nil {
		h.upstreamError(w, r, req, err)
		return
	}
	pageHeaders(w.Header())
	http.Redirect(w, r, target, http.StatusFound)
}

// upstreamError sends the app the refusal of an upstream step, logging
// what is not the upstream's answer.
func (h *Handler) upstreamError(w http.ResponseWriter, r *http.Request, req *authzRequest, err error) {
	var ue *upstream.Error
	if errors.As(err, &ue) {
		h.cfg.Logger.InfoContext(r.Context(), "federated sign-in refused", "client_id", req.Client.Config.ClientID, "reason", ue.Error())
		h.redirectError(w, r, req, ue.Code, ue.Description)
		return
	}
	h.grantError(w, r, req, err)
}

// IDPResponse serves /oauth2/idpresponse, GET and POST (Apple's
// form_post): the upstream's answer to a federated sign-in begun here.
// Its error (the user cancelled, the upstream refused) goes on to the app
// as error and error_description; its code is redeemed, the ID token
// verified, and the sign-in completes (completeFederation).
func (h *Handler) IDPResponse(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		h.errorPage(w, r, http.StatusBadRequest, "invalid_request", msgFormUnreadable)
		return
	}
	flow, err := h.openFlow(r, r.FormValue("state"))
	if err != nil {
		h.errorPage(w, r, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	if code := r.FormValue("error"); code != "" {
		h.failFederation(w, r, flow, code, r.FormValue("error_description"))
		return
	}
	req, ok := h.flowRequest(w, r, flow)
	if !ok {
		return
	}
	prov, err := h.cfg.Users.IdentityProvider(r.Context(), req.Client.PoolID, flow.Provider)
	if err != nil {
		h.clearCookie(w, federationCookie)
		var ce *cognito.Error
		if errors.As(err, &ce) && ce.Type == cognito.TypeResourceNotFound {
			h.redirectError(w, r, req, "invalid_request", fmt.Sprintf(msgProviderMissing, flow.Provider))
			return
		}
		h.grantError(w, r, req, err)
		return
	}
	code := r.FormValue("code")
	if code == "" {
		h.clearCookie(w, federationCookie)
		h.redirectError(w, r, req, "invalid_request", msgUpstreamDown)
		return
	}
	id, err := h.cfg.Upstream.Finish(r.Context(), prov, upstream.Answer{
		RedirectURI: h.idpResponseURL(), Code: code, Nonce: flow.Nonce, Verifier: flow.Verifier,
		AppleUser: appleUser(prov, r),
	})
	if err != nil {
		h.clearCookie(w, federationCookie)
		h.upstreamError(w, r, req, err)
		return
	}
	h.completeFederation(w, r, flow, id)
}

// appleUser is the "user" member of Apple's form_post, which only Apple
// sends and only in the body.
func appleUser(p *userpool.Provider, r *http.Request) string {
	if p.Type != userpool.IdPTypeApple {
		return ""
	}
	return r.PostFormValue("user")
}
