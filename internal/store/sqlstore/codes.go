package sqlstore

import (
	"context"

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

// PutCode implements store.Codes, as one upsert. A missing user (or pool)
// is a violation of the code's foreign key; a code that exists implies its
// user does.
func (s *Store) PutCode(ctx context.Context, c store.Code) error {
	hash := c.Hash
	if hash == nil {
		hash = []byte{}
	}
	return s.do(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO codes (`+codeCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			ON CONFLICT (pool_id, sub, purpose) DO UPDATE SET code_hash = excluded.code_hash,
				attribute = excluded.attribute, value = excluded.value, pending = excluded.pending, created_at = excluded.created_at,
				expires_at = excluded.expires_at, attempts = excluded.attempts, sends = excluded.sends,
				sends_since = excluded.sends_since`,
			c.PoolID, c.Sub, c.Purpose, hash, c.Attribute, c.Value, c.Pending, millis(c.CreatedAt), millis(c.ExpiresAt),
			c.Attempts, c.Sends, millis(c.SendsSince))
		if err != nil {
			return s.insertErr("put code", err)
		}
		return nil
	})
}

// GetCode implements store.Codes.
func (s *Store) GetCode(ctx context.Context, poolID, sub, purpose string) (store.Code, error) {
	return get(ctx, s, func(q Querier) (store.Code, error) {
		c, err := scanCode(q.QueryRow(ctx,
			`SELECT `+codeCols+` FROM codes WHERE pool_id = $1 AND sub = $2 AND purpose = $3`, poolID, sub, purpose))
		if err != nil {
			return store.Code{}, notFound("get code", err)
		}
		return c, nil
	})
}

// AddCodeAttempt implements store.Codes with one UPDATE ... RETURNING:
// concurrent increments queue on the row lock, and each reads back its own.
func (s *Store) AddCodeAttempt(ctx context.Context, poolID, sub, purpose string) (int, error) {
	return put(ctx, s, func(q Querier) (int, error) {
		var n int
		err := q.QueryRow(ctx, `UPDATE codes SET attempts = attempts + 1
			WHERE pool_id = $1 AND sub = $2 AND purpose = $3 RETURNING attempts`, poolID, sub, purpose).Scan(&n)
		if err != nil {
			return 0, notFound("add code attempt", err)
		}
		return n, nil
	})
}

// DeleteCode implements store.Codes. Of concurrent deletes, one removes
// the row and the others, after waiting for its lock, find none.
func (s *Store) DeleteCode(ctx context.Context, poolID, sub, purpose string) error {
	return s.do(ctx, func(q Querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM codes WHERE pool_id = $1 AND sub = $2 AND purpose = $3`, poolID, sub, purpose)
		return mustAffect("delete code", tag, err)
	})
}
