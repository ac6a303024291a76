package sqlstore

import (
	"context"

	"github.com/userpool/userpool/internal/store"
)

const poolCols = `id, name, settings, mfa, created_at, updated_at`

func scanPool(r scanner) (store.Pool, error) {
	var p store.Pool
	var created, updated int64
	if err := r.Scan(&p.ID, &p.Name, &p.Settings, &p.MFA, &created, &updated); err != nil {
		return store.Pool{}, err
	}
	p.CreatedAt, p.UpdatedAt = fromMillis(created), fromMillis(updated)
	return p, nil
}

// getPool reads a pool; lock adds FOR UPDATE, for read-modify-writes.
func getPool(ctx context.Context, q Querier, id string, lock bool) (store.Pool, error) {
	p, err := scanPool(q.QueryRow(ctx, `SELECT `+poolCols+` FROM pools WHERE id = $1`+forUpdate(lock), id))
	if err != nil {
		return store.Pool{}, notFound("get pool", err)
	}
	return p, nil
}

// CreatePool implements store.Pools.
func (s *Store) CreatePool(ctx context.Context, p store.Pool) error {
	return s.do(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO pools (`+poolCols+`) VALUES ($1, $2, $3, $4, $5, $6)`,
			p.ID, p.Name, p.Settings, nullBytes(p.MFA), millis(p.CreatedAt), millis(p.UpdatedAt))
		if err != nil {
			return s.insertErr("create pool", err)
		}
		return nil
	})
}

// GetPool implements store.Pools.
func (s *Store) GetPool(ctx context.Context, id string) (store.Pool, error) {
	return get(ctx, s, func(q Querier) (store.Pool, error) { return getPool(ctx, q, id, false) })
}

// UpdatePool implements store.Pools.
func (s *Store) UpdatePool(ctx context.Context, id string, fn func(*store.Pool) error) (store.Pool, error) {
	return change(ctx, s, "update pool", fn, func(p store.Pool) string { return p.ID },
		func(q Querier, lock bool) (store.Pool, error) { return getPool(ctx, q, id, lock) },
		func(q Querier, p store.Pool) (store.Pool, error) {
			return scanPool(q.QueryRow(ctx, `UPDATE pools SET name = $1, settings = $2, mfa = $3, created_at = $4, updated_at = $5
				WHERE id = $6 RETURNING `+poolCols,
				p.Name, p.Settings, nullBytes(p.MFA), millis(p.CreatedAt), millis(p.UpdatedAt), id))
		})
}

// DeletePool implements store.Pools. Foreign keys cascade to everything in
// the pool.
func (s *Store) DeletePool(ctx context.Context, id string) error {
	return s.do(ctx, func(q Querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM pools WHERE id = $1`, id)
		return mustAffect("delete pool", tag, err)
	})
}

// ListPools implements store.Pools.
func (s *Store) ListPools(ctx context.Context, page store.Page) ([]store.Pool, string, error) {
	return list(ctx, s, "list pools", page, nil, func(after, limit Text) Text {
		return `SELECT ` + poolCols + ` FROM pools WHERE id > ` + after + ` ORDER BY id LIMIT ` + limit
	}, scanPool, func(p store.Pool) string { return p.ID })
}
