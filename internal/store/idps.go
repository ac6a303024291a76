package store

import (
	"context"
	"time"
)

// IdentityProviders stores a pool's external identity providers (OIDC,
// SAML, social). A provider's name is unique in its pool, and so is each
// of its identifiers (IdpIdentifiers): the hosted pages route a sign-in by
// either.
type IdentityProviders interface {
	// CreateIdentityProvider inserts p. ErrNotFound when the pool does not
	// exist; a *ConflictError (which Is ErrAlreadyExists) with Field
	// ConflictProviderName or ConflictProviderIdentifier when the name or
	// one of the identifiers is taken in the pool.
	CreateIdentityProvider(ctx context.Context, p IdentityProvider) error
	// GetIdentityProvider returns one by name. ErrNotFound.
	GetIdentityProvider(ctx context.Context, poolID, name string) (IdentityProvider, error)
	// GetIdentityProviderByIdentifier returns the provider that has the
	// identifier among its IdpIdentifiers. ErrNotFound.
	GetIdentityProviderByIdentifier(ctx context.Context, poolID, identifier string) (IdentityProvider, error)
	// UpdateIdentityProvider is the read-modify-write of one provider; fn
	// must not change PoolID, Name or Type. A *ConflictError when a new
	// identifier is another provider's. ErrNotFound.
	UpdateIdentityProvider(ctx context.Context, poolID, name string, fn func(*IdentityProvider) error) (IdentityProvider, error)
	// DeleteIdentityProvider removes one and its identifiers. ErrNotFound.
	DeleteIdentityProvider(ctx context.Context, poolID, name string) error
	// ListIdentityProviders lists a pool's providers ordered by name.
	ListIdentityProviders(ctx context.Context, poolID string, page Page) (providers []IdentityProvider, next string, err error)
}

// The ConflictError fields of IdentityProviders.
const (
	ConflictProviderName       = "provider_name"
	ConflictProviderIdentifier = "idp_identifier"
)

// IdentityProvider is an external identity provider of a pool.
type IdentityProvider struct {
	PoolID string
	Name   string
	Type   string // cognito IdentityProviderTypeType
	// Settings is the provider's details and attribute mapping, owned by
	// the userpool package. Details hold client secrets and private keys,
	// so it is sealed there; the store only keeps it.
	Settings []byte
	// Identifiers are the provider's IdpIdentifiers, in the order given.
	Identifiers []string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// SAMLSigningKey is the key and self-signed certificate a pool signs SAML
// requests with (GetSigningCertificate). A pool has one, made on first use.
type SAMLSigningKey struct {
	PoolID string
	// Sealed is the PKCS#8 private key, sealed with the data key.
	Sealed []byte
	// Certificate is the X.509 certificate, DER.
	Certificate []byte
	CreatedAt   time.Time
}

// SAMLSigningKeys stores each pool's SAML signing key.
type SAMLSigningKeys interface {
	// GetSAMLSigningKey returns the pool's key. ErrNotFound when it has none.
	GetSAMLSigningKey(ctx context.Context, poolID string) (SAMLSigningKey, error)
	// AddSAMLSigningKey stores k unless the pool has a key already, which
	// it never replaces, and returns the key stored once it has run, so
	// that of concurrent first uses every one gets the same key.
	// ErrNotFound when the pool does not exist.
	AddSAMLSigningKey(ctx context.Context, k SAMLSigningKey) (SAMLSigningKey, error)
}
