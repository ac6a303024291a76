package sqlstore

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

func getClient(ctx context.Context, q Querier, id string, lock bool) (store.Client, error) {
	c, err := scanClient(q.QueryRow(ctx, `SELECT `+clientCols+` FROM clients WHERE id = $1`+forUpdate(lock), id))
	if err != nil {
		return store.Client{}, notFound("get client", err)
	}
	return c, nil
}

// CreateClient implements store.Clients. A missing pool is the foreign
// key's violation.
func (s *Store) CreateClient(ctx context.Context, c store.Client) error {
	return s.do(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO clients (`+clientCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			c.ID, c.PoolID, c.Name, c.Settings, c.SecretHash, c.SecretSealed, millis(c.CreatedAt), millis(c.UpdatedAt))
		if err != nil {
			return s.insertErr("create client", err)
		}
		return nil
	})
}

// GetClient implements store.Clients.
func (s *Store) GetClient(ctx context.Context, clientID string) (store.Client, error) {
	return get(ctx, s, func(q Querier) (store.Client, error) { return getClient(ctx, q, clientID, false) })
}

// UpdateClient implements store.Clients.
func (s *Store) UpdateClient(ctx context.Context, clientID string, fn func(*store.Client) error) (store.Client, error) {
	return change(ctx, s, "update client", fn, func(c store.Client) [2]string { return [2]string{c.ID, c.PoolID} },
		func(q Querier, lock bool) (store.Client, error) { return getClient(ctx, q, clientID, lock) },
		func(q Querier, c store.Client) (store.Client, error) {
			return scanClient(q.QueryRow(ctx, `UPDATE clients SET name = $1, settings = $2, secret_hash = $3, secret_sealed = $4,
				created_at = $5, updated_at = $6 WHERE id = $7 RETURNING `+clientCols,
				c.Name, c.Settings, c.SecretHash, c.SecretSealed, millis(c.CreatedAt), millis(c.UpdatedAt), clientID))
		})
}

// DeleteClient implements store.Clients.
func (s *Store) DeleteClient(ctx context.Context, clientID string) error {
	return s.do(ctx, func(q Querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM clients WHERE id = $1`, clientID)
		return mustAffect("delete client", tag, err)
	})
}

// ListClients implements store.Clients.
func (s *Store) ListClients(ctx context.Context, poolID string, page store.Page) ([]store.Client, string, error) {
	var a args
	pool := a.add(poolID)
	return list(ctx, s, "list clients", page, a, func(after, limit Text) Text {
		return `SELECT ` + clientCols + ` FROM clients WHERE pool_id = ` + pool + ` AND id > ` + after +
			` ORDER BY id LIMIT ` + limit
	}, scanClient, func(c store.Client) string { return c.ID })
}
