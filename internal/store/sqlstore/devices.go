package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/userpool/userpool/internal/store"
)

const deviceCols = `d.pool_id, d.sub, d.device_key, d.group_key, d.name, d.salt, d.verifier,
	d.remembered_status, d.created_at, d.updated_at, d.last_authenticated_at`

func scanDevice(r scanner) (store.Device, error) {
	var d store.Device
	var created, updated, lastAuth int64
	err := r.Scan(&d.PoolID, &d.Sub, &d.Key, &d.GroupKey, &d.Name, &d.Salt, &d.Verifier,
		&d.RememberedStatus, &created, &updated, &lastAuth)
	if err != nil {
		return store.Device{}, err
	}
	d.CreatedAt, d.UpdatedAt, d.LastAuthenticatedAt = fromMillis(created), fromMillis(updated), fromMillis(lastAuth)
	return d, nil
}

func deviceKey(d store.Device) string { return d.Key }

// nullBytes stores an empty byte slice as NULL, the value of the columns
// (the users' SRP salt and verifier) where "none" is the normal state.
func nullBytes(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// emptyBytes keeps a NOT NULL BLOB or BYTEA column from receiving NULL:
// the drivers encode a nil slice as NULL.
func emptyBytes(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

func getDevice(ctx context.Context, q Querier, poolID, sub, key string, lock bool) (store.Device, error) {
	d, err := scanDevice(q.QueryRow(ctx, `SELECT `+deviceCols+` FROM devices d
		WHERE d.device_key = $1 AND d.pool_id = $2 AND d.sub = $3`+forUpdate(lock), key, poolID, sub))
	if err != nil {
		return store.Device{}, notFound("get device", err)
	}
	return d, nil
}

// CreateDevice implements store.Devices. A missing user is the foreign
// key's violation.
func (s *Store) CreateDevice(ctx context.Context, d store.Device) error {
	return s.do(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO devices (device_key, pool_id, sub, group_key, name, salt, verifier,
			remembered_status, created_at, updated_at, last_authenticated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			d.Key, d.PoolID, d.Sub, d.GroupKey, d.Name, emptyBytes(d.Salt), emptyBytes(d.Verifier),
			d.RememberedStatus, millis(d.CreatedAt), millis(d.UpdatedAt), millis(d.LastAuthenticatedAt))
		if err != nil {
			return s.insertErr("create device", err)
		}
		return nil
	})
}

// GetDevice implements store.Devices.
func (s *Store) GetDevice(ctx context.Context, poolID, sub, key string) (store.Device, error) {
	return get(ctx, s, func(q Querier) (store.Device, error) {
		return getDevice(ctx, q, poolID, sub, key, false)
	})
}

// UpdateDevice implements store.Devices. The row is locked while fn runs,
// so concurrent updates queue instead of losing one another's changes.
func (s *Store) UpdateDevice(ctx context.Context, poolID, sub, key string, fn func(*store.Device) error) (store.Device, error) {
	var out store.Device
	err := s.update(ctx, func(q Querier) error {
		d, err := getDevice(ctx, q, poolID, sub, key, s.f.RowLocks)
		if err != nil {
			return err
		}
		if err := fn(&d); err != nil {
			return err
		}
		if d.PoolID != poolID || d.Sub != sub || d.Key != key {
			return errKeyChanged("update device")
		}
		_, err = q.Exec(ctx, `UPDATE devices SET group_key = $1, name = $2, salt = $3, verifier = $4,
			remembered_status = $5, created_at = $6, updated_at = $7, last_authenticated_at = $8
			WHERE device_key = $9`,
			d.GroupKey, d.Name, emptyBytes(d.Salt), emptyBytes(d.Verifier), d.RememberedStatus,
			millis(d.CreatedAt), millis(d.UpdatedAt), millis(d.LastAuthenticatedAt), key)
		if err != nil {
			return fmt.Errorf("update device: %w", err)
		}
		out = d
		return nil
	})
	if err != nil {
		return store.Device{}, err
	}
	return out, nil
}

// DeleteDevice implements store.Devices.
func (s *Store) DeleteDevice(ctx context.Context, poolID, sub, key string, at time.Time) error {
	return s.update(ctx, func(q Querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM devices WHERE device_key = $1 AND pool_id = $2 AND sub = $3`, key, poolID, sub)
		if err := mustAffect("delete device", tag, err); err != nil {
			return err
		}
		_, err = q.Exec(ctx, `UPDATE refresh_families SET revoked_at = $1
			WHERE pool_id = $2 AND sub = $3 AND device_key = $4 AND device_key <> '' AND revoked_at IS NULL`,
			millis(at), poolID, sub, key)
		if err != nil {
			return fmt.Errorf("revoke device refresh families: %w", err)
		}
		return nil
	})
}

// ListDevices implements store.Devices.
func (s *Store) ListDevices(ctx context.Context, poolID, sub string, rememberedOnly bool, page store.Page) ([]store.Device, string, error) {
	var a args
	where := `d.pool_id = ` + a.add(poolID) + ` AND d.sub = ` + a.add(sub)
	if rememberedOnly {
		where += ` AND d.remembered_status = ` + a.add(store.DeviceRemembered)
	}
	return list(ctx, s, "list devices", page, a, func(after, limit Text) Text {
		return `SELECT ` + deviceCols + ` FROM devices d WHERE ` + where + ` AND d.device_key > ` + after +
			` ORDER BY d.device_key LIMIT ` + limit
	}, scanDevice, deviceKey)
}
