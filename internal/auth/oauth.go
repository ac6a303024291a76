package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/tokens"
	"github.com/userpool/userpool/internal/triggers"
	"github.com/userpool/userpool/internal/userpool"
)

// This file is the engine's side of the hosted OAuth 2.0 endpoints: the
// codes the hosted pages grant, the grants of /oauth2/token, and
// /oauth2/userInfo. Their failures are *OAuthError values, which the
// endpoints write as RFC 6749 errors.

// OAuth 2.0 error codes (RFC 6749 5.2 and 4.1.2.1, RFC 6750, RFC 7009).
const (
	OAuthInvalidRequest       = "invalid_request"
	OAuthInvalidClient        = "invalid_client"
	OAuthInvalidGrant         = "invalid_grant"
	OAuthUnauthorizedClient   = "unauthorized_client"
	OAuthUnsupportedGrantType = "unsupported_grant_type"
	OAuthInvalidScope         = "invalid_scope"
	OAuthAccessDenied         = "access_denied"
	OAuthInvalidToken         = "invalid_token"
	OAuthUnsupportedTokenType = "unsupported_token_type"
)

// OAuthError is an OAuth 2.0 error: Code is the RFC 6749 error code and
// Description its error_description.
type OAuthError struct {
	Code        string
	Description string
}

func (e *OAuthError) Error() string {
	if e.Description == "" {
		return e.Code
	}
	return e.Code + ": " + e.Description
}

// Is reports whether target is an *OAuthError with the same Code, so
// callers can write errors.Is(err, &auth.OAuthError{Code: auth.OAuthInvalidGrant}).
func (e *OAuthError) Is(target error) bool {
	t, ok := target.(*OAuthError)
	return ok && t.Code == e.Code
}

func oauthError(code, description string) *OAuthError {
	return &OAuthError{Code: code, Description: description}
}

// MsgInvalidAccessToken is the error_description of every refused access
// token at /oauth2/userInfo (Cognito's wording): the endpoint does not
// tell an expired token from a revoked one.
const MsgInvalidAccessToken = "Access token is expired, disabled, or deleted, or the user has globally signed out."

// Descriptions of the grant failures. Cognito answers most of them with a
// bare {"error":"invalid_grant"}; a description costs clients nothing and
// tells a developer which check failed.
const (
	msgCodeInvalid       = "Invalid authorization code."
	msgCodeClient        = "The authorization code was not issued to this client."
	msgCodeRedirect      = "redirect_uri does not match the authorization request."
	msgVerifierMissing   = "code_verifier is required: the authorization request had a code_challenge."
	msgVerifierMismatch  = "code_verifier does not match the code_challenge."
	msgVerifierUnwanted  = "code_verifier was sent, but the authorization request had no code_challenge."
	msgChallengeMethod   = "code_challenge_method must be S256."
	msgUserGone          = "The user no longer exists."
	msgScopeUnreadable   = "The client cannot read the attributes the %s scope releases."
	msgDeviceRefresh     = "Refresh tokens of remembered devices cannot be used at the token endpoint."
	msgOAuthNotAllowed   = "The client is not allowed to use OAuth flows."
	msgFlowNotAllowed    = "The client is not allowed the %s flow."
	msgNoSecret          = "The client_credentials grant needs a client with a secret."
	msgScopeNotAllowed   = "Scope %s is not allowed for this client."
	msgScopeNotCustom    = "Scope %s is not a resource server scope."
	msgNoScopes          = "The client has no resource server scopes to grant."
	msgMissingCode       = "Missing code."
	msgMissingRedirect   = "Missing redirect_uri."
	msgMissingRefresh    = "Missing refresh_token."
	msgClientPoolMissing = "The client does not belong to the user pool."
)

// CodeTTL is how long an authorization code is valid: five minutes, as on
// Cognito.
const CodeTTL = 5 * time.Minute

// CodeRequest is an authorization the hosted pages grant after a sign-in.
type CodeRequest struct {
	PoolID, ClientID, Sub string
	RedirectURI           string
	Scopes                []string // already checked against the client
	Nonce                 string
	CodeChallenge         string // PKCE, S256 only; "" without PKCE
	CodeChallengeMethod   string
	AuthTime              time.Time
}

// PKCE code challenge method; Cognito supports only S256.
const PKCEMethodS256 = "S256"

// codeID is what the store keeps of a code: its hex SHA-256.
func codeID(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

// codeFamilySpace namespaces the family ids derived from codes.
var codeFamilySpace = uuid.MustParse("5d0c3f0e-8a4b-4c55-9b1e-3f6a2d7c9e41")

// codeFamilyID is the id of the refresh-token family an authorization
// code's redemption starts, derived from the code itself so that a replay
// of the code, which finds nothing left in the store, can still name the
// sign-in to revoke. A SHA-256 based UUID (version 8): the id is the
// tokens' origin_jti, and reveals nothing of the code.
func codeFamilyID(code string) string {
	return uuid.NewHash(sha256.New(), codeFamilySpace, []byte(code), 8).String()
}

// IssueCode stores a single-use authorization code valid 5 minutes (only
// its SHA-256 is stored) and returns it. The client must belong to the
// pool and allow the code flow, and the user must still be enabled (a
// hosted session may outlive an AdminDisableUser); otherwise the error is
// an *OAuthError the authorize endpoint can redirect with.
func (e *Engine) IssueCode(ctx context.Context, r CodeRequest) (string, error) {
	if r.CodeChallenge != "" || r.CodeChallengeMethod != "" {
		if r.CodeChallenge == "" || r.CodeChallengeMethod != PKCEMethodS256 {
			return "", oauthError(OAuthInvalidRequest, msgChallengeMethod)
		}
	}
	_, client, _, err := e.authorizeCheck(ctx, r, cognito.OAuthFlowCode)
	if err != nil {
		return "", err
	}
	// 256 random bits: the code is a bearer credential for five minutes.
	b := make([]byte, 32)
	rand.Read(b)
	code := base64.RawURLEncoding.EncodeToString(b)
	now := e.now()
	err = e.cfg.Store.CreateAuthCode(ctx, store.AuthCode{
		ID: codeID(code), PoolID: r.PoolID, ClientID: client.Config.ClientID, Sub: r.Sub,
		RedirectURI: r.RedirectURI, Scopes: r.Scopes, Nonce: r.Nonce,
		CodeChallenge: r.CodeChallenge, CodeChallengeMethod: r.CodeChallengeMethod,
		AuthTime: r.AuthTime.UTC(), CreatedAt: now, ExpiresAt: now.Add(CodeTTL),
	})
	if errors.Is(err, store.ErrNotFound) {
		return "", oauthError(OAuthAccessDenied, msgUserGone)
	}
	if err != nil {
		return "", fmt.Errorf("create auth code: %w", err)
	}
	return code, nil
}

// ImplicitTokens mints the tokens of response_type=token: an access token,
// and an ID token when openid is among the scopes; no refresh token.
//
// The tokens still get a refresh-token family, whose token is thrown
// away: its id is their origin_jti, so a global sign-out, which revokes
// every family of the user, revokes them as it does every other token.
func (e *Engine) ImplicitTokens(ctx context.Context, r CodeRequest) (*TokenSet, error) {
	pool, client, u, err := e.authorizeCheck(ctx, r, cognito.OAuthFlowImplicit)
	if err != nil {
		return nil, err
	}
	_, fam, err := e.cfg.Tokens.StartFamily(ctx, tokens.NewFamily{
		PoolID: pool.ID, ClientID: client.Config.ClientID, Sub: u.Sub, AuthTime: r.AuthTime,
		Scopes: r.Scopes, TTL: max(client.AccessTokenTTL(), client.IDTokenTTL()),
	})
	if err != nil {
		return nil, err
	}
	return e.oauthTokens(ctx, pool, client, u, fam, r.Nonce, "", triggers.TokenHostedAuth)
}

// authorizeCheck loads the client and the user of a hosted-page
// authorization. It checks again what the authorize endpoint has checked,
// so a mistake there cannot mint tokens the client was never allowed, and
// that the user may still sign in.
func (e *Engine) authorizeCheck(ctx context.Context, r CodeRequest, flow string) (*cognito.UserPoolType, *userpool.AppClient, store.User, error) {
	pool, client, err := e.client(ctx, r.ClientID, "", false)
	if errors.Is(err, cognito.ResourceNotFound("")) {
		return nil, nil, store.User{}, oauthError(OAuthInvalidClient, "Client "+r.ClientID+" does not exist.")
	}
	if err != nil {
		return nil, nil, store.User{}, err
	}
	if pool.ID != r.PoolID {
		return nil, nil, store.User{}, oauthError(OAuthInvalidRequest, msgClientPoolMissing)
	}
	if err := AllowOAuthFlow(client, flow); err != nil {
		return nil, nil, store.User{}, err
	}
	u, err := e.oauthUser(ctx, pool, r.Sub, OAuthAccessDenied)
	if err != nil {
		return nil, nil, store.User{}, err
	}
	return pool, client, u, nil
}

// AllowOAuthFlow checks that a client may use an OAuth flow
// (cognito.OAuthFlowCode, ...): it must have AllowedOAuthFlowsUserPoolClient
// and the flow among its AllowedOAuthFlows. The failure is
// unauthorized_client.
func AllowOAuthFlow(client *userpool.AppClient, flow string) error {
	c := client.Config
	if c.AllowedOAuthFlowsUserPoolClient == nil || !*c.AllowedOAuthFlowsUserPoolClient {
		return oauthError(OAuthUnauthorizedClient, msgOAuthNotAllowed)
	}
	if !slices.Contains(c.AllowedOAuthFlows, flow) {
		return oauthError(OAuthUnauthorizedClient, fmt.Sprintf(msgFlowNotAllowed, flow))
	}
	return nil
}

// oauthUser returns a user who may still get tokens, or the OAuth error
// code given: invalid_grant at the token endpoint, access_denied at the
// authorize endpoint.
func (e *Engine) oauthUser(ctx context.Context, pool *cognito.UserPoolType, sub, code string) (store.User, error) {
	u, err := e.cfg.Users.UserBySub(ctx, pool.ID, sub)
	if errors.Is(err, cognito.UserNotFound("")) {
		return store.User{}, oauthError(code, msgUserGone)
	}
	if err != nil {
		return store.User{}, err
	}
	if !u.Enabled {
		return store.User{}, oauthError(code, msgDisabled)
	}
	if u.Status == cognito.UserStatusResetRequired {
		return store.User{}, oauthError(code, msgResetRequired)
	}
	return u, nil
}

// CodeExchange is an authorization_code grant of an authenticated client.
type CodeExchange struct {
	Client       *userpool.AppClient
	Code         string
	RedirectURI  string
	CodeVerifier string
}

// ExchangeCode runs the authorization_code grant. The code is used up
// whatever happens next, so a code cannot be tried twice, even by the
// client it belongs to after a failed attempt. The refresh token's family
// keeps the granted scopes, so refreshes mint the same ones.
func (e *Engine) ExchangeCode(ctx context.Context, x CodeExchange) (*TokenSet, error) {
	client := x.Client
	if err := AllowOAuthFlow(client, cognito.OAuthFlowCode); err != nil {
		return nil, err
	}
	if x.Code == "" {
		return nil, oauthError(OAuthInvalidRequest, msgMissingCode)
	}
	if x.RedirectURI == "" {
		return nil, oauthError(OAuthInvalidRequest, msgMissingRedirect)
	}
	now := e.now()
	c, err := e.cfg.Store.ConsumeAuthCode(ctx, codeID(x.Code), now)
	if errors.Is(err, store.ErrNotFound) {
		// The code was used, has expired, or never existed. If it was
		// redeemed, someone else holds it too: the sign-in it started is
		// revoked (RFC 6749 §4.1.2). Of a code that was never redeemed
		// there is no family, and nothing happens.
		if err := e.cfg.Tokens.RevokeFamily(ctx, codeFamilyID(x.Code)); err != nil {
			return nil, err
		}
		return nil, oauthError(OAuthInvalidGrant, msgCodeInvalid)
	}
	if err != nil {
		return nil, fmt.Errorf("consume auth code: %w", err)
	}
	if c.ClientID != client.Config.ClientID {
		return nil, oauthError(OAuthInvalidGrant, msgCodeClient)
	}
	if c.RedirectURI != x.RedirectURI {
		return nil, oauthError(OAuthInvalidGrant, msgCodeRedirect)
	}
	if err := checkPKCE(c, x.CodeVerifier); err != nil {
		return nil, err
	}
	pool, err := e.cfg.Users.Pool(ctx, c.PoolID)
	if err != nil {
		return nil, err
	}
	u, err := e.oauthUser(ctx, pool, c.Sub, OAuthInvalidGrant)
	if err != nil {
		return nil, err
	}
	if err := checkScopesReadable(client, c.Scopes); err != nil {
		return nil, err
	}
	refresh, fam, err := e.cfg.Tokens.StartFamily(ctx, tokens.NewFamily{
		PoolID: pool.ID, ClientID: client.Config.ClientID, Sub: u.Sub, AuthTime: c.AuthTime,
		Scopes: c.Scopes, TTL: client.RefreshTokenTTL(), ID: codeFamilyID(x.Code),
	})
	if err != nil {
		return nil, err
	}
	return e.oauthTokens(ctx, pool, client, u, fam, c.Nonce, refresh, triggers.TokenHostedAuth)
}

// checkPKCE verifies the code_verifier against the code's challenge (RFC
// 7636, S256 only). A verifier for a code issued without a challenge is
// refused too, as RFC 9700 asks, so an attacker cannot strip PKCE off an
// authorization request.
func checkPKCE(c store.AuthCode, verifier string) error {
	switch {
	case c.CodeChallenge == "" && verifier == "":
		return nil
	case c.CodeChallenge == "":
		return oauthError(OAuthInvalidGrant, msgVerifierUnwanted)
	case verifier == "":
		return oauthError(OAuthInvalidGrant, msgVerifierMissing)
	case c.CodeChallengeMethod != PKCEMethodS256:
		return oauthError(OAuthInvalidGrant, msgChallengeMethod)
	}
	sum := sha256.Sum256([]byte(verifier))
	want := base64.RawURLEncoding.EncodeToString(sum[:])
	if !validVerifier(verifier) || subtle.ConstantTimeCompare([]byte(want), []byte(c.CodeChallenge)) != 1 {
		return oauthError(OAuthInvalidGrant, msgVerifierMismatch)
	}
	return nil
}

// validVerifier is RFC 7636's code_verifier syntax: 43 to 128 unreserved
// characters.
func validVerifier(v string) bool {
	if len(v) < 43 || len(v) > 128 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		ok := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~'
		if !ok {
			return false
		}
	}
	return true
}

// scopeAttributes are the attributes the email and phone scopes release:
// Cognito's token endpoint refuses the code of a client that asked for
// one of these scopes without being allowed to read all of its
// attributes (invalid_grant, per its developer guide).
var scopeAttributes = map[string][]string{
	"email": {"email", "email_verified"},
	"phone": {"phone_number", "phone_number_verified"},
}

func checkScopesReadable(client *userpool.AppClient, scopes []string) error {
	read := client.Config.ReadAttributes
	if len(read) == 0 { // no list: the client reads everything
		return nil
	}
	for _, sc := range scopes {
		for _, a := range scopeAttributes[sc] {
			if !slices.Contains(read, a) {
				return oauthError(OAuthInvalidGrant, fmt.Sprintf(msgScopeUnreadable, sc))
			}
		}
	}
	return nil
}

// RefreshGrant runs the refresh_token grant, exactly as
// GetTokensFromRefreshToken: new ID and access tokens with the scopes of
// the sign-in, and a new refresh token only when the client rotates them
// (honouring its grace period). Every refused token is invalid_grant.
func (e *Engine) RefreshGrant(ctx context.Context, client *userpool.AppClient, refreshToken string) (*TokenSet, error) {
	if err := AllowOAuthFlow(client, cognito.OAuthFlowCode); err != nil {
		return nil, err
	}
	if refreshToken == "" {
		return nil, oauthError(OAuthInvalidRequest, msgMissingRefresh)
	}
	pool, err := e.cfg.Users.Pool(ctx, client.PoolID)
	if err != nil {
		return nil, err
	}
	grace := time.Duration(0)
	if rotates(client) {
		grace = graceOf(client)
	}
	r, err := e.cfg.Tokens.Redeem(ctx, refreshToken, client.Config.ClientID, grace)
	if err != nil {
		return nil, refreshGrantError(err)
	}
	// Cognito's token endpoint refreshes only sign-ins without a
	// remembered device; those refresh through the API with DEVICE_KEY.
	if r.Family.DeviceKey != "" {
		return nil, oauthError(OAuthInvalidGrant, msgDeviceRefresh)
	}
	u, err := e.oauthUser(ctx, pool, r.Family.Sub, OAuthInvalidGrant)
	if err != nil {
		return nil, err
	}
	next := ""
	if rotates(client) {
		if next, err = e.cfg.Tokens.Rotate(ctx, r, grace); err != nil {
			return nil, refreshGrantError(err)
		}
	}
	return e.oauthTokens(ctx, pool, client, u, r.Family, "", next, triggers.TokenRefreshTokens)
}

// refreshGrantError turns a refresh-token failure into invalid_grant,
// keeping the API's message as the description.
func refreshGrantError(err error) error {
	switch {
	case errors.Is(err, tokens.ErrRefreshInvalid), errors.Is(err, tokens.ErrRefreshRevoked),
		errors.Is(err, tokens.ErrRefreshExpired), errors.Is(err, tokens.ErrRefreshReused):
		return oauthError(OAuthInvalidGrant, err.Error())
	}
	return err
}

// ClientCredentialsGrant runs the client_credentials grant: an access
// token for the client itself with resource-server scopes. scope is the
// request's space-separated scope parameter; empty asks for every
// resource-server scope the client is allowed. Each scope asked for must
// be allowed to the client and be a scope of one of the pool's resource
// servers, else invalid_scope.
func (e *Engine) ClientCredentialsGrant(ctx context.Context, client *userpool.AppClient, scope string) (*TokenSet, error) {
	if err := AllowOAuthFlow(client, cognito.OAuthFlowClientCredentials); err != nil {
		return nil, err
	}
	if client.Secret == "" {
		return nil, oauthError(OAuthUnauthorizedClient, msgNoSecret)
	}
	pool, err := e.cfg.Users.Pool(ctx, client.PoolID)
	if err != nil {
		return nil, err
	}
	custom, err := e.cfg.Users.CustomScopes(ctx, pool.ID)
	if err != nil {
		return nil, err
	}
	allowed := client.Config.AllowedOAuthScopes
	var granted []string
	if requested := strings.Fields(scope); len(requested) > 0 {
		for _, sc := range requested {
			switch {
			case !slices.Contains(allowed, sc):
				return nil, oauthError(OAuthInvalidScope, fmt.Sprintf(msgScopeNotAllowed, sc))
			case !slices.Contains(custom, sc):
				return nil, oauthError(OAuthInvalidScope, fmt.Sprintf(msgScopeNotCustom, sc))
			case !slices.Contains(granted, sc):
				granted = append(granted, sc)
			}
		}
	} else {
		for _, sc := range allowed {
			// A scope whose resource server was deleted since the client
			// was configured is not granted.
			if slices.Contains(custom, sc) && !slices.Contains(granted, sc) {
				granted = append(granted, sc)
			}
		}
		if len(granted) == 0 {
			return nil, oauthError(OAuthInvalidScope, msgNoScopes)
		}
	}
	grant := &tokens.ClientGrant{
		Issuer: e.cfg.Tokens.IssuerURL(pool.ID), ClientID: client.Config.ClientID, Scopes: granted,
		IssuedAt: e.now(), TTL: client.AccessTokenTTL(),
	}
	// A V3_0 pre token generation trigger runs for client credentials
	// too, with no user: its event has no userName and no attributes.
	ch, err := e.cfg.Triggers.PreTokenGeneration(ctx, triggers.Call{Pool: pool, ClientID: client.Config.ClientID},
		triggers.TokenRequest{Source: triggers.TokenClientCredentials, Scopes: granted})
	if err != nil {
		return nil, oauthTriggerError(err)
	}
	if ch != nil {
		grant.Scopes, grant.Changes = ch.Scopes(grant.Scopes), tokens.ClaimChanges(ch.Access)
	}
	access, err := e.cfg.Tokens.MintClientCredentials(ctx, pool.ID, grant)
	if err != nil {
		return nil, err
	}
	return &TokenSet{AccessToken: access, ExpiresIn: int64(client.AccessTokenTTL() / time.Second)}, nil
}

// oauthTokens mints the tokens of an OAuth grant from a family: the access
// token with the family's scopes, and the ID token (with the nonce, when
// there is one) only when openid is among them. A family without scopes
// was started by the JSON API, whose sign-ins always get an ID token.
// source is the pre token generation source.
func (e *Engine) oauthTokens(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, u store.User, fam store.RefreshFamily, nonce, refresh, source string) (*TokenSet, error) {
	ev, err := e.event(ctx, pool, client, u, fam, e.now(), mint{source: source})
	if err != nil {
		return nil, oauthTriggerError(err)
	}
	ev.Nonce = nonce
	set := &TokenSet{RefreshToken: refresh, ExpiresIn: int64(client.AccessTokenTTL() / time.Second)}
	if len(fam.Scopes) == 0 || slices.Contains(fam.Scopes, ScopeOpenID) {
		set.IDToken, set.AccessToken, err = e.cfg.Tokens.Mint(ctx, pool.ID, ev)
	} else {
		set.AccessToken, err = e.cfg.Tokens.MintAccess(ctx, pool.ID, ev)
	}
	if err != nil {
		return nil, err
	}
	return set, nil
}
