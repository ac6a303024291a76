package oauth2

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/userpool"
)

// Response types and the OAuth flow of an app client each one needs.
const (
	responseCode    = "code"
	responseToken   = "token"
	identityCognito = "COGNITO"
	pkceS256        = "S256"
)

var flowOf = map[string]string{responseCode: cognito.OAuthFlowCode, responseToken: cognito.OAuthFlowImplicit}

// scopesNeedingOpenID are the standard scopes Cognito grants only with
// openid.
var scopesNeedingOpenID = []string{"email", "phone", "profile"}

// The words of the authorize errors. Cognito's error page says only "An
// error was encountered with the requested page."; the detail under it is
// ours (Cognito's wording is unverified) and says what to fix. The
// error_description of redirected errors is ours too: Cognito sends the
// error code alone in most cases, and a description is harmless to
// clients that ignore it.
const (
	msgClientIDMissing     = "The client_id parameter is missing."
	msgRedirectMissing     = "The redirect_uri parameter is missing."
	msgRedirectMismatch    = "The redirect_uri is not one of the app client's callback URLs."
	msgResponseTypeMissing = "response_type is missing."
	msgResponseType        = "response_type must be code or token."
	msgNotOAuthClient      = "The app client is not allowed to use OAuth flows."
	msgFlowNotAllowed      = "The app client does not allow the %s flow."
	msgNoCognitoProvider   = "The app client does not allow sign-in with the COGNITO identity provider."
	msgNoProviders         = "The app client supports no identity provider (SupportedIdentityProviders)."
	msgIdentityProvider    = "The app client does not support the identity provider %s."
	msgIdpIdentifier       = "No identity provider has the identifier given in idp_identifier."
	msgChallengeMethod     = "code_challenge_method must be S256."
	msgChallengeNoMethod   = "code_challenge_method is required with code_challenge, and must be S256."
	msgMethodNoChallenge   = "code_challenge is required with code_challenge_method."
	msgChallengeFormat     = "code_challenge must be 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_' and '~'."
	msgScopeNotAllowed     = "The app client does not allow the scope %s."
	msgScopeNeedsOpenID    = "The scope %s requires the openid scope."
	msgServerError         = "The server could not complete the request."
	msgNoDomain            = "The app client's user pool has no domain: its hosted pages are served once it has one (CreateUserPoolDomain)."
)

// authzRequest is a validated authorization request: /oauth2/authorize,
// and /login, which carries the same parameters.
type authzRequest struct {
	Client              *userpool.AppClient
	ResponseType        string
	RedirectURI         string
	State               string
	Scopes              []string
	Nonce               string
	CodeChallenge       string
	CodeChallengeMethod string
	// Provider is the identity provider the request asks for by
	// identity_provider or idp_identifier: COGNITO, a provider of the
	// pool, or "" to let the user choose on the login page.
	Provider string
}

// authzError is why an authorization request was refused. Until client_id
// and redirect_uri are known good the error is shown on a page (Page set):
// redirecting to an unchecked URI would make the server an open redirector.
// After that it is sent to the client's redirect URI as RFC 6749 says.
type authzError struct {
	Page        bool
	Code        string
	Description string
}

// parseAuthorize checks an authorization request's parameters against its
// app client. It returns a non-nil authzError for a request to refuse, and
// an error only when the server failed.
func (h *Handler) parseAuthorize(ctx context.Context, q url.Values) (*authzRequest, *authzError, error) {
	clientID := q.Get("client_id")
	if clientID == "" {
		return nil, &authzError{Page: true, Code: "invalid_request", Description: msgClientIDMissing}, nil
	}
	client, err := h.cfg.Users.Client(ctx, clientID)
	if err != nil {
		var ce *cognito.Error
		if errors.As(err, &ce) && ce.Type == cognito.TypeResourceNotFound {
			return nil, &authzError{Page: true, Code: "invalid_client", Description: ce.Message}, nil
		}
		return nil, nil, err
	}
	// The hosted endpoints are a pool domain's, as on Cognito: a pool
	// without one has none.
	switch hasDomain, err := h.cfg.Users.PoolHasDomain(ctx, client.PoolID); {
	case err != nil:
		return nil, nil, err
	case !hasDomain:
		return nil, &authzError{Page: true, Code: "invalid_request", Description: msgNoDomain}, nil
	}
	redirect := q.Get("redirect_uri")
	if redirect == "" {
		return nil, &authzError{Page: true, Code: "invalid_request", Description: msgRedirectMissing}, nil
	}
	if !slices.Contains(client.Config.CallbackURLs, redirect) {
		return nil, &authzError{Page: true, Code: "redirect_mismatch", Description: msgRedirectMismatch}, nil
	}
	req := &authzRequest{
		Client:              client,
		ResponseType:        q.Get("response_type"),
		RedirectURI:         redirect,
		State:               q.Get("state"),
		Nonce:               q.Get("nonce"),
		CodeChallenge:       q.Get("code_challenge"),
		CodeChallengeMethod: q.Get("code_challenge_method"),
		Provider:            q.Get("identity_provider"),
	}
	if ident := q.Get("idp_identifier"); ident != "" && req.Provider == "" {
		prov, err := h.cfg.Users.IdentityProviderByIdentifier(ctx, client.PoolID, ident)
		var ce *cognito.Error
		switch {
		case errors.As(err, &ce) && ce.Type == cognito.TypeResourceNotFound:
			return req, &authzError{Code: "invalid_request", Description: msgIdpIdentifier}, nil
		case err != nil:
			return nil, nil, err
		}
		req.Provider = prov.Name
	}
	if e := req.check(q); e != nil {
		return req, e, nil
	}
	return req, nil, nil
}

// check applies the rules whose failures are redirected to the client.
// The order is the one a developer fixes them in: what is asked, whether
// the client may ask it, then the details.
func (req *authzRequest) check(q url.Values) *authzError {
	cfg := req.Client.Config
	flow, ok := flowOf[req.ResponseType]
	switch {
	case req.ResponseType == "":
		return &authzError{Code: "invalid_request", Description: msgResponseTypeMissing}
	case !ok:
		return &authzError{Code: "unsupported_response_type", Description: msgResponseType}
	case cfg.AllowedOAuthFlowsUserPoolClient == nil || !*cfg.AllowedOAuthFlowsUserPoolClient:
		return &authzError{Code: "unauthorized_client", Description: msgNotOAuthClient}
	case !slices.Contains(cfg.AllowedOAuthFlows, flow):
		return &authzError{Code: "unauthorized_client", Description: fmt.Sprintf(msgFlowNotAllowed, flow)}
	}
	// Cognito's hosted pages offer only the identity providers the client
	// lists: one named must be among them, and a client that lists none
	// has no way to sign in at all.
	if idp := req.Provider; idp != "" && !slices.Contains(cfg.SupportedIdentityProviders, idp) {
		return &authzError{Code: "invalid_request", Description: fmt.Sprintf(msgIdentityProvider, idp)}
	}
	if len(cfg.SupportedIdentityProviders) == 0 {
		return &authzError{Code: "unauthorized_client", Description: msgNoProviders}
	}
	if e := req.checkPKCE(); e != nil {
		return e
	}
	scopes, e := checkScopes(q.Get("scope"), cfg.AllowedOAuthScopes)
	if e != nil {
		return e
	}
	req.Scopes = scopes
	return nil
}

// checkPKCE allows only S256 (RFC 7636): plain would let whoever sees the
// authorization request redeem the code.
func (req *authzRequest) checkPKCE() *authzError {
	switch {
	case req.CodeChallenge == "" && req.CodeChallengeMethod == "":
		return nil
	case req.CodeChallenge == "":
		return &authzError{Code: "invalid_request", Description: msgMethodNoChallenge}
	case req.CodeChallengeMethod == "":
		return &authzError{Code: "invalid_request", Description: msgChallengeNoMethod}
	case req.CodeChallengeMethod != pkceS256:
		return &authzError{Code: "invalid_request", Description: msgChallengeMethod}
	case !validChallenge(req.CodeChallenge):
		return &authzError{Code: "invalid_request", Description: msgChallengeFormat}
	}
	return nil
}

// validChallenge is RFC 7636's code_challenge syntax.
func validChallenge(s string) bool {
	if len(s) < 43 || len(s) > 128 {
		return false
	}
	for _, c := range []byte(s) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
		default:
			return false
		}
	}
	return true
}

// checkScopes returns the scopes granted for a scope parameter: each one
// asked for, which the client must allow, or all of the client's scopes
// when none is asked for. email, phone and profile come only with openid.
func checkScopes(param string, allowed []string) ([]string, *authzError) {
	asked := strings.Fields(param)
	if len(asked) == 0 {
		asked = allowed
	}
	var out []string
	for _, s := range asked {
		if !slices.Contains(allowed, s) {
			return nil, &authzError{Code: "invalid_scope", Description: fmt.Sprintf(msgScopeNotAllowed, s)}
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if !slices.Contains(out, "openid") {
		for _, s := range out {
			if slices.Contains(scopesNeedingOpenID, s) {
				return nil, &authzError{Code: "invalid_scope", Description: fmt.Sprintf(msgScopeNeedsOpenID, s)}
			}
		}
	}
	return out, nil
}

// Authorize serves GET /oauth2/authorize. A browser with a hosted session
// for the client's pool goes straight back to the client with a code (or
// tokens); any other is sent to the login page with the same parameters.
func (h *Handler) Authorize(w http.ResponseWriter, r *http.Request) {
	req, ok := h.authorizeRequest(w, r)
	if !ok {
		return
	}
	// A provider named goes straight upstream, session or not: the
	// hosted session is the pool directory's.
	if req.Provider != "" && req.Provider != identityCognito {
		h.federate(w, r, req)
		return
	}
	if s, ok := h.session(r); ok && s.Pool == req.Client.PoolID {
		u, valid, err := h.cfg.Auth.HostedUser(r.Context(), s.Pool, s.Sub)
		if err != nil {
			h.grantError(w, r, req, err)
			return
		}
		if valid && auth.HostedSessionHolds(u, s.issued()) {
			h.finish(w, r, req, s.Sub, time.Unix(s.AuthTime, 0))
			return
		}
	}
	pageHeaders(w.Header())
	http.Redirect(w, r, "/login?"+r.URL.RawQuery, http.StatusFound)
}

// authorizeRequest parses the request's authorization parameters and
// answers the refusals itself; it reports whether the request may go on.
func (h *Handler) authorizeRequest(w http.ResponseWriter, r *http.Request) (*authzRequest, bool) {
	return h.checkAuthorize(w, r, r.URL.Query(), "authorize")
}

// checkAuthorize parses the authorization parameters q and answers the
// refusals itself; what names the step in the log.
func (h *Handler) checkAuthorize(w http.ResponseWriter, r *http.Request, q url.Values, what string) (*authzRequest, bool) {
	req, aerr, err := h.parseAuthorize(r.Context(), q)
	switch {
	case err != nil:
		h.cfg.Logger.ErrorContext(r.Context(), what, "err", err)
		h.errorPage(w, r, http.StatusInternalServerError, "server_error", msgServerError)
		return nil, false
	case aerr != nil && aerr.Page:
		h.errorPage(w, r, http.StatusBadRequest, aerr.Code, aerr.Description)
		return nil, false
	case aerr != nil:
		h.redirectError(w, r, req, aerr.Code, aerr.Description)
		return nil, false
	}
	return req, true
}

// redirectError sends an error to the client's (checked) redirect URI, in
// the query as Cognito does, with the request's state.
func (h *Handler) redirectError(w http.ResponseWriter, r *http.Request, req *authzRequest, code, description string) {
	v := url.Values{"error": {code}}
	if description != "" {
		v.Set("error_description", description)
	}
	if req.State != "" {
		v.Set("state", req.State)
	}
	pageHeaders(w.Header())
	http.Redirect(w, r, withQuery(req.RedirectURI, v.Encode()), http.StatusFound)
}

// grantError tells the client, whose redirect URI is known good, why the
// engine refused to grant a code or tokens: its OAuth error (a user
// disabled since the session began is access_denied), or server_error for
// a failure, which is logged.
func (h *Handler) grantError(w http.ResponseWriter, r *http.Request, req *authzRequest, err error) {
	var oe *auth.OAuthError
	if errors.As(err, &oe) {
		h.redirectError(w, r, req, oe.Code, oe.Description)
		return
	}
	h.cfg.Logger.ErrorContext(r.Context(), "hosted sign-in", "client_id", req.Client.Config.ClientID, "err", err)
	h.redirectError(w, r, req, "server_error", msgServerError)
}

// withQuery appends an encoded query to a URL that may already have one.
// Callback URLs cannot have a fragment, so appending is enough.
func withQuery(base, query string) string {
	if strings.Contains(base, "?") {
		return base + "&" + query
	}
	return base + "?" + query
}

// finish sends a signed-in user back to the client: with an authorization
// code (response_type=code), or with the tokens in the fragment
// (response_type=token, where the browser keeps them from the server
// behind the redirect URI).
func (h *Handler) finish(w http.ResponseWriter, r *http.Request, req *authzRequest, sub string, authTime time.Time) {
	cr := auth.CodeRequest{
		PoolID:              req.Client.PoolID,
		ClientID:            req.Client.Config.ClientID,
		Sub:                 sub,
		RedirectURI:         req.RedirectURI,
		Scopes:              req.Scopes,
		Nonce:               req.Nonce,
		CodeChallenge:       req.CodeChallenge,
		CodeChallengeMethod: req.CodeChallengeMethod,
		AuthTime:            authTime,
	}
	pageHeaders(w.Header())
	if req.ResponseType == responseCode {
		code, err := h.cfg.Auth.IssueCode(r.Context(), cr)
		if err != nil {
			h.grantError(w, r, req, err)
			return
		}
		v := url.Values{"code": {code}}
		if req.State != "" {
			v.Set("state", req.State)
		}
		http.Redirect(w, r, withQuery(req.RedirectURI, v.Encode()), http.StatusFound)
		return
	}
	ts, err := h.cfg.Auth.ImplicitTokens(r.Context(), cr)
	if err != nil {
		h.grantError(w, r, req, err)
		return
	}
	// Built by hand to keep Cognito's order of members.
	frag := "access_token=" + url.QueryEscape(ts.AccessToken)
	if ts.IDToken != "" {
		frag += "&id_token=" + url.QueryEscape(ts.IDToken)
	}
	frag += "&token_type=Bearer&expires_in=" + strconv.FormatInt(ts.ExpiresIn, 10)
	if req.State != "" {
		frag += "&state=" + url.QueryEscape(req.State)
	}
	http.Redirect(w, r, req.RedirectURI+"#"+frag, http.StatusFound)
}
