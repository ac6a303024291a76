package oauth2

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/cors"
	"github.com/userpool/userpool/internal/userpool"
)

// clientCredentials is how a token or revocation request authenticates
// its client: client_secret_basic (HTTP Basic), client_secret_post
// (client_id and client_secret in the form), or a public client's bare
// client_id.
type clientCredentials struct {
	id string
	// secrets are the forms the presented secret may take: as decoded
	// from Basic's form-encoding, and as sent (see readClientCredentials).
	secrets []string
	// basic is true when the credentials came in an Authorization header:
	// their failure is then a 401 with a WWW-Authenticate challenge.
	basic bool
}

// readClientCredentials reads the client's credentials from the request.
// RFC 6749 2.3.1 has Basic's id and secret form-encoded before base64, so
// they are decoded; many clients send them raw, though, and a secret may
// hold a '+' (Cognito's secrets are [\w+]+), which decoding would turn
// into a space. Both readings of the secret are tried, each in constant
// time; either proves the client knows it.
func readClientCredentials(r *http.Request, form url.Values) (clientCredentials, *auth.OAuthError) {
	authz := r.Header.Get("Authorization")
	if authz == "" {
		id := form.Get("client_id")
		if id == "" {
			return clientCredentials{}, &auth.OAuthError{Code: auth.OAuthInvalidClient, Description: tokenMsgClientMissing}
		}
		cc := clientCredentials{id: id}
		if s, ok := form["client_secret"]; ok {
			cc.secrets = s[:1]
		}
		return cc, nil
	}
	cc := clientCredentials{basic: true}
	scheme, payload, _ := strings.Cut(authz, " ")
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(payload))
	rawID, rawSecret, ok := strings.Cut(string(raw), ":")
	if !strings.EqualFold(scheme, "Basic") || err != nil || !ok || rawID == "" {
		return cc, &auth.OAuthError{Code: auth.OAuthInvalidClient, Description: tokenMsgBasic}
	}
	cc.id = rawID
	if id, err := url.QueryUnescape(rawID); err == nil {
		cc.id = id
	}
	cc.secrets = []string{rawSecret}
	if s, err := url.QueryUnescape(rawSecret); err == nil && s != rawSecret {
		cc.secrets = []string{s, rawSecret}
	}
	// One method only (RFC 6749 2.3): a secret in the form as well is
	// ambiguous; a client_id in the form must name the same client.
	if _, ok := form["client_secret"]; ok {
		return cc, &auth.OAuthError{Code: auth.OAuthInvalidRequest, Description: tokenMsgTwoMethods}
	}
	if id, ok := form["client_id"]; ok && id[0] != cc.id {
		return cc, &auth.OAuthError{Code: auth.OAuthInvalidClient, Description: tokenMsgClientDiffers}
	}
	return cc, nil
}

// authenticateClient loads the client the credentials name and checks
// them: a client with a secret must present it; a client without one
// (a public client) must not present one, though an empty secret is
// accepted, since x/oauth2 and others send "client_id:" in Basic for
// public clients. Every failure is invalid_client.
func (h *Handler) authenticateClient(ctx context.Context, cc clientCredentials) (*userpool.AppClient, error) {
	client, err := h.cfg.Users.Client(ctx, cc.id)
	if errors.Is(err, cognito.ResourceNotFound("")) {
		return nil, &auth.OAuthError{Code: auth.OAuthInvalidClient, Description: fmt.Sprintf(tokenMsgClientUnknown, cc.id)}
	}
	if err != nil {
		return nil, err
	}
	presented := len(cc.secrets) > 0 && cc.secrets[0] != ""
	switch {
	case client.Secret == "" && presented:
		return nil, &auth.OAuthError{Code: auth.OAuthInvalidClient, Description: fmt.Sprintf(tokenMsgSecretless, cc.id)}
	case client.Secret == "":
		return client, nil
	case !presented:
		return nil, &auth.OAuthError{Code: auth.OAuthInvalidClient, Description: fmt.Sprintf(tokenMsgSecretMissing, cc.id)}
	}
	match := false
	for _, s := range cc.secrets {
		// Either of a rotating client's two secrets is accepted.
		match = client.MatchesSecret(s) || match
	}
	if !match {
		return nil, &auth.OAuthError{Code: auth.OAuthInvalidClient, Description: tokenMsgSecretWrong}
	}
	return client, nil
}

// clientErrorStatus is the status of a token-endpoint error: 400, except
// invalid_client after HTTP Basic, which RFC 6749 5.2 makes a 401 with a
// challenge for the scheme the client used. Cognito's guide shows a 400
// for invalid_client otherwise, which we keep.
func clientErrorStatus(w http.ResponseWriter, basic bool) func(*auth.OAuthError) int {
	return func(e *auth.OAuthError) int {
		if e.Code == auth.OAuthInvalidClient && basic {
			w.Header().Set("WWW-Authenticate", "Basic")
			return http.StatusUnauthorized
		}
		return http.StatusBadRequest
	}
}

// postClient is how the token and revocation endpoints start: headers open
// to any origin and no-store, POST only (OPTIONS answers a browser's
// preflight), the form read once, and the client authenticated. statusFor
// gives the HTTP status of a client-authentication failure, which differs
// between the two endpoints and is returned for the endpoint's later
// failures. It reports whether the request may go on; when it may not,
// the answer is written.
func (h *Handler) postClient(w http.ResponseWriter, r *http.Request, statusFor func(http.ResponseWriter, bool) func(*auth.OAuthError) int) (url.Values, *userpool.AppClient, func(*auth.OAuthError) int, bool) {
	hd := w.Header()
	cors.Allow(hd)
	noStore(hd)
	switch r.Method {
	case http.MethodPost:
	case http.MethodOptions:
		cors.Preflight(w, r, http.MethodPost)
		return nil, nil, nil, false
	default:
		methodNotAllowed(w, "POST, OPTIONS")
		return nil, nil, nil, false
	}
	form, oerr := readTokenForm(w, r)
	if oerr != nil {
		writeOAuthError(w, http.StatusBadRequest, oerr)
		return nil, nil, nil, false
	}
	cc, oerr := readClientCredentials(r, form)
	status := statusFor(w, cc.basic)
	if oerr != nil {
		writeOAuthError(w, status(oerr), oerr)
		return nil, nil, nil, false
	}
	client, err := h.authenticateClient(r.Context(), cc)
	if err != nil {
		h.oauthFailure(w, r, err, status)
		return nil, nil, nil, false
	}
	return form, client, status, true
}
