package sqlstore

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

func getDomain(ctx context.Context, q Querier, domain string, lock bool) (store.Domain, error) {
	d, err := scanDomain(q.QueryRow(ctx, `SELECT `+domainCols+` FROM domains WHERE domain = $1`+forUpdate(lock), domain))
	if err != nil {
		return store.Domain{}, notFound("get domain", err)
	}
	return d, nil
}

// CreateDomain implements store.Domains. Both the name and the pool are
// unique, so either collision is ErrAlreadyExists; a missing pool is the
// foreign key's violation.
func (s *Store) CreateDomain(ctx context.Context, d store.Domain) error {
	return s.do(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO domains (`+domainCols+`) VALUES ($1, $2, $3, $4, $5)`,
			d.Domain, d.PoolID, d.Settings, millis(d.CreatedAt), millis(d.UpdatedAt))
		if err != nil {
			return s.insertErr("create domain", err)
		}
		return nil
	})
}

// GetDomain implements store.Domains.
func (s *Store) GetDomain(ctx context.Context, domain string) (store.Domain, error) {
	return get(ctx, s, func(q Querier) (store.Domain, error) { return getDomain(ctx, q, domain, false) })
}

// GetPoolDomain implements store.Domains.
func (s *Store) GetPoolDomain(ctx context.Context, poolID string) (store.Domain, error) {
	return get(ctx, s, func(q Querier) (store.Domain, error) {
		d, err := scanDomain(q.QueryRow(ctx, `SELECT `+domainCols+` FROM domains WHERE pool_id = $1`, poolID))
		if err != nil {
			return store.Domain{}, notFound("get pool domain", err)
		}
		return d, nil
	})
}

// UpdateDomain implements store.Domains.
func (s *Store) UpdateDomain(ctx context.Context, domain string, fn func(*store.Domain) error) (store.Domain, error) {
	return change(ctx, s, "update domain", fn, func(d store.Domain) [2]string { return [2]string{d.Domain, d.PoolID} },
		func(q Querier, lock bool) (store.Domain, error) { return getDomain(ctx, q, domain, lock) },
		func(q Querier, d store.Domain) (store.Domain, error) {
			return scanDomain(q.QueryRow(ctx, `UPDATE domains SET settings = $1, created_at = $2, updated_at = $3
				WHERE domain = $4 RETURNING `+domainCols,
				d.Settings, millis(d.CreatedAt), millis(d.UpdatedAt), domain))
		})
}

// DeleteDomain implements store.Domains.
func (s *Store) DeleteDomain(ctx context.Context, domain string) error {
	return s.do(ctx, func(q Querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM domains WHERE domain = $1`, domain)
		return mustAffect("delete domain", tag, err)
	})
}
