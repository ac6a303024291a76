package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/userpool/userpool/internal/store"
)

const resourceServerCols = `pool_id, identifier, name, scopes`

// Scopes are one JSON column (TEXT, JSONB): they are always read and written with their
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

// encodeJSON encodes a list for a JSON column: a nil list is the empty
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

func getResourceServer(ctx context.Context, q Querier, poolID, identifier string, lock bool) (store.ResourceServer, error) {
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
	return s.do(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO resource_servers (`+resourceServerCols+`) VALUES ($1, $2, $3, $4)`,
			rs.PoolID, rs.Identifier, rs.Name, scopes)
		if err != nil {
			return s.insertErr("create resource server", err)
		}
		return nil
	})
}

// GetResourceServer implements store.ResourceServers.
func (s *Store) GetResourceServer(ctx context.Context, poolID, identifier string) (store.ResourceServer, error) {
	return get(ctx, s, func(q Querier) (store.ResourceServer, error) {
		return getResourceServer(ctx, q, poolID, identifier, false)
	})
}

// UpdateResourceServer implements store.ResourceServers.
func (s *Store) UpdateResourceServer(ctx context.Context, poolID, identifier string, fn func(*store.ResourceServer) error) (store.ResourceServer, error) {
	return change(ctx, s, "update resource server", fn,
		func(rs store.ResourceServer) [2]string { return [2]string{rs.PoolID, rs.Identifier} },
		func(q Querier, lock bool) (store.ResourceServer, error) {
			return getResourceServer(ctx, q, poolID, identifier, lock)
		},
		func(q Querier, rs store.ResourceServer) (store.ResourceServer, error) {
			scopes, err := encodeJSON(rs.Scopes)
			if err != nil {
				return store.ResourceServer{}, fmt.Errorf("scopes: %w", err)
			}
			return scanResourceServer(q.QueryRow(ctx, `UPDATE resource_servers SET name = $1, scopes = $2
				WHERE pool_id = $3 AND identifier = $4 RETURNING `+resourceServerCols,
				rs.Name, scopes, poolID, identifier))
		})
}

// DeleteResourceServer implements store.ResourceServers.
func (s *Store) DeleteResourceServer(ctx context.Context, poolID, identifier string) error {
	return s.do(ctx, func(q Querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM resource_servers WHERE pool_id = $1 AND identifier = $2`, poolID, identifier)
		return mustAffect("delete resource server", tag, err)
	})
}

// ListResourceServers implements store.ResourceServers.
func (s *Store) ListResourceServers(ctx context.Context, poolID string, page store.Page) ([]store.ResourceServer, string, error) {
	var a args
	pool := a.add(poolID)
	return list(ctx, s, "list resource servers", page, a, func(after, limit Text) Text {
		return `SELECT ` + resourceServerCols + ` FROM resource_servers WHERE pool_id = ` + pool +
			` AND identifier > ` + after + ` ORDER BY identifier LIMIT ` + limit
	}, scanResourceServer, func(rs store.ResourceServer) string { return rs.Identifier })
}
