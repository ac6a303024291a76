package store

import "context"

// Meta keeps facts about the database itself rather than about the pools
// in it: a few named values, each written once by whichever node gets
// there first and read by every node after.
type Meta interface {
	// GetMeta returns the value stored under name. ErrNotFound when there
	// is none.
	GetMeta(ctx context.Context, name string) ([]byte, error)
	// AddMeta stores value under name unless a value is stored there
	// already, which it never replaces, and returns the value stored under
	// name once it has run: value itself with added true, or the earlier
	// value with added false. Of concurrent calls for one name, from any
	// number of nodes, exactly one adds and every one returns its value, so
	// nodes starting together agree on what they found.
	AddMeta(ctx context.Context, name string, value []byte) (stored []byte, added bool, err error)
}

// Names of the Meta values.
const (
	// MetaDataKeyCheck is the data key's check value: a fixed plaintext
	// sealed with the key the database was made with, so that a node
	// given another key can tell at start-up, before it seals anything
	// the other nodes could not read. The value is sealed, not the key or
	// a hash of it, so it tells a reader of the database nothing about
	// the key.
	MetaDataKeyCheck = "data_key_check"
)
