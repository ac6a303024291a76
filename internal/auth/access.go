package auth

import (
	"context"
	"errors"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/tokens"
	"github.com/userpool/userpool/internal/userpool"
)

// Caller is the user behind a valid access token.
type Caller struct {
	Pool   *cognito.UserPoolType
	User   store.User
	Claims *tokens.AccessClaims
}

// Cognito's answers for access tokens.
const (
	msgAccessRevoked = "Access Token has been revoked"
	msgAccessScopes  = "Access Token does not have required scopes"
)

// errClientGone is issuedClient's answer for a token whose app client no
// longer exists (or is not of the token's pool).
var errClientGone = errors.New("auth: the token's app client does not exist")

// issuedClient returns the app client an access token was issued to.
// Deleting a client ends its tokens: nothing of Cognito's documentation
// lets a deleted client's sessions go on, and its refresh tokens already
// stop working with it.
func (e *Engine) issuedClient(ctx context.Context, claims *tokens.AccessClaims, poolID string) (*userpool.AppClient, error) {
	client, err := e.cfg.Users.Client(ctx, claims.ClientID)
	if errors.Is(err, cognito.ResourceNotFound("")) || (err == nil && client.PoolID != poolID) {
		return nil, errClientGone
	}
	return client, err
}

// Authenticate checks the AccessToken of a token-authorized action
// (GetUser, GlobalSignOut, ...): a valid signature from the pool's keys,
// not expired, an access token carrying aws.cognito.signin.user.admin, of
// an app client that still exists, of a user who still exists and is
// enabled, and not revoked — neither its sign-in (origin_jti) nor by a
// global sign-out after it was issued.
func (e *Engine) Authenticate(ctx context.Context, accessToken string) (*Caller, error) {
	claims, poolID, err := e.cfg.Tokens.VerifyAccess(ctx, accessToken)
	switch {
	case errors.Is(err, tokens.ErrAccessExpired), errors.Is(err, tokens.ErrAccessInvalid):
		return nil, cognito.NotAuthorized(err.Error())
	case err != nil:
		return nil, err
	}
	if !claims.HasScope(tokens.ScopeAdmin) {
		return nil, cognito.NotAuthorized(msgAccessScopes)
	}
	pool, err := e.cfg.Users.Pool(ctx, poolID)
	if err != nil {
		if errors.Is(err, cognito.ResourceNotFound("")) {
			return nil, cognito.NotAuthorized(tokens.ErrAccessInvalid.Error())
		}
		return nil, err
	}
	if _, err := e.issuedClient(ctx, claims, pool.ID); err != nil {
		if errors.Is(err, errClientGone) {
			return nil, cognito.NotAuthorized(tokens.ErrAccessInvalid.Error())
		}
		return nil, err
	}
	u, revoked, err := e.accessUser(ctx, pool.ID, claims)
	if err != nil {
		return nil, err
	}
	if revoked {
		return nil, cognito.NotAuthorized(msgAccessRevoked)
	}
	if !u.Enabled {
		return nil, cognito.NotAuthorized(msgDisabled)
	}
	return &Caller{Pool: pool, User: u, Claims: claims}, nil
}

// accessUser reads the user of an access token, and whether the token is
// revoked. A token with an origin_jti is revoked exactly when its sign-in
// (refresh-token family) is: every global sign-out, disable and delete
// revokes all the user's families, and a sign-in that starts after that
// has a new one; the user and the family are then one read. A token
// without it (its client does not enable revocation) has only its iat, in
// whole seconds, to compare with the user's sign-out time; a token issued
// in the same second as the sign-out may predate it, so it is refused
// too. Both are read on every call, never remembered.
func (e *Engine) accessUser(ctx context.Context, poolID string, c *tokens.AccessClaims) (u store.User, revoked bool, err error) {
	if c.OriginJTI != "" {
		u, fam, err := e.cfg.Users.UserBySubAndFamily(ctx, poolID, c.Sub, c.OriginJTI)
		if err != nil {
			return store.User{}, false, err
		}
		return u, tokens.Revoked(fam), nil
	}
	u, err = e.cfg.Users.UserBySub(ctx, poolID, c.Sub)
	if err != nil {
		return store.User{}, false, err
	}
	return u, !u.SignedOutAt.IsZero() && c.Iat <= u.SignedOutAt.Unix(), nil
}
