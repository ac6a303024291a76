package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/userpool/userpool/internal/store"
)

const signingKeyCols = `pool_id, id, key_use, sealed, public_jwk, created_at, active_at, expires_at`

func scanSigningKey(r scanner) (store.SigningKey, error) {
	var k store.SigningKey
	var created, active int64
	var expires sql.NullInt64
	if err := r.Scan(&k.PoolID, &k.ID, &k.Use, &k.Sealed, &k.Public, &created, &active, &expires); err != nil {
		return store.SigningKey{}, err
	}
	k.CreatedAt, k.ActiveAt, k.ExpiresAt = fromMillis(created), fromMillis(active), fromNullMillis(expires)
	return k, nil
}

func getSigningKey(ctx context.Context, q querier, poolID, id string) (store.SigningKey, error) {
	k, err := scanSigningKey(q.QueryRowContext(ctx,
		`SELECT `+signingKeyCols+` FROM signing_keys WHERE pool_id = ? AND id = ?`, poolID, id))
	if err != nil {
		return store.SigningKey{}, notFound("get signing key", err)
	}
	return k, nil
}

// CreateSigningKey implements store.Keys.
func (s *Store) CreateSigningKey(ctx context.Context, k store.SigningKey) error {
	return s.update(ctx, func(tx querier) error {
		if err := poolExists(ctx, tx, k.PoolID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO signing_keys (`+signingKeyCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			k.PoolID, k.ID, k.Use, k.Sealed, k.Public, millis(k.CreatedAt), millis(k.ActiveAt), nullMillis(k.ExpiresAt))
		if err != nil {
			return insertErr("create signing key", err)
		}
		return nil
	})
}

// ListSigningKeys implements store.Keys. Keys created in the same
// millisecond (a pool's first ID and access keys) are ordered by id, so the
// order is the same on every read.
func (s *Store) ListSigningKeys(ctx context.Context, poolID string) ([]store.SigningKey, error) {
	rows, err := s.reader().QueryContext(ctx,
		`SELECT `+signingKeyCols+` FROM signing_keys WHERE pool_id = ? ORDER BY created_at, id`, poolID)
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
}

// UpdateSigningKey implements store.Keys.
func (s *Store) UpdateSigningKey(ctx context.Context, poolID, id string, fn func(*store.SigningKey) error) (store.SigningKey, error) {
	var out store.SigningKey
	err := s.update(ctx, func(tx querier) error {
		k, err := getSigningKey(ctx, tx, poolID, id)
		if err != nil {
			return err
		}
		if err := fn(&k); err != nil {
			return err
		}
		if k.PoolID != poolID || k.ID != id {
			return errKeyChanged("update signing key")
		}
		_, err = tx.ExecContext(ctx, `UPDATE signing_keys SET key_use = ?, sealed = ?, public_jwk = ?,
			created_at = ?, active_at = ?, expires_at = ? WHERE pool_id = ? AND id = ?`,
			k.Use, k.Sealed, k.Public, millis(k.CreatedAt), millis(k.ActiveAt), nullMillis(k.ExpiresAt), poolID, id)
		if err != nil {
			return insertErr("update signing key", err)
		}
		out, err = getSigningKey(ctx, tx, poolID, id)
		return err
	})
	if err != nil {
		return store.SigningKey{}, err
	}
	return out, nil
}

// DeleteSigningKey implements store.Keys.
func (s *Store) DeleteSigningKey(ctx context.Context, poolID, id string) error {
	return s.update(ctx, func(tx querier) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM signing_keys WHERE pool_id = ? AND id = ?`, poolID, id)
		return mustAffect("delete signing key", res, err)
	})
}
