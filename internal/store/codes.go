package store

import (
	"context"
	"time"
)

// Codes stores the one-time codes sent to users: sign-up confirmation,
// attribute verification and password reset (the OAuth authorization
// codes of the hosted endpoints are AuthCodes). A user has at most one code
// per purpose; a new one replaces the old, which is how a resent code
// invalidates the previous one. Codes belong to their user: deleting the
// user (or its pool) deletes them.
type Codes interface {
	// PutCode creates the code (PoolID, Sub, Purpose), or replaces the one
	// there is, whole. ErrNotFound when the user does not exist.
	PutCode(ctx context.Context, c Code) error
	// GetCode returns a user's code for a purpose. ErrNotFound.
	GetCode(ctx context.Context, poolID, sub, purpose string) (Code, error)
	// AddCodeAttempt counts one more failed attempt at the code, atomically,
	// and returns the new count, so concurrent wrong guesses cannot share
	// one count. ErrNotFound.
	AddCodeAttempt(ctx context.Context, poolID, sub, purpose string) (int, error)
	// DeleteCode removes the code. ErrNotFound when there is none: a code
	// is used by deleting it, so of two concurrent uses only one succeeds.
	DeleteCode(ctx context.Context, poolID, sub, purpose string) error
}

// Code is one code. The code itself is never stored, only its hash.
type Code struct {
	PoolID  string
	Sub     string
	Purpose string // owned by the userpool package ("signup", "reset", ...)
	// Hash is SHA-256 of the code (with what it is bound to); the store
	// only keeps it.
	Hash []byte
	// Attribute is the attribute the code was sent to ("email",
	// "phone_number").
	Attribute string
	// Value is the address the code was sent to: a code verifies that
	// value of Attribute and no other.
	Value string
	// Pending says Value is not yet the attribute's value: using the code
	// makes it so (a change held back until it is verified).
	Pending   bool
	CreatedAt time.Time
	ExpiresAt time.Time
	// Attempts counts wrong guesses at this code.
	Attempts int
	// Sends counts the codes issued for this purpose since SendsSince, for
	// the limit on how often a user may ask for one; a replacing PutCode
	// carries them over.
	Sends      int
	SendsSince time.Time
}
