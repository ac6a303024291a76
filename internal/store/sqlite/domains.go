package sqlite

import (
	"context"

	"github.com/userpool/userpool/internal/store"
)

const domainCols = `domain, pool_id, settings, created_at, updated_at`

func scanDomain(r scanner) (store.Domain, error) {
	var d store.Domain
	var created, updated int64
	if err := r.Scan(&d.Domain, &d.PoolID, &d.Settings, &created, &updated); err != nil {
		return store.Domain{}, err
	}
	d.CreatedAt, d.UpdatedAt = fromMillis(created), fromMillis(updated)
	return d, nil
}

func getDomain(ctx context.Context, q querier, domain string) (store.Domain, error) {
	d, err := scanDomain(q.QueryRowContext(ctx, `SELECT `+domainCols+` FROM domains WHERE domain = ?`, domain))
	if err != nil {
		return store.Domain{}, notFound("get domain", err)
	}
	return d, nil
}

// CreateDomain implements store.Domains. Both the name and the pool are
// unique columns, so either collision is ErrAlreadyExists.
func (s *Store) CreateDomain(ctx context.Context, d store.Domain) error {
	return s.update(ctx, func(tx querier) error {
		if err := poolExists(ctx, tx, d.PoolID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO domains (`+domainCols+`) VALUES (?, ?, ?, ?, ?)`,
			d.Domain, d.PoolID, d.Settings, millis(d.CreatedAt), millis(d.UpdatedAt))
		if err != nil {
			return insertErr("create domain", err)
		}
		return nil
	})
}

// GetDomain implements store.Domains.
func (s *Store) GetDomain(ctx context.Context, domain string) (store.Domain, error) {
	return getDomain(ctx, s.reader(), domain)
}

// GetPoolDomain implements store.Domains.
func (s *Store) GetPoolDomain(ctx context.Context, poolID string) (store.Domain, error) {
	d, err := scanDomain(s.reader().QueryRowContext(ctx, `SELECT `+domainCols+` FROM domains WHERE pool_id = ?`, poolID))
	if err != nil {
		return store.Domain{}, notFound("get pool domain", err)
	}
	return d, nil
}

// UpdateDomain implements store.Domains.
func (s *Store) UpdateDomain(ctx context.Context, domain string, fn func(*store.Domain) error) (store.Domain, error) {
	var out store.Domain
	err := s.update(ctx, func(tx querier) error {
		d, err := getDomain(ctx, tx, domain)
		if err != nil {
			return err
		}
		poolID := d.PoolID
		if err := fn(&d); err != nil {
			return err
		}
		if d.Domain != domain || d.PoolID != poolID {
			return errKeyChanged("update domain")
		}
		_, err = tx.ExecContext(ctx, `UPDATE domains SET settings = ?, created_at = ?, updated_at = ? WHERE domain = ?`,
			d.Settings, millis(d.CreatedAt), millis(d.UpdatedAt), domain)
		if err != nil {
			return insertErr("update domain", err)
		}
		out, err = getDomain(ctx, tx, domain)
		return err
	})
	if err != nil {
		return store.Domain{}, err
	}
	return out, nil
}

// DeleteDomain implements store.Domains.
func (s *Store) DeleteDomain(ctx context.Context, domain string) error {
	return s.update(ctx, func(tx querier) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM domains WHERE domain = ?`, domain)
		return mustAffect("delete domain", res, err)
	})
}
