package store

import (
	"context"
	"time"
)

// WebAuthnCredentials stores users' passkeys (CompleteWebAuthnRegistration).
// A credential id is unique within a pool; every method also takes the
// user's sub, so a passkey is only ever found through its owner. A user's
// passkeys go with the user.
type WebAuthnCredentials interface {
	// CreateWebAuthnCredential inserts c. ErrNotFound when the user does
	// not exist, ErrAlreadyExists when the pool has the credential id.
	CreateWebAuthnCredential(ctx context.Context, c WebAuthnCredential) error
	// GetWebAuthnCredential returns the user's passkey. ErrNotFound.
	GetWebAuthnCredential(ctx context.Context, poolID, sub, id string) (WebAuthnCredential, error)
	// UpdateWebAuthnCredential is the read-modify-write of one passkey
	// (its sign counter after a sign-in). fn must not change PoolID, Sub
	// or ID. ErrNotFound.
	UpdateWebAuthnCredential(ctx context.Context, poolID, sub, id string, fn func(*WebAuthnCredential) error) (WebAuthnCredential, error)
	// DeleteWebAuthnCredential removes the passkey. ErrNotFound.
	DeleteWebAuthnCredential(ctx context.Context, poolID, sub, id string) error
	// ListWebAuthnCredentials lists the user's passkeys ordered by id.
	ListWebAuthnCredentials(ctx context.Context, poolID, sub string, page Page) (creds []WebAuthnCredential, next string, err error)
}

// WebAuthnCredential is a passkey a user registered.
type WebAuthnCredential struct {
	PoolID string
	Sub    string
	// ID is the credential id, base64url without padding, as clients
	// name it.
	ID string
	// RelyingPartyID is the relying party the passkey is bound to.
	RelyingPartyID string
	// FriendlyName is the name shown for it.
	FriendlyName string
	// Attachment is "platform", "cross-platform" or "".
	Attachment string
	// Transports are the authenticator's transports (usb, nfc, ble,
	// internal, hybrid).
	Transports []string
	// Data is the verified credential as the WebAuthn verifier keeps it
	// (JSON: public key, sign counter, flags); opaque to the store.
	Data      []byte
	CreatedAt time.Time
	UpdatedAt time.Time
}
