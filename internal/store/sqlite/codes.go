package sqlite

import (
	"context"
	"fmt"

	"github.com/userpool/userpool/internal/store"
)

const codeCols = `pool_id, sub, purpose, code_hash, attribute, value, pending, created_at, expires_at, attempts, sends, sends_since`

func scanCode(r scanner) (store.Code, error) {
	var c store.Code
	var created, expires, since int64
	if err := r.Scan(&c.PoolID, &c.Sub, &c.Purpose, &c.Hash, &c.Attribute, &c.Value, &c.Pending, &created, &expires,
		&c.Attempts, &c.Sends, &since); err != nil {
		return store.Code{}, err
	}
	c.CreatedAt, c.ExpiresAt, c.SendsSince = fromMillis(created), fromMillis(expires), fromMillis(since)
	return c, nil
}

// PutCode implements store.Codes. The user is checked first, so a missing
// one is ErrNotFound without relying on the foreign-key error.
func (s *Store) PutCode(ctx context.Context, c store.Code) error {
	return s.update(ctx, func(tx querier) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM users WHERE pool_id = ? AND sub = ?`, c.PoolID, c.Sub).Scan(&one)
		if err != nil {
			return notFound("put code: user "+c.Sub, err)
		}
		hash := c.Hash
		if hash == nil {
			hash = []byte{}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO codes (`+codeCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (pool_id, sub, purpose) DO UPDATE SET code_hash = excluded.code_hash,
				attribute = excluded.attribute, value = excluded.value, pending = excluded.pending, created_at = excluded.created_at,
				expires_at = excluded.expires_at, attempts = excluded.attempts, sends = excluded.sends,
				sends_since = excluded.sends_since`,
			c.PoolID, c.Sub, c.Purpose, hash, c.Attribute, c.Value, c.Pending, millis(c.CreatedAt), millis(c.ExpiresAt),
			c.Attempts, c.Sends, millis(c.SendsSince))
		if err != nil {
			return insertErr("put code", err)
		}
		return nil
	})
}

// GetCode implements store.Codes.
func (s *Store) GetCode(ctx context.Context, poolID, sub, purpose string) (store.Code, error) {
	c, err := scanCode(s.reader().QueryRowContext(ctx,
		`SELECT `+codeCols+` FROM codes WHERE pool_id = ? AND sub = ? AND purpose = ?`, poolID, sub, purpose))
	if err != nil {
		return store.Code{}, notFound("get code", err)
	}
	return c, nil
}

// AddCodeAttempt implements store.Codes with one UPDATE ... RETURNING, so
// the increment and the count read back cannot be split by another writer.
func (s *Store) AddCodeAttempt(ctx context.Context, poolID, sub, purpose string) (int, error) {
	var n int
	err := s.update(ctx, func(tx querier) error {
		err := tx.QueryRowContext(ctx, `UPDATE codes SET attempts = attempts + 1
			WHERE pool_id = ? AND sub = ? AND purpose = ? RETURNING attempts`, poolID, sub, purpose).Scan(&n)
		if err != nil {
			return notFound("add code attempt", err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// DeleteCode implements store.Codes.
func (s *Store) DeleteCode(ctx context.Context, poolID, sub, purpose string) error {
	return s.update(ctx, func(tx querier) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM codes WHERE pool_id = ? AND sub = ? AND purpose = ?`, poolID, sub, purpose)
		if err != nil {
			return fmt.Errorf("delete code: %w", err)
		}
		return mustAffect("delete code", res, nil)
	})
}
