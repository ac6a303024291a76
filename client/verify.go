package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Errors of Verify; each returned error wraps one of them.
var (
	// ErrInvalidToken means the token is malformed, badly signed, expired,
	// or from another issuer, client or use.
	ErrInvalidToken = errors.New("invalid token")
	// ErrInsufficientScope means a valid token lacks a required scope.
	ErrInsufficientScope = errors.New("insufficient scope")
)

// jwksRefetch is the shortest time between two downloads of the key set
// caused by unknown kids, so that tokens with made-up kids cannot turn
// every request into a request to the pool.
const jwksRefetch = 10 * time.Second

// Verifier checks Cognito tokens of one user pool, as an API behind
// Cognito or Userpool does: the signature against the pool's JWKS, the
// issuer, the app client, token_use, expiry and scopes. It works the same
// against Userpool and against Cognito, whose issuer is
// https://cognito-idp.{region}.amazonaws.com/{poolId}. It is safe for
// concurrent use; its fields must not change once it is in use.
type Verifier struct {
	// Issuer is the pool's issuer: Userpool's public URL followed by
	// "/{poolId}". The keys are read from Issuer + "/.well-known/jwks.json".
	Issuer string
	// ClientIDs are the app clients whose tokens are accepted; at least
	// one is required.
	ClientIDs []string
	// TokenUse is "access" (the default when empty) or "id".
	TokenUse string
	// Scopes must all be in an access token's scope claim.
	Scopes []string
	// HTTPClient fetches the key set; nil means http.DefaultClient.
	HTTPClient *http.Client
	// Now is the time expiry is checked against; nil means time.Now.
	Now func() time.Time

	mu       sync.Mutex
	keys     map[string]*jose.JSONWebKey
	fetched  time.Time     // of the key set in keys, by the wall clock
	fetching chan struct{} // closed when the download under way ends
	minFetch time.Duration // jwksRefetch unless a test sets it
}

// Claims are the claims of a verified token. Access tokens carry
// ClientID, Username and Scope; ID tokens carry Audience,
// CognitoUsername and the user's attributes (in Raw).
type Claims struct {
	Subject         string   `json:"sub"`
	Issuer          string   `json:"iss"`
	TokenUse        string   `json:"token_use"`
	ClientID        string   `json:"client_id"`
	Audience        string   `json:"aud"`
	Username        string   `json:"username"`
	CognitoUsername string   `json:"cognito:username"`
	Scope           string   `json:"scope"`
	Groups          []string `json:"cognito:groups"`
	Expiry          int64    `json:"exp"`
	IssuedAt        int64    `json:"iat"`
	AuthTime        int64    `json:"auth_time"`
	// Raw holds every claim, as decoded from JSON.
	Raw map[string]any `json:"-"`
}

// Scopes lists the scope claim's scopes.
func (c *Claims) Scopes() []string { return strings.Fields(c.Scope) }

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidToken}, args...)...)
}

// Verify checks token and returns its claims.
func (v *Verifier) Verify(ctx context.Context, token string) (*Claims, error) {
	if len(v.ClientIDs) == 0 {
		return nil, errors.New("client: Verifier has no ClientIDs")
	}
	jws, err := jose.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return nil, invalid("%v", err)
	}
	if len(jws.Signatures) != 1 {
		return nil, invalid("want one signature")
	}
	key, err := v.key(ctx, jws.Signatures[0].Header.KeyID)
	if err != nil {
		return nil, err
	}
	payload, err := jws.Verify(key)
	if err != nil {
		return nil, invalid("bad signature")
	}
	var c Claims
	if err := json.Unmarshal(payload, &c); err != nil {
		return nil, invalid("claims: %v", err)
	}
	if err := json.Unmarshal(payload, &c.Raw); err != nil {
		return nil, invalid("claims: %v", err)
	}
	if err := v.check(&c); err != nil {
		return nil, err
	}
	return &c, nil
}

// check applies the rules beyond the signature.
func (v *Verifier) check(c *Claims) error {
	use := v.TokenUse
	if use == "" {
		use = "access"
	}
	client := c.ClientID
	if use == "id" {
		client = c.Audience
	}
	switch {
	case c.Issuer != v.Issuer:
		return invalid("issuer %q", c.Issuer)
	case c.TokenUse != use:
		return invalid("token_use %q, want %q", c.TokenUse, use)
	case !slices.Contains(v.ClientIDs, client):
		return invalid("client %q not accepted", client)
	case c.Expiry == 0 || !v.now().Before(time.Unix(c.Expiry, 0)):
		return invalid("expired")
	}
	have := c.Scopes()
	for _, s := range v.Scopes {
		if !slices.Contains(have, s) {
			return fmt.Errorf("%w: %s", ErrInsufficientScope, s)
		}
	}
	return nil
}

// key returns the public key of kid, downloading the key set when kid is
// unknown (keys rotate), at most once per jwksRefetch. One download runs
// at a time, and the requests that need it wait for it, so a slow key set
// holds up only them.
func (v *Verifier) key(ctx context.Context, kid string) (*jose.JSONWebKey, error) {
	wait := v.minFetch
	if wait == 0 {
		wait = jwksRefetch
	}
	for {
		v.mu.Lock()
		if k, ok := v.keys[kid]; ok {
			v.mu.Unlock()
			return k, nil
		}
		if ch := v.fetching; ch != nil {
			v.mu.Unlock()
			select {
			case <-ch:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		if !v.fetched.IsZero() && time.Since(v.fetched) < wait {
			v.mu.Unlock()
			return nil, invalid("unknown kid %q", kid)
		}
		ch := make(chan struct{})
		v.fetching = ch
		v.mu.Unlock()

		keys, err := v.fetch(ctx)
		v.mu.Lock()
		v.fetching = nil
		if err == nil {
			v.keys, v.fetched = keys, time.Now()
		}
		v.mu.Unlock()
		close(ch)
		if err != nil {
			return nil, err
		}
	}
}

// fetch downloads the pool's key set.
func (v *Verifier) fetch(ctx context.Context) (map[string]*jose.JSONWebKey, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(v.Issuer, "/")+"/.well-known/jwks.json", nil)
	if err != nil {
		return nil, err
	}
	hc := v.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("client: JWKS: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("client: JWKS: %s answered %s", req.URL, resp.Status)
	}
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&set); err != nil {
		return nil, fmt.Errorf("client: JWKS: %w", err)
	}
	keys := make(map[string]*jose.JSONWebKey, len(set.Keys))
	for i := range set.Keys {
		k := &set.Keys[i]
		if k.IsPublic() && k.KeyID != "" {
			keys[k.KeyID] = k
		}
	}
	return keys, nil
}

type claimsKey struct{}

// ClaimsFrom returns the claims Middleware put in a request's context.
func ClaimsFrom(ctx context.Context) (*Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(*Claims)
	return c, ok
}

// Middleware passes on requests whose "Authorization: Bearer" token v
// accepts, with the claims in the request's context (see ClaimsFrom). It
// answers others as RFC 6750 says: 401 with error="invalid_token" (or no
// error when there is no token), 403 with error="insufficient_scope".
func (v *Verifier) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			w.Header().Set("WWW-Authenticate", `Bearer`)
			http.Error(w, "missing bearer token", http.StatusUnauthorized)
			return
		}
		c, err := v.Verify(r.Context(), strings.TrimSpace(token))
		switch {
		case errors.Is(err, ErrInsufficientScope):
			w.Header().Set("WWW-Authenticate", `Bearer error="insufficient_scope"`)
			http.Error(w, err.Error(), http.StatusForbidden)
		case errors.Is(err, ErrInvalidToken):
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			http.Error(w, err.Error(), http.StatusUnauthorized)
		case err != nil:
			// The key set could not be read: the token may be fine.
			http.Error(w, "token verification unavailable", http.StatusServiceUnavailable)
		default:
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), claimsKey{}, c)))
		}
	})
}
