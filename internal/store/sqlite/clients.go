package sqlite

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

func getClient(ctx context.Context, q querier, id string) (store.Client, error) {
	c, err := scanClient(q.QueryRowContext(ctx, `SELECT `+clientCols+` FROM clients WHERE id = ?`, id))
	if err != nil {
		return store.Client{}, notFound("get client", err)
	}
	return c, nil
}

// CreateClient implements store.Clients.
func (s *Store) CreateClient(ctx context.Context, c store.Client) error {
	return s.update(ctx, func(tx querier) error {
		if err := poolExists(ctx, tx, c.PoolID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO clients (`+clientCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.PoolID, c.Name, c.Settings, c.SecretHash, c.SecretSealed, millis(c.CreatedAt), millis(c.UpdatedAt))
		if err != nil {
			return insertErr("create client", err)
		}
		return nil
	})
}

// GetClient implements store.Clients.
func (s *Store) GetClient(ctx context.Context, clientID string) (store.Client, error) {
	return getClient(ctx, s.reader(), clientID)
}

// UpdateClient implements store.Clients.
func (s *Store) UpdateClient(ctx context.Context, clientID string, fn func(*store.Client) error) (store.Client, error) {
	var out store.Client
	err := s.update(ctx, func(tx querier) error {
		c, err := getClient(ctx, tx, clientID)
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
		_, err = tx.ExecContext(ctx, `UPDATE clients SET name = ?, settings = ?, secret_hash = ?, secret_sealed = ?,
			created_at = ?, updated_at = ? WHERE id = ?`,
			c.Name, c.Settings, c.SecretHash, c.SecretSealed, millis(c.CreatedAt), millis(c.UpdatedAt), clientID)
		if err != nil {
			return insertErr("update client", err)
		}
		out, err = getClient(ctx, tx, clientID)
		return err
	})
	if err != nil {
		return store.Client{}, err
	}
	return out, nil
}

// DeleteClient implements store.Clients.
func (s *Store) DeleteClient(ctx context.Context, clientID string) error {
	return s.update(ctx, func(tx querier) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM clients WHERE id = ?`, clientID)
		return mustAffect("delete client", res, err)
	})
}

// ListClients implements store.Clients.
func (s *Store) ListClients(ctx context.Context, poolID string, page store.Page) ([]store.Client, string, error) {
	return list(ctx, s.reader(), "list clients", page,
		`SELECT `+clientCols+` FROM clients WHERE pool_id = ? AND id > ? ORDER BY id LIMIT ?`, []any{poolID},
		scanClient, func(c store.Client) string { return c.ID })
}
