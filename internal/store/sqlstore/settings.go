package sqlstore

import (
	"context"

	"github.com/userpool/userpool/internal/store"
)

// PutPoolSetting implements store.PoolSettings, as one upsert. A missing
// pool is the foreign key's violation.
func (s *Store) PutPoolSetting(ctx context.Context, ps store.PoolSetting) error {
	value := ps.Value
	if value == nil {
		value = []byte{} // nil would be NULL
	}
	return s.do(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO pool_settings (pool_id, name, value, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (pool_id, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			ps.PoolID, ps.Name, value, millis(ps.UpdatedAt))
		if err != nil {
			return s.insertErr("put pool setting", err)
		}
		return nil
	})
}

// GetPoolSetting implements store.PoolSettings.
func (s *Store) GetPoolSetting(ctx context.Context, poolID, name string) (store.PoolSetting, error) {
	return get(ctx, s, func(q Querier) (store.PoolSetting, error) {
		ps := store.PoolSetting{PoolID: poolID, Name: name}
		var updated int64
		if err := q.QueryRow(ctx, `SELECT value, updated_at FROM pool_settings WHERE pool_id = $1 AND name = $2`,
			poolID, name).Scan(&ps.Value, &updated); err != nil {
			return store.PoolSetting{}, notFound("get pool setting", err)
		}
		ps.UpdatedAt = fromMillis(updated)
		return ps, nil
	})
}

// DeletePoolSetting implements store.PoolSettings.
func (s *Store) DeletePoolSetting(ctx context.Context, poolID, name string) error {
	return s.do(ctx, func(q Querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM pool_settings WHERE pool_id = $1 AND name = $2`, poolID, name)
		return mustAffect("delete pool setting", tag, err)
	})
}
