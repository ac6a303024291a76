package tokens

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// MintAccess signs only the access token of an authentication event: the
// OAuth flows mint no ID token when openid was not granted, and signing
// one only to drop it would double the cost. EventID and AccessJTI are
// filled in when empty.
func (i *Issuer) MintAccess(ctx context.Context, poolID string, e *Event) (string, error) {
	pk, err := i.keys(ctx, poolID, createKeys)
	if err != nil {
		return "", err
	}
	if e.EventID == "" {
		e.EventID = uuid.NewString()
	}
	if e.AccessJTI == "" {
		e.AccessJTI = uuid.NewString()
	}
	key := pk.signingKey(UseAccess, e.IssuedAt)
	if key == nil {
		return "", fmt.Errorf("pool %s has no active signing key", poolID)
	}
	payload, err := e.accessPayload()
	if err != nil {
		return "", err
	}
	return signJWS(ctx, i.cfg.Signer, key, payload)
}

// ClientGrant is a client-credentials grant: an app client acting for
// itself, with no user behind it.
type ClientGrant struct {
	Issuer   string // https://host/{userPoolId}
	ClientID string
	// Scopes are the granted resource-server scopes.
	Scopes   []string
	IssuedAt time.Time
	TTL      time.Duration
	// JTI is the token's id, a new UUID when empty.
	JTI string
	// Changes are what a V3_0 pre token generation trigger asked of the
	// token.
	Changes ClaimChanges
}

// ClientAccessClaims are the claims of a client-credentials access token,
// in the order of Cognito's documented sample: the client is the subject,
// and there is no username, no groups, no event and no origin_jti, since
// no user signed in and no refresh token exists to revoke.
type ClientAccessClaims struct {
	Sub      string `json:"sub"`
	TokenUse string `json:"token_use"`
	Scope    string `json:"scope"`
	AuthTime int64  `json:"auth_time"`
	Issuer   string `json:"iss"`
	Exp      int64  `json:"exp"`
	Iat      int64  `json:"iat"`
	Version  int    `json:"version"`
	JTI      string `json:"jti"`
	ClientID string `json:"client_id"`
}

// Claims returns the grant's access-token claims.
func (g *ClientGrant) Claims() *ClientAccessClaims {
	return &ClientAccessClaims{
		Sub:      g.ClientID,
		TokenUse: UseAccess,
		Scope:    strings.Join(g.Scopes, " "),
		AuthTime: g.IssuedAt.Unix(),
		Issuer:   g.Issuer,
		Exp:      g.IssuedAt.Add(g.TTL).Unix(),
		Iat:      g.IssuedAt.Unix(),
		Version:  2,
		JTI:      g.JTI,
		ClientID: g.ClientID,
	}
}

// MintClientCredentials signs the access token of a client-credentials
// grant with the pool's access key, so it verifies like any other access
// token of the pool.
func (i *Issuer) MintClientCredentials(ctx context.Context, poolID string, g *ClientGrant) (string, error) {
	pk, err := i.keys(ctx, poolID, createKeys)
	if err != nil {
		return "", err
	}
	if g.JTI == "" {
		g.JTI = uuid.NewString()
	}
	key := pk.signingKey(UseAccess, g.IssuedAt)
	if key == nil {
		return "", fmt.Errorf("pool %s has no active signing key", poolID)
	}
	payload, err := json.Marshal(g.Claims())
	if err != nil {
		return "", err
	}
	if payload, err = g.Changes.apply(payload); err != nil {
		return "", err
	}
	return signJWS(ctx, i.cfg.Signer, key, payload)
}
