package upstream

import (
	"context"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2"

	"github.com/userpool/userpool/internal/federation"
	"github.com/userpool/userpool/internal/userpool"
)

// Error is a refused upstream answer, as the app's redirect carries it:
// Code is the OAuth error code, Description says what went wrong without
// any secret of the upstream's.
type Error struct {
	Code        string
	Description string
	// Cause is what failed underneath, for the server's log only: it may
	// quote what the upstream answered.
	Cause error
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return e.Code + ": " + e.Description + " (" + e.Cause.Error() + ")"
	}
	return e.Code + ": " + e.Description
}

func (e *Error) Unwrap() error { return e.Cause }

// maxDescription bounds a description: an upstream error quoted in it
// (go-oidc quotes a failed key fetch's answer) must not fill the app's
// redirect URL.
const maxDescription = 300

func refused(format string, args ...any) *Error {
	d := fmt.Sprintf(format, args...)
	if len(d) > maxDescription {
		d = strings.ToValidUTF8(d[:maxDescription], "") + "..."
	}
	return &Error{Code: "invalid_request", Description: d}
}

// signingAlgs are the ID token algorithms accepted: RSA and ECDSA, as
// Cognito lists them (HMAC keyed with the client secret is not supported).
var signingAlgs = []string{
	oidc.RS256, oidc.RS384, oidc.RS512, oidc.ES256, oidc.ES384, oidc.ES512, oidc.PS256, oidc.PS384, oidc.PS512,
}

// discoveryTTL is how long a provider's discovery document and keys are
// reused: a sign-in then costs the upstream one token request, and a key
// rotation there is seen within minutes (go-oidc also refetches the JWKS
// when a token names a key it does not know).
const discoveryTTL = 10 * time.Minute

// Client talks to upstream providers.
type Client struct {
	http *http.Client
	now  func() time.Time

	mu    sync.Mutex
	cache map[string]cachedProvider
}

type cachedProvider struct {
	p       *oidc.Provider
	methods []string
	expires time.Time
}

// New returns a Client. httpClient nil means one with a 15-second
// timeout; now nil means time.Now.
func New(httpClient *http.Client, now func() time.Time) *Client {
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 15 * time.Second}
	}
	if now == nil {
		now = time.Now
	}
	return &Client{http: httpClient, now: now, cache: map[string]cachedProvider{}}
}

// Supports reports whether the package signs in at providers of type typ.
func Supports(typ string) bool {
	switch typ {
	case userpool.IdPTypeOIDC, userpool.IdPTypeGoogle, userpool.IdPTypeApple, userpool.IdPTypeFacebook, userpool.IdPTypeAmazon:
		return true
	}
	return false
}

// hasIDToken reports the types whose sign-in ends with an ID token.
func hasIDToken(typ string) bool {
	switch typ {
	case userpool.IdPTypeOIDC, userpool.IdPTypeGoogle, userpool.IdPTypeApple:
		return true
	}
	return false
}

// endpoints is where a provider is reached.
type endpoints struct {
	issuer, auth, token, userinfo, jwks string
	// authMethods are the token endpoint's client authentication methods
	// as discovery lists them; nil when unknown.
	authMethods []string
	provider    *oidc.Provider
}

func (c *Client) ctx(ctx context.Context) context.Context { return oidc.ClientContext(ctx, c.http) }

// discover returns the provider at issuer, from the cache or its
// discovery document. Discovered endpoints must be https, or http on a
// loopback host (the rule ProviderDetails follow).
func (c *Client) discover(ctx context.Context, issuer string) (*oidc.Provider, []string, error) {
	c.mu.Lock()
	cp, ok := c.cache[issuer]
	c.mu.Unlock()
	if ok && c.now().Before(cp.expires) {
		return cp.p, cp.methods, nil
	}
	// The provider outlives this request: its key set fetches with a
	// context that is not the request's.
	p, err := oidc.NewProvider(c.ctx(context.WithoutCancel(ctx)), issuer)
	if err != nil {
		e := refused("The identity provider's discovery document could not be read.")
		e.Cause = err
		return nil, nil, e
	}
	var meta struct {
		JWKS        string   `json:"jwks_uri"`
		AuthMethods []string `json:"token_endpoint_auth_methods_supported"`
	}
	if err := p.Claims(&meta); err != nil {
		return nil, nil, refused("The identity provider's discovery document could not be read: %v", err)
	}
	for _, u := range []string{p.Endpoint().AuthURL, p.Endpoint().TokenURL, p.UserInfoEndpoint(), meta.JWKS} {
		if u != "" && !SecureURL(u) {
			return nil, nil, refused("The identity provider's discovery document lists %s, which is not https.", u)
		}
	}
	c.mu.Lock()
	c.cache[issuer] = cachedProvider{p: p, methods: meta.AuthMethods, expires: c.now().Add(discoveryTTL)}
	c.mu.Unlock()
	return p, meta.AuthMethods, nil
}

// SecureURL reports whether u is https, or http on a loopback host.
func SecureURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return false
	}
	if u.Scheme == "https" {
		return true
	}
	if u.Scheme != "http" {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// resolve finds a provider's endpoints: an OIDC provider's from its
// explicit URLs when they are given, else from discovery at its issuer;
// a social provider's from its (fixed or overridden) details, with the
// keys of Google and Apple from discovery at their issuer.
func (c *Client) resolve(ctx context.Context, p *userpool.Provider) (*endpoints, error) {
	d := p.Details
	e := &endpoints{
		issuer: d[userpool.DetailIssuer], auth: d[userpool.DetailAuthorizeURL], token: d[userpool.DetailTokenURL],
		userinfo: d[userpool.DetailAttributesURL], jwks: d[userpool.DetailJWKSURI],
	}
	explicit := p.Type == userpool.IdPTypeOIDC && e.auth != "" && e.token != "" && e.jwks != ""
	if hasIDToken(p.Type) && !explicit {
		prov, methods, err := c.discover(ctx, e.issuer)
		if err != nil {
			return nil, err
		}
		e.provider, e.authMethods = prov, methods
		if p.Type == userpool.IdPTypeOIDC {
			e.auth, e.token, e.userinfo = prov.Endpoint().AuthURL, prov.Endpoint().TokenURL, prov.UserInfoEndpoint()
		}
	}
	if p.Type == userpool.IdPTypeGoogle {
		// Google's attributes_url is its People API, which needs
		// personFields; the ID token has the claims Cognito maps.
		e.userinfo = ""
	}
	if p.Type == userpool.IdPTypeFacebook {
		e.userinfo = facebookFields(e.userinfo, p)
	}
	return e, nil
}

// facebookFields completes Facebook's attributes URL, which ends in
// "fields=", with the fields the mapping reads and the id.
func facebookFields(base string, p *userpool.Provider) string {
	fields := []string{"id"}
	for attr, claim := range p.Mapping {
		if attr != "username" && claim != "id" && !contains(fields, claim) {
			fields = append(fields, claim)
		}
	}
	return base + url.QueryEscape(strings.Join(fields, ","))
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// scopes are the provider's authorize_scopes: space-separated, or
// comma-separated for Facebook.
func scopes(p *userpool.Provider) []string {
	raw := p.Details[userpool.DetailAuthorizeScopes]
	return strings.FieldsFunc(raw, func(r rune) bool { return r == ' ' || r == ',' })
}

// config is the OAuth 2.0 client Userpool is at the provider. The client
// authentication is client_secret_post unless the provider's discovery
// lists only client_secret_basic.
func (c *Client) config(p *userpool.Provider, e *endpoints, redirectURI string) (*oauth2.Config, error) {
	style := oauth2.AuthStyleInParams
	if len(e.authMethods) > 0 && !contains(e.authMethods, "client_secret_post") && contains(e.authMethods, "client_secret_basic") {
		style = oauth2.AuthStyleInHeader
	}
	secret := p.Details[userpool.DetailClientSecret]
	if p.Type == userpool.IdPTypeApple {
		var err error
		if secret, err = appleClientSecret(p, c.now()); err != nil {
			return nil, err
		}
	}
	return &oauth2.Config{
		ClientID: p.Details[userpool.DetailClientID], ClientSecret: secret, RedirectURL: redirectURI,
		Endpoint: oauth2.Endpoint{AuthURL: e.auth, TokenURL: e.token, AuthStyle: style},
		Scopes:   scopes(p),
	}, nil
}

// appleClientSecret is the client secret Sign in with Apple wants: a
// short-lived ES256 JWT signed with the provider's private key.
func appleClientSecret(p *userpool.Provider, now time.Time) (string, error) {
	block, _ := pem.Decode([]byte(p.Details[userpool.DetailPrivateKey]))
	if block == nil {
		return "", refused("The Sign in with Apple private key is not a PEM key.")
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	ec, ok := key.(*ecdsa.PrivateKey)
	if err != nil || !ok {
		return "", refused("The Sign in with Apple private key is not an EC key.")
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: ec},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", p.Details[userpool.DetailKeyID]))
	if err != nil {
		return "", err
	}
	issuer := p.Details[userpool.DetailIssuer]
	if issuer == "" {
		issuer = "https://appleid.apple.com"
	}
	return jwt.Signed(signer).Claims(jwt.Claims{
		Issuer: p.Details[userpool.DetailTeamID], Subject: p.Details[userpool.DetailClientID],
		Audience: jwt.Audience{issuer}, IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(5 * time.Minute)),
	}).Serialize()
}

// Start is what Userpool sends the upstream, all of it Userpool's own.
type Start struct {
	RedirectURI string
	State       string
	Nonce       string
	Verifier    string // PKCE code_verifier; its S256 challenge is sent
}

// AuthCodeURL is the upstream's authorization request for a sign-in.
func (c *Client) AuthCodeURL(ctx context.Context, p *userpool.Provider, s Start) (string, error) {
	e, err := c.resolve(ctx, p)
	if err != nil {
		return "", err
	}
	cfg, err := c.config(p, e, s.RedirectURI)
	if err != nil {
		return "", err
	}
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(s.Verifier)}
	if hasIDToken(p.Type) {
		opts = append(opts, oidc.Nonce(s.Nonce))
	}
	if p.Type == userpool.IdPTypeApple && len(cfg.Scopes) > 0 {
		// Apple sends name and email only to a form_post redirect.
		opts = append(opts, oauth2.SetAuthURLParam("response_mode", "form_post"))
	}
	return cfg.AuthCodeURL(s.State, opts...), nil
}

// Answer is what the upstream sent back to /oauth2/idpresponse.
type Answer struct {
	RedirectURI string
	Code        string
	Nonce       string
	Verifier    string
	// AppleUser is the "user" member Apple posts on a first sign-in: the
	// name it gives only then.
	AppleUser string
}

// Finish redeems the upstream's code and returns the identity it vouches
// for: the ID token verified (signature by the provider's keys, iss, aud,
// exp and the nonce sent), its claims merged with the userinfo (or
// attributes) endpoint's, and the user id read from the provider's
// username claim. A refusal is an *Error.
func (c *Client) Finish(ctx context.Context, p *userpool.Provider, a Answer) (federation.Identity, error) {
	e, err := c.resolve(ctx, p)
	if err != nil {
		return federation.Identity{}, err
	}
	cfg, err := c.config(p, e, a.RedirectURI)
	if err != nil {
		return federation.Identity{}, err
	}
	tok, err := cfg.Exchange(c.ctx(ctx), a.Code, oauth2.VerifierOption(a.Verifier))
	if err != nil {
		// The upstream's answer body is not repeated: it is the
		// upstream's to word, and may be a whole error page.
		var re *oauth2.RetrieveError
		switch {
		case errors.As(err, &re) && re.ErrorCode != "":
			return federation.Identity{}, refused("The identity provider refused the code: %s %s", re.ErrorCode, re.ErrorDescription)
		case errors.As(err, &re) && re.Response != nil:
			return federation.Identity{}, refused("The identity provider's token endpoint answered %s.", re.Response.Status)
		}
		e := refused("The identity provider's token endpoint could not be reached.")
		e.Cause = err
		return federation.Identity{}, e
	}
	claims := map[string]string{}
	if hasIDToken(p.Type) {
		if err := c.verifyIDToken(ctx, p, e, tok, a.Nonce, claims); err != nil {
			return federation.Identity{}, err
		}
	}
	if e.userinfo != "" {
		if err := c.userinfo(ctx, p, e.userinfo, tok, claims); err != nil {
			return federation.Identity{}, err
		}
	}
	if p.Type == userpool.IdPTypeApple && a.AppleUser != "" {
		appleUser(a.AppleUser, claims)
	}
	id := claims[p.UsernameClaim()]
	if id == "" {
		return federation.Identity{}, refused("The identity provider did not send the %s claim.", p.UsernameClaim())
	}
	return federation.Identity{ProviderName: p.Name, ProviderType: p.Type, UserID: id, Attributes: claims}, nil
}

// verifyIDToken verifies the ID token of the token response and adds its
// claims.
func (c *Client) verifyIDToken(ctx context.Context, p *userpool.Provider, e *endpoints, tok *oauth2.Token, nonce string, claims map[string]string) error {
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return refused("The identity provider sent no ID token.")
	}
	vc := &oidc.Config{ClientID: p.Details[userpool.DetailClientID], SupportedSigningAlgs: signingAlgs, Now: c.now}
	var v *oidc.IDTokenVerifier
	if e.provider != nil {
		v = e.provider.VerifierContext(c.ctx(context.WithoutCancel(ctx)), vc)
	} else {
		v = oidc.NewVerifier(e.issuer, oidc.NewRemoteKeySet(c.ctx(context.WithoutCancel(ctx)), e.jwks), vc)
	}
	idt, err := v.Verify(c.ctx(ctx), raw)
	if err != nil {
		return refused("The identity provider's ID token is not valid: %v", err)
	}
	if idt.Subject == "" {
		return refused("The identity provider's ID token is not valid: it has no sub.")
	}
	if idt.Nonce != nonce {
		return refused("The identity provider's ID token is not valid: its nonce is not the one sent.")
	}
	var m map[string]any
	if err := idt.Claims(&m); err != nil {
		return refused("The identity provider's ID token is not valid: %v", err)
	}
	addClaims(claims, m)
	return nil
}

// maxUserinfo bounds a userinfo or attributes answer.
const maxUserinfo = 1 << 20

// userinfo reads the user's claims with the access token: OIDC's userinfo
// endpoint with the provider's attributes_request_method, Facebook's and
// Amazon's attributes URLs with GET. An OIDC userinfo sub must be the ID
// token's (OIDC Core 5.3.2).
func (c *Client) userinfo(ctx context.Context, p *userpool.Provider, endpoint string, tok *oauth2.Token, claims map[string]string) error {
	method := http.MethodGet
	if p.Type == userpool.IdPTypeOIDC && strings.EqualFold(p.Details[userpool.DetailAttributesMethod], http.MethodPost) {
		method = http.MethodPost
	}
	req, err := http.NewRequestWithContext(ctx, method, endpoint, nil)
	if err != nil {
		return refused("The identity provider's attributes URL is not valid.")
	}
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		e := refused("The identity provider's attributes endpoint could not be reached.")
		e.Cause = err
		return e
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxUserinfo))
	if err != nil {
		e := refused("The identity provider's attributes could not be read.")
		e.Cause = err
		return e
	}
	if resp.StatusCode != http.StatusOK {
		return refused("The identity provider's attributes endpoint answered %s.", resp.Status)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return refused("The identity provider's attributes are not a JSON object.")
	}
	if sub, ok := claims["sub"]; ok && p.Type == userpool.IdPTypeOIDC {
		if got, _ := m["sub"].(string); got != sub {
			return refused("The identity provider's userinfo is for another user than its ID token.")
		}
	}
	addClaims(claims, m)
	return nil
}

// appleUser adds the name Apple posts on a first sign-in.
func appleUser(raw string, claims map[string]string) {
	var u struct {
		Name struct {
			FirstName string `json:"firstName"`
			LastName  string `json:"lastName"`
		} `json:"name"`
	}
	if json.Unmarshal([]byte(raw), &u) != nil {
		return
	}
	if u.Name.FirstName != "" {
		claims["firstName"] = u.Name.FirstName
	}
	if u.Name.LastName != "" {
		claims["lastName"] = u.Name.LastName
	}
	if n := strings.TrimSpace(u.Name.FirstName + " " + u.Name.LastName); n != "" {
		claims["name"] = n
	}
}

// addClaims adds JSON claims as the strings pool attributes are: strings
// as they are, booleans "true"/"false", numbers as written, anything else
// as its JSON.
func addClaims(dst map[string]string, src map[string]any) {
	for k, v := range src {
		switch v := v.(type) {
		case nil:
		case string:
			dst[k] = v
		case bool:
			dst[k] = strconv.FormatBool(v)
		case float64:
			dst[k] = strconv.FormatFloat(v, 'f', -1, 64)
		default:
			b, _ := json.Marshal(v)
			dst[k] = string(b)
		}
	}
}
