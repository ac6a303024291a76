package store

import (
	"errors"
	"fmt"
)

// Sentinel errors every backend returns; services translate them into
// Cognito exceptions where the kind of record is known.
var (
	ErrNotFound      = errors.New("store: not found")
	ErrAlreadyExists = errors.New("store: already exists")
	// ErrConflict is a serialisation failure that InTx retries; callers
	// see it only when retries are exhausted.
	ErrConflict = errors.New("store: conflict")
	// ErrReplaced is a refresh-token rotation that lost: the token was
	// already replaced outside the grace period. It is not a conflict to
	// retry but an answer.
	ErrReplaced = errors.New("store: refresh token already replaced")
	// ErrRevoked is a rotation of a token whose family was revoked.
	ErrRevoked = errors.New("store: refresh family revoked")
)

// ConflictError says which unique field a write collided on.
type ConflictError struct {
	// Field is "username", "sub", "email", "phone_number" or
	// "preferred_username".
	Field string
}

func (e *ConflictError) Error() string { return fmt.Sprintf("store: %s already exists", e.Field) }

// Is makes a ConflictError match ErrAlreadyExists.
func (e *ConflictError) Is(target error) bool { return target == ErrAlreadyExists }

// SchemaTooNewError is a backend's refusal to open a database that a newer
// binary has migrated: this binary's code does not know what the newer
// migrations changed (and could write rows the newer code misreads), and
// migrations only go forward, so nothing here can bring the schema back.
type SchemaTooNewError struct {
	// Version is the newest migration recorded in the database.
	Version int64
	// Latest is the newest migration this binary embeds.
	Latest int64
}

func (e *SchemaTooNewError) Error() string {
	return fmt.Sprintf("the database schema is version %d, newer than this binary's %d: "+
		"run a binary at least as new as the one that migrated it, or restore the backup taken before the upgrade",
		e.Version, e.Latest)
}
