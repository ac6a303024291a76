package sqlstore

import (
	"context"
	"fmt"
)

// GetMeta implements store.Meta.
func (s *Store) GetMeta(ctx context.Context, name string) ([]byte, error) {
	return get(ctx, s, func(q Querier) ([]byte, error) {
		var v []byte
		if err := q.QueryRow(ctx, `SELECT value FROM metadata WHERE name = $1`, name).Scan(&v); err != nil {
			return nil, notFound("get meta", err)
		}
		return v, nil
	})
}

// AddMeta implements store.Meta: an insert that does nothing on a
// conflict, then, when it inserted nothing, a read. Where writers take
// turns (SQLite, other processes on the file included) whoever inserts
// first wins, and every later call reads what it wrote. On PostgreSQL,
// ON CONFLICT waits for
// the transaction that inserted the row it conflicts with to commit, and
// the read is a statement of its own in a READ COMMITTED transaction, with
// a snapshot taken after that commit, so it finds the winner's row. Inside
// an InTx (SERIALIZABLE) a conflict with a row the snapshot cannot see is
// a serialisation failure instead, and InTx runs fn again.
func (s *Store) AddMeta(ctx context.Context, name string, value []byte) (stored []byte, added bool, err error) {
	if value == nil {
		value = []byte{} // nil would be NULL
	}
	err = s.update(ctx, func(q Querier) error {
		tag, err := q.Exec(ctx, `INSERT INTO metadata (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, name, value)
		if err != nil {
			return fmt.Errorf("add meta: %w", err)
		}
		if tag == 1 {
			stored, added = value, true
			return nil
		}
		stored, added = nil, false
		if err := q.QueryRow(ctx, `SELECT value FROM metadata WHERE name = $1`, name).Scan(&stored); err != nil {
			return notFound("add meta", err)
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return stored, added, nil
}
