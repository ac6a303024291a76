package store

import (
	"context"
	"time"
)

// AuthCodes stores the authorization codes of the hosted endpoints. A code
// is what /oauth2/authorize hands the browser after a sign-in, and what
// the client exchanges once at /oauth2/token for tokens.
type AuthCodes interface {
	// CreateAuthCode inserts c. ErrNotFound when its pool or user does
	// not exist, ErrAlreadyExists when the id is taken.
	CreateAuthCode(ctx context.Context, c AuthCode) error
	// ConsumeAuthCode atomically deletes the code and returns it: of
	// concurrent consumers of one code exactly one gets it, so a code is
	// used at most once. ErrNotFound when there is no such code, and
	// also when it has expired at now (it is deleted all the same).
	ConsumeAuthCode(ctx context.Context, id string, now time.Time) (AuthCode, error)
	// DeleteExpiredAuthCodes removes the codes that expired before
	// `before` and returns how many went.
	DeleteExpiredAuthCodes(ctx context.Context, before time.Time) (int, error)
}

// AuthCode is one authorization code and the authorization it stands for.
// The code itself is never stored, only its SHA-256, so a copy of the
// database cannot be replayed at the token endpoint.
type AuthCode struct {
	// ID is the hex SHA-256 of the code.
	ID       string
	PoolID   string
	ClientID string
	Sub      string
	// RedirectURI is the authorize request's; the token request must
	// repeat it exactly.
	RedirectURI string
	// Scopes are the granted scopes, already checked against the client.
	Scopes []string
	Nonce  string
	// CodeChallenge and CodeChallengeMethod are the PKCE challenge; both
	// empty without PKCE.
	CodeChallenge       string
	CodeChallengeMethod string
	// AuthTime is when the user authenticated (auth_time of the tokens).
	AuthTime  time.Time
	CreatedAt time.Time
	ExpiresAt time.Time
}
