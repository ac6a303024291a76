package store

import (
	"context"
	"time"
)

// SAMLAssertions records the SAML assertions the pools' service provider
// has accepted, so that an assertion is accepted once by the whole
// deployment: behind a load balancer, a replay reaching another node
// finds the record the first node wrote.
type SAMLAssertions interface {
	// ConsumeSAMLAssertion records a as used until a.ExpiresAt.
	// ErrAlreadyExists when the same IDHash is recorded for the same pool
	// and provider and that record has not expired at now: the assertion
	// is a replay. The check and the write are one statement, so of
	// concurrent consumers of one assertion exactly one succeeds. A
	// record that expired at or before now is taken over (its assertion
	// can no longer be accepted anyway). ErrNotFound when the pool does
	// not exist.
	ConsumeSAMLAssertion(ctx context.Context, a SAMLAssertion, now time.Time) error
	// DeleteExpiredSAMLAssertions removes the records that expired
	// before `before` and returns how many went.
	DeleteExpiredSAMLAssertions(ctx context.Context, before time.Time) (int, error)
}

// SAMLAssertion is one used assertion. The assertion's ID is not stored,
// only its SHA-256, which is all a replay check needs and bounds the
// length of what an IdP can make the store keep.
type SAMLAssertion struct {
	PoolID string
	// Provider is the name of the pool's SAML identity provider that
	// issued it.
	Provider string
	// IDHash is the hex SHA-256 of the assertion's ID.
	IDHash string
	// ExpiresAt is when the assertion stops being acceptable; until then
	// the record must stay.
	ExpiresAt time.Time
}
