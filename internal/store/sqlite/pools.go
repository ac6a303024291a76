package sqlite

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

func getPool(ctx context.Context, q querier, id string) (store.Pool, error) {
	p, err := scanPool(q.QueryRowContext(ctx, `SELECT `+poolCols+` FROM pools WHERE id = ?`, id))
	if err != nil {
		return store.Pool{}, notFound("get pool", err)
	}
	return p, nil
}

// CreatePool implements store.Pools.
func (s *Store) CreatePool(ctx context.Context, p store.Pool) error {
	return s.update(ctx, func(tx querier) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO pools (`+poolCols+`) VALUES (?, ?, ?, ?, ?, ?)`,
			p.ID, p.Name, p.Settings, nullBytes(p.MFA), millis(p.CreatedAt), millis(p.UpdatedAt))
		if err != nil {
			return insertErr("create pool", err)
		}
		return nil
	})
}

// GetPool implements store.Pools.
func (s *Store) GetPool(ctx context.Context, id string) (store.Pool, error) {
	return getPool(ctx, s.reader(), id)
}

// UpdatePool implements store.Pools.
func (s *Store) UpdatePool(ctx context.Context, id string, fn func(*store.Pool) error) (store.Pool, error) {
	var out store.Pool
	err := s.update(ctx, func(tx querier) error {
		p, err := getPool(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := fn(&p); err != nil {
			return err
		}
		if p.ID != id {
			return errKeyChanged("update pool")
		}
		_, err = tx.ExecContext(ctx, `UPDATE pools SET name = ?, settings = ?, mfa = ?, created_at = ?, updated_at = ? WHERE id = ?`,
			p.Name, p.Settings, nullBytes(p.MFA), millis(p.CreatedAt), millis(p.UpdatedAt), id)
		if err != nil {
			return insertErr("update pool", err)
		}
		// Read back, so the caller gets exactly what a later Get returns.
		out, err = getPool(ctx, tx, id)
		return err
	})
	if err != nil {
		return store.Pool{}, err
	}
	return out, nil
}

// DeletePool implements store.Pools. Foreign keys cascade to everything in
// the pool.
func (s *Store) DeletePool(ctx context.Context, id string) error {
	return s.update(ctx, func(tx querier) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM pools WHERE id = ?`, id)
		return mustAffect("delete pool", res, err)
	})
}

// ListPools implements store.Pools.
func (s *Store) ListPools(ctx context.Context, page store.Page) ([]store.Pool, string, error) {
	return list(ctx, s.reader(), "list pools", page,
		`SELECT `+poolCols+` FROM pools WHERE id > ? ORDER BY id LIMIT ?`, nil,
		scanPool, func(p store.Pool) string { return p.ID })
}
