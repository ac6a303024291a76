package sqlstore

import (
	"context"
	"fmt"

	"github.com/userpool/userpool/internal/store"
)

const signingKeyCols = `pool_id, id, key_use, sealed, public_jwk, created_at, active_at, expires_at`

func scanSigningKey(r scanner) (store.SigningKey, error) {
	var k store.SigningKey
	var created, active int64
	var expires *int64
	if err := r.Scan(&k.PoolID, &k.ID, &k.Use, &k.Sealed, &k.Public, &created, &active, &expires); err != nil {
		return store.SigningKey{}, err
	}
	k.CreatedAt, k.ActiveAt, k.ExpiresAt = fromMillis(created), fromMillis(active), fromNullMillis(expires)
	return k, nil
}

// CreateSigningKey implements store.Keys. A missing pool is the foreign
// key's violation.
func (s *Store) CreateSigningKey(ctx context.Context, k store.SigningKey) error {
	return s.do(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO signing_keys (`+signingKeyCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			k.PoolID, k.ID, k.Use, k.Sealed, k.Public, millis(k.CreatedAt), millis(k.ActiveAt), nullMillis(k.ExpiresAt))
		if err != nil {
			return s.insertErr("create signing key", err)
		}
		return nil
	})
}

// ListSigningKeys implements store.Keys. Keys created in the same
// millisecond (a pool's first ID and access keys) are ordered by id, so the
// order is the same on every read.
func (s *Store) ListSigningKeys(ctx context.Context, poolID string) ([]store.SigningKey, error) {
	return get(ctx, s, func(q Querier) ([]store.SigningKey, error) {
		rows, err := q.Query(ctx, `SELECT `+signingKeyCols+` FROM signing_keys WHERE pool_id = $1 ORDER BY created_at, id`, poolID)
		if err != nil {
			return nil, fmt.Errorf("list signing keys: %w", err)
		}
		defer rows.Close()
		var out []store.SigningKey
		for rows.Next() {
			k, err := scanSigningKey(rows)
			if err != nil {
				return nil, fmt.Errorf("list signing keys: %w", err)
			}
			out = append(out, k)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("list signing keys: %w", err)
		}
		return out, nil
	})
}

// UpdateSigningKey implements store.Keys.
func (s *Store) UpdateSigningKey(ctx context.Context, poolID, id string, fn func(*store.SigningKey) error) (store.SigningKey, error) {
	return change(ctx, s, "update signing key", fn, func(k store.SigningKey) [2]string { return [2]string{k.PoolID, k.ID} },
		func(q Querier, lock bool) (store.SigningKey, error) {
			k, err := scanSigningKey(q.QueryRow(ctx,
				`SELECT `+signingKeyCols+` FROM signing_keys WHERE pool_id = $1 AND id = $2`+forUpdate(lock), poolID, id))
			return k, notFound("get signing key", err)
		},
		func(q Querier, k store.SigningKey) (store.SigningKey, error) {
			return scanSigningKey(q.QueryRow(ctx, `UPDATE signing_keys SET key_use = $1, sealed = $2, public_jwk = $3,
				created_at = $4, active_at = $5, expires_at = $6 WHERE pool_id = $7 AND id = $8 RETURNING `+signingKeyCols,
				k.Use, k.Sealed, k.Public, millis(k.CreatedAt), millis(k.ActiveAt), nullMillis(k.ExpiresAt), poolID, id))
		})
}

// DeleteSigningKey implements store.Keys.
func (s *Store) DeleteSigningKey(ctx context.Context, poolID, id string) error {
	return s.do(ctx, func(q Querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM signing_keys WHERE pool_id = $1 AND id = $2`, poolID, id)
		return mustAffect("delete signing key", tag, err)
	})
}
