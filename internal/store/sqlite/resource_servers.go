package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/userpool/userpool/internal/store"
)

const resourceServerCols = `pool_id, identifier, name, scopes`

// Scopes are one JSON column: they are always read and written with their
// resource server, and nothing queries them on their own.
func scanResourceServer(r scanner) (store.ResourceServer, error) {
	var rs store.ResourceServer
	var scopes string
	if err := r.Scan(&rs.PoolID, &rs.Identifier, &rs.Name, &scopes); err != nil {
		return store.ResourceServer{}, err
	}
	if err := json.Unmarshal([]byte(scopes), &rs.Scopes); err != nil {
		return store.ResourceServer{}, fmt.Errorf("decode scopes: %w", err)
	}
	if len(rs.Scopes) == 0 {
		rs.Scopes = nil
	}
	return rs, nil
}

func encodeScopes(scopes []store.Scope) (string, error) {
	if scopes == nil {
		scopes = []store.Scope{}
	}
	b, err := json.Marshal(scopes)
	if err != nil {
		return "", fmt.Errorf("encode scopes: %w", err)
	}
	return string(b), nil
}

func getResourceServer(ctx context.Context, q querier, poolID, identifier string) (store.ResourceServer, error) {
	rs, err := scanResourceServer(q.QueryRowContext(ctx,
		`SELECT `+resourceServerCols+` FROM resource_servers WHERE pool_id = ? AND identifier = ?`, poolID, identifier))
	if err != nil {
		return store.ResourceServer{}, notFound("get resource server", err)
	}
	return rs, nil
}

// CreateResourceServer implements store.ResourceServers.
func (s *Store) CreateResourceServer(ctx context.Context, rs store.ResourceServer) error {
	scopes, err := encodeScopes(rs.Scopes)
	if err != nil {
		return err
	}
	return s.update(ctx, func(tx querier) error {
		if err := poolExists(ctx, tx, rs.PoolID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO resource_servers (`+resourceServerCols+`) VALUES (?, ?, ?, ?)`,
			rs.PoolID, rs.Identifier, rs.Name, scopes)
		if err != nil {
			return insertErr("create resource server", err)
		}
		return nil
	})
}

// GetResourceServer implements store.ResourceServers.
func (s *Store) GetResourceServer(ctx context.Context, poolID, identifier string) (store.ResourceServer, error) {
	return getResourceServer(ctx, s.reader(), poolID, identifier)
}

// UpdateResourceServer implements store.ResourceServers.
func (s *Store) UpdateResourceServer(ctx context.Context, poolID, identifier string, fn func(*store.ResourceServer) error) (store.ResourceServer, error) {
	var out store.ResourceServer
	err := s.update(ctx, func(tx querier) error {
		rs, err := getResourceServer(ctx, tx, poolID, identifier)
		if err != nil {
			return err
		}
		if err := fn(&rs); err != nil {
			return err
		}
		if rs.PoolID != poolID || rs.Identifier != identifier {
			return errKeyChanged("update resource server")
		}
		scopes, err := encodeScopes(rs.Scopes)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE resource_servers SET name = ?, scopes = ? WHERE pool_id = ? AND identifier = ?`,
			rs.Name, scopes, poolID, identifier)
		if err != nil {
			return insertErr("update resource server", err)
		}
		out, err = getResourceServer(ctx, tx, poolID, identifier)
		return err
	})
	if err != nil {
		return store.ResourceServer{}, err
	}
	return out, nil
}

// DeleteResourceServer implements store.ResourceServers.
func (s *Store) DeleteResourceServer(ctx context.Context, poolID, identifier string) error {
	return s.update(ctx, func(tx querier) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM resource_servers WHERE pool_id = ? AND identifier = ?`, poolID, identifier)
		return mustAffect("delete resource server", res, err)
	})
}

// ListResourceServers implements store.ResourceServers.
func (s *Store) ListResourceServers(ctx context.Context, poolID string, page store.Page) ([]store.ResourceServer, string, error) {
	return list(ctx, s.reader(), "list resource servers", page,
		`SELECT `+resourceServerCols+` FROM resource_servers WHERE pool_id = ? AND identifier > ? ORDER BY identifier LIMIT ?`,
		[]any{poolID}, scanResourceServer, func(rs store.ResourceServer) string { return rs.Identifier })
}
