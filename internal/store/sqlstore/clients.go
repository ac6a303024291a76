package sqlstore

import (
	"context"

	"github.com/userpool/userpool/internal/store"
)

const clientCols = `id, pool_id, name, settings, secret_hash, secret_sealed, created_at, updated_at,
	secret_created_at, secret2_hash, secret2_sealed, secret2_created_at`

func scanClient(r scanner) (store.Client, error) {
	var c store.Client
	var created, updated int64
	var secretCreated, secret2Created *int64
	var secret2 store.ClientSecret
	if err := r.Scan(&c.ID, &c.PoolID, &c.Name, &c.Settings, &c.SecretHash, &c.SecretSealed, &created, &updated,
		&secretCreated, &secret2.Hash, &secret2.Sealed, &secret2Created); err != nil {
		return store.Client{}, err
	}
	c.CreatedAt, c.UpdatedAt = fromMillis(created), fromMillis(updated)
	c.SecretCreatedAt = fromNullMillis(secretCreated)
	if len(secret2.Sealed) > 0 {
		secret2.CreatedAt = fromNullMillis(secret2Created)
		c.Secret2 = &secret2
	}
	return c, nil
}

// clientSecret2 is the columns of a client's second secret, NULL when it
// has none.
func clientSecret2(c store.Client) (hash, sealed []byte, created *int64) {
	if c.Secret2 == nil {
		return nil, nil, nil
	}
	return c.Secret2.Hash, c.Secret2.Sealed, nullMillis(c.Secret2.CreatedAt)
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
		hash2, sealed2, created2 := clientSecret2(c)
		_, err := q.Exec(ctx, `INSERT INTO clients (`+clientCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			c.ID, c.PoolID, c.Name, c.Settings, c.SecretHash, c.SecretSealed, millis(c.CreatedAt), millis(c.UpdatedAt),
			nullMillis(c.SecretCreatedAt), hash2, sealed2, created2)
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
			hash2, sealed2, created2 := clientSecret2(c)
			return scanClient(q.QueryRow(ctx, `UPDATE clients SET name = $1, settings = $2, secret_hash = $3, secret_sealed = $4,
				created_at = $5, updated_at = $6, secret_created_at = $7, secret2_hash = $8, secret2_sealed = $9,
				secret2_created_at = $10 WHERE id = $11 RETURNING `+clientCols,
				c.Name, c.Settings, c.SecretHash, c.SecretSealed, millis(c.CreatedAt), millis(c.UpdatedAt),
				nullMillis(c.SecretCreatedAt), hash2, sealed2, created2, clientID))
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
