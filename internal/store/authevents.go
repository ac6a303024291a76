package store

import (
	"context"
	"time"
)

// AuthEvents stores the users' authentication events (the history
// AdminListUserAuthEvents pages). An event id is unique within a pool;
// every method also takes the user's sub, so an event is only ever found
// through its user. A user's events go with the user.
type AuthEvents interface {
	// PutAuthEvent inserts ev, or replaces the event of its id (a sign-in
	// whose challenges are answered later is one event that changes).
	// ErrNotFound when the user does not exist.
	PutAuthEvent(ctx context.Context, ev AuthEvent) error
	// GetAuthEvent returns one of the user's events. ErrNotFound.
	GetAuthEvent(ctx context.Context, poolID, sub, id string) (AuthEvent, error)
	// UpdateAuthEvent is the read-modify-write of one event (its
	// feedback). fn must not change PoolID, Sub or ID. ErrNotFound.
	UpdateAuthEvent(ctx context.Context, poolID, sub, id string, fn func(*AuthEvent) error) (AuthEvent, error)
	// ListAuthEvents lists the user's events newest first (by CreatedAt,
	// then by id, descending). Page.After is the next value of the
	// previous page, opaque to callers.
	ListAuthEvents(ctx context.Context, poolID, sub string, page Page) (events []AuthEvent, next string, err error)
	// DeleteOldAuthEvents removes the events created before `before` and
	// those beyond each user's newest keep (keep <= 0: no count bound),
	// and returns how many it removed.
	DeleteOldAuthEvents(ctx context.Context, before time.Time, keep int) (int, error)
}

// AuthEvent is one authentication event of a user: a sign-in, a password
// change, a password reset.
type AuthEvent struct {
	PoolID string
	Sub    string
	ID     string
	// Type is Cognito's EventType (SignIn, PasswordChange, ...).
	Type string
	// Response is Pass, Fail or InProgress.
	Response  string
	CreatedAt time.Time
	// Detail is the rest of the event as the service keeps it (JSON:
	// client, challenge responses, context, feedback); opaque to the store.
	Detail []byte
}
