package store

import (
	"context"
	"time"
)

// Keys stores the pools' token signing keys.
type Keys interface {
	// CreateSigningKey inserts k. ErrNotFound when the pool does not
	// exist, ErrAlreadyExists when the pool has a key with that id.
	CreateSigningKey(ctx context.Context, k SigningKey) error
	// ListSigningKeys returns the pool's keys, oldest first.
	ListSigningKeys(ctx context.Context, poolID string) ([]SigningKey, error)
	// UpdateSigningKey is the read-modify-write of one key. ErrNotFound.
	UpdateSigningKey(ctx context.Context, poolID, id string, fn func(*SigningKey) error) (SigningKey, error)
	// DeleteSigningKey removes one key. ErrNotFound.
	DeleteSigningKey(ctx context.Context, poolID, id string) error
}

// SigningKey is an RSA key that signs one kind of token for a pool. A key
// is published in the JWKS from CreatedAt until ExpiresAt, and signs from
// ActiveAt until a newer key becomes active: publishing before signing lets
// verifiers that cache the JWKS learn a key before they meet a token it
// signed, and keeping it published until ExpiresAt lets every token it
// signed verify until that token expires.
type SigningKey struct {
	PoolID string
	ID     string // the kid
	Use    string // "id" or "access"
	// Sealed is the PKCS#8 private key, sealed with the data key.
	Sealed []byte
	// Public is the public JWK as JSON.
	Public    []byte
	CreatedAt time.Time
	ActiveAt  time.Time
	// ExpiresAt is zero while the key may still sign.
	ExpiresAt time.Time
}

// RefreshTokens stores refresh tokens and their families. A family is one
// sign-in: every token a refresh or a rotation derives from it belongs to
// it, and its id is the origin_jti of every ID and access token minted
// from it, so revoking the family revokes all of them at once.
type RefreshTokens interface {
	// CreateRefreshFamily inserts a family and its first token together.
	// ErrNotFound when the pool does not exist.
	CreateRefreshFamily(ctx context.Context, f RefreshFamily, first RefreshToken) error
	// CreateRefreshFamilies inserts families[i] with firsts[i] for every
	// i, all of them or, on any error, none: the rows CreateRefreshFamily
	// writes, in few statements, for loading many sign-ins at once.
	// ErrNotFound when a pool or user does not exist, ErrAlreadyExists
	// when an id is taken.
	CreateRefreshFamilies(ctx context.Context, families []RefreshFamily, firsts []RefreshToken) error
	// GetRefreshFamily returns a family. ErrNotFound.
	GetRefreshFamily(ctx context.Context, id string) (RefreshFamily, error)
	// GetRefreshToken returns a token and its family. ErrNotFound.
	GetRefreshToken(ctx context.Context, id string) (RefreshToken, RefreshFamily, error)
	// RotateRefreshToken atomically marks old as replaced at `at` and
	// inserts next in the same family. It succeeds only while old has not
	// been replaced, or was replaced after graceStart (the retry grace
	// period); otherwise it writes nothing and returns ErrReplaced. A
	// revoked family writes nothing and returns ErrRevoked, so a
	// revocation that lands between redeeming and rotating wins. Of
	// many concurrent rotations of one token with no grace period, exactly
	// one succeeds. The family's ExpiresAt is raised to next.ExpiresAt
	// when that is later. ErrNotFound when old does not exist. A
	// rotation that succeeds also deletes the family's tokens replaced
	// before collectBefore (none when it is zero), so that a family
	// rotating steadily keeps a bounded number of rows.
	RotateRefreshToken(ctx context.Context, oldID string, at, graceStart, collectBefore time.Time, next RefreshToken) error
	// RevokeRefreshFamily marks a family revoked at `at` (keeping the
	// first revocation time). ErrNotFound.
	RevokeRefreshFamily(ctx context.Context, id string, at time.Time) error
	// RevokeUserRefreshFamilies revokes every family of a user (global
	// sign-out, disable, delete, password reset) and returns how many.
	RevokeUserRefreshFamilies(ctx context.Context, poolID, sub string, at time.Time) (int, error)
	// DeleteExpiredRefreshTokens removes tokens and families that expired
	// before `before`, returning how many rows went. Callers pass a time
	// at least the longest access-token validity in the past, so a family
	// outlives every access token minted from it.
	DeleteExpiredRefreshTokens(ctx context.Context, before time.Time) (int, error)
}

// FamilyState is what Users.GetUserBySubAndFamily reads of a refresh
// token family: whether it exists, and when it was revoked.
type FamilyState struct {
	// Found is false when the family does not exist: it never did, or it
	// expired and was collected.
	Found bool
	// RevokedAt is zero while the family is not revoked.
	RevokedAt time.Time
}

// RefreshFamily is one sign-in's chain of refresh tokens.
type RefreshFamily struct {
	ID       string
	PoolID   string
	ClientID string
	Sub      string
	// AuthTime is when the user authenticated; refreshed tokens keep it.
	AuthTime time.Time
	// Scopes granted at sign-in, minted again on every refresh.
	Scopes    []string
	DeviceKey string
	CreatedAt time.Time
	// ExpiresAt bounds every token of the family.
	ExpiresAt time.Time
	// RevokedAt is zero while the family is valid.
	RevokedAt time.Time
}

// RefreshToken is one refresh token; the token itself is never stored,
// only its id and the SHA-256 of its secret.
type RefreshToken struct {
	ID         string
	FamilyID   string
	SecretHash []byte
	CreatedAt  time.Time
	ExpiresAt  time.Time
	// ReplacedAt is when rotation replaced it; zero while current.
	ReplacedAt time.Time
}
