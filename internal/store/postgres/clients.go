package postgres

import (
	"context"

	"github.com/userpool/userpool/internal/store"
)

const clientCols = `id, pool_id, name, settings, secret_hash, secret_sealed, created_at, updated_at`

func scanClient(r scanner) (store.Client, error) {
	var c store.Client
	var created, updated int64
	if err := r.Scan(&c.ID, &c.PoolID, &c.Name, &c.Settings, &c.SecretHash, &c.SecretSealed, &created, &updated); err != nil {
		return store.Client{}, err
	}
	c.CreatedAt, c.UpdatedAt = fromMillis(created), fromMillis(updated)
	return c, nil
}

func getClient(ctx context.Context, q querier, id string, lock bool) (store.Client, error) {
	c, err := scanClient(q.QueryRow(ctx, `SELECT `+clientCols+` FROM clients WHERE id = $1`+forUpdate(lock), id))
	if err != nil {
		return store.Client{}, notFound("get client", err)
	}
	return c, nil
}

// CreateClient implements store.Clients. A missing pool is the foreign
// key's violation.
func (s *Store) CreateClient(ctx context.Context, c store.Client) error {
	return s.do(ctx, func(q querier) error {
		_, err := q.Exec(ctx, `INSERT INTO clients (`+clientCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			c.ID, c.PoolID, c.Name, c.Settings, c.SecretHash, c.SecretSealed, millis(c.CreatedAt), millis(c.UpdatedAt))
		if err != nil {
			return insertErr("create client", err)
		}
		return nil
	})
}

// GetClient implements store.Clients.
func (s *Store) GetClient(ctx context.Context, clientID string) (store.Client, error) {
	return get(ctx, s, func(q querier) (store.Client, error) { return getClient(ctx, q, clientID, false) })
}

// UpdateClient implements store.Clients.
func (s *Store) UpdateClient(ctx context.Context, clientID string, fn func(*store.Client) error) (store.Client, error) {
	var out store.Client
	err := s.update(ctx, func(q querier) error {
		c, err := getClient(ctx, q, clientID, true)
		if err != nil {
			return err
		}
		poolID := c.PoolID
		if err := fn(&c); err != nil {
			return err
		}
		if c.ID != clientID || c.PoolID != poolID {
			return errKeyChanged("update client")
		}
		out, err = scanClient(q.QueryRow(ctx, `UPDATE clients SET name = $1, settings = $2, secret_hash = $3, secret_sealed = $4,
			created_at = $5, updated_at = $6 WHERE id = $7 RETURNING `+clientCols,
			c.Name, c.Settings, c.SecretHash, c.SecretSealed, millis(c.CreatedAt), millis(c.UpdatedAt), clientID))
		if err != nil {
			return insertErr("update client", err)
		}
		return nil
	})
	if err != nil {
		return store.Client{}, err
	}
	return out, nil
}

// DeleteClient implements store.Clients.
func (s *Store) DeleteClient(ctx context.Context, clientID string) error {
	return s.do(ctx, func(q querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM clients WHERE id = $1`, clientID)
		return mustAffect("delete client", tag, err)
	})
}

// ListClients implements store.Clients.
func (s *Store) ListClients(ctx context.Context, poolID string, page store.Page) ([]store.Client, string, error) {
	var a args
	pool := a.add(poolID)
	return list(ctx, s, "list clients", page, a, func(after, limit string) string {
		return `SELECT ` + clientCols + ` FROM clients WHERE pool_id = ` + pool + ` AND id > ` + after +
			` ORDER BY id LIMIT ` + limit
	}, scanClient, func(c store.Client) string { return c.ID })
}
