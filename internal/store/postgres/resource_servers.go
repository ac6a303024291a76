package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/userpool/userpool/internal/store"
)

const resourceServerCols = `pool_id, identifier, name, scopes`

// Scopes are one JSONB column: they are always read and written with their
// resource server, and nothing queries them on their own.
func scanResourceServer(r scanner) (store.ResourceServer, error) {
	var rs store.ResourceServer
	var scopes []byte
	if err := r.Scan(&rs.PoolID, &rs.Identifier, &rs.Name, &scopes); err != nil {
		return store.ResourceServer{}, err
	}
	if err := json.Unmarshal(scopes, &rs.Scopes); err != nil {
		return store.ResourceServer{}, fmt.Errorf("decode scopes: %w", err)
	}
	if len(rs.Scopes) == 0 {
		rs.Scopes = nil
	}
	return rs, nil
}

// encodeJSON encodes a list for a JSONB column: a nil list is the empty
// array, not JSON null.
func encodeJSON[T any](v []T) (string, error) {
	if v == nil {
		v = []T{}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode: %w", err)
	}
	return string(b), nil
}

func getResourceServer(ctx context.Context, q querier, poolID, identifier string, lock bool) (store.ResourceServer, error) {
	rs, err := scanResourceServer(q.QueryRow(ctx,
		`SELECT `+resourceServerCols+` FROM resource_servers WHERE pool_id = $1 AND identifier = $2`+forUpdate(lock),
		poolID, identifier))
	if err != nil {
		return store.ResourceServer{}, notFound("get resource server", err)
	}
	return rs, nil
}

// CreateResourceServer implements store.ResourceServers.
func (s *Store) CreateResourceServer(ctx context.Context, rs store.ResourceServer) error {
	scopes, err := encodeJSON(rs.Scopes)
	if err != nil {
		return fmt.Errorf("create resource server: scopes: %w", err)
	}
	return s.do(ctx, func(q querier) error {
		_, err := q.Exec(ctx, `INSERT INTO resource_servers (`+resourceServerCols+`) VALUES ($1, $2, $3, $4)`,
			rs.PoolID, rs.Identifier, rs.Name, scopes)
		if err != nil {
			return insertErr("create resource server", err)
		}
		return nil
	})
}

// GetResourceServer implements store.ResourceServers.
func (s *Store) GetResourceServer(ctx context.Context, poolID, identifier string) (store.ResourceServer, error) {
	return get(ctx, s, func(q querier) (store.ResourceServer, error) {
		return getResourceServer(ctx, q, poolID, identifier, false)
	})
}

// UpdateResourceServer implements store.ResourceServers.
func (s *Store) UpdateResourceServer(ctx context.Context, poolID, identifier string, fn func(*store.ResourceServer) error) (store.ResourceServer, error) {
	var out store.ResourceServer
	err := s.update(ctx, func(q querier) error {
		rs, err := getResourceServer(ctx, q, poolID, identifier, true)
		if err != nil {
			return err
		}
		if err := fn(&rs); err != nil {
			return err
		}
		if rs.PoolID != poolID || rs.Identifier != identifier {
			return errKeyChanged("update resource server")
		}
		scopes, err := encodeJSON(rs.Scopes)
		if err != nil {
			return fmt.Errorf("update resource server: scopes: %w", err)
		}
		out, err = scanResourceServer(q.QueryRow(ctx, `UPDATE resource_servers SET name = $1, scopes = $2
			WHERE pool_id = $3 AND identifier = $4 RETURNING `+resourceServerCols,
			rs.Name, scopes, poolID, identifier))
		if err != nil {
			return insertErr("update resource server", err)
		}
		return nil
	})
	if err != nil {
		return store.ResourceServer{}, err
	}
	return out, nil
}

// DeleteResourceServer implements store.ResourceServers.
func (s *Store) DeleteResourceServer(ctx context.Context, poolID, identifier string) error {
	return s.do(ctx, func(q querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM resource_servers WHERE pool_id = $1 AND identifier = $2`, poolID, identifier)
		return mustAffect("delete resource server", tag, err)
	})
}

// ListResourceServers implements store.ResourceServers.
func (s *Store) ListResourceServers(ctx context.Context, poolID string, page store.Page) ([]store.ResourceServer, string, error) {
	var a args
	pool := a.add(poolID)
	return list(ctx, s, "list resource servers", page, a, func(after, limit string) string {
		return `SELECT ` + resourceServerCols + ` FROM resource_servers WHERE pool_id = ` + pool +
			` AND identifier > ` + after + ` ORDER BY identifier LIMIT ` + limit
	}, scanResourceServer, func(rs store.ResourceServer) string { return rs.Identifier })
}
