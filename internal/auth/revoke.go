package auth

import (
	"context"
	"strings"

	"github.com/userpool/userpool/internal/cognito"
)

// RevokeRequest is RevokeToken.
type RevokeRequest struct {
	ClientID     string
	ClientSecret string
	Token        string
}

// RevokeToken revokes a refresh token and every access token minted from
// its sign-in; other sign-ins of the user are untouched. Revoking a token
// that is unknown or already revoked succeeds, as RFC 7009 asks, so a
// client can retry without fear.
func (e *Engine) RevokeToken(ctx context.Context, r RevokeRequest) error {
	_, client, err := e.client(ctx, r.ClientID, "", false)
	if err != nil {
		return err
	}
	if client.Config.EnableTokenRevocation != nil && !*client.Config.EnableTokenRevocation {
		return cognito.UnsupportedOperation("Token revocation is not enabled for app client " + r.ClientID + ".")
	}
	if !checkClientSecret(client, r.ClientSecret) {
		return cognito.Unauthorized("Client authentication failed for app client " + r.ClientID + ".")
	}
	if strings.Count(r.Token, ".") == 2 {
		// A JWT: an ID or access token, which cannot be revoked alone.
		return cognito.UnsupportedTokenType("Only refresh tokens can be revoked.")
	}
	fam, err := e.cfg.Tokens.FamilyOf(ctx, r.Token)
	if err != nil || fam == nil {
		return err
	}
	if fam.ClientID != r.ClientID {
		return cognito.Unauthorized("The refresh token was not issued to app client " + r.ClientID + ".")
	}
	return e.cfg.Tokens.RevokeFamily(ctx, fam.ID)
}

// GlobalSignOut signs the caller out everywhere.
func (e *Engine) GlobalSignOut(ctx context.Context, accessToken string) error {
	c, err := e.Authenticate(ctx, accessToken)
	if err != nil {
		return err
	}
	return e.cfg.Users.SignOutUser(ctx, c.Pool.ID, c.User.Sub)
}

// AdminUserGlobalSignOut signs a user out everywhere.
func (e *Engine) AdminUserGlobalSignOut(ctx context.Context, poolID, username string) error {
	pool, err := e.cfg.Users.Pool(ctx, poolID)
	if err != nil {
		return err
	}
	u, err := e.cfg.Users.LookupUser(ctx, pool, username)
	if err != nil {
		return err
	}
	return e.cfg.Users.SignOutUser(ctx, pool.ID, u.Sub)
}
