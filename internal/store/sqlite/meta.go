package sqlite

import (
	"context"
	"fmt"
)

// GetMeta implements store.Meta.
func (s *Store) GetMeta(ctx context.Context, name string) ([]byte, error) {
	var v []byte
	if err := s.reader().QueryRowContext(ctx, `SELECT value FROM metadata WHERE name = ?`, name).Scan(&v); err != nil {
		return nil, notFound("get meta", err)
	}
	return v, nil
}

// AddMeta implements store.Meta. The insert and the read after it share
// one write transaction, and SQLite lets one writer in at a time, other
// processes on the file included: whoever inserts first wins, and every
// later call reads what it wrote.
func (s *Store) AddMeta(ctx context.Context, name string, value []byte) (stored []byte, added bool, err error) {
	if value == nil {
		value = []byte{} // nil would be NULL
	}
	err = s.update(ctx, func(tx querier) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO metadata (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, value)
		if err != nil {
			return fmt.Errorf("add meta: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("add meta: %w", err)
		}
		if n == 1 {
			stored, added = value, true
			return nil
		}
		stored, added = nil, false
		if err := tx.QueryRowContext(ctx, `SELECT value FROM metadata WHERE name = ?`, name).Scan(&stored); err != nil {
			return notFound("add meta", err)
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return stored, added, nil
}
