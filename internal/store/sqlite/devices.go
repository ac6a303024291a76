package sqlite

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
func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// emptyBytes keeps a NOT NULL BLOB column from receiving NULL.
func emptyBytes(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

func getDevice(ctx context.Context, q querier, poolID, sub, key string) (store.Device, error) {
	d, err := scanDevice(q.QueryRowContext(ctx, `SELECT `+deviceCols+` FROM devices d
		WHERE d.device_key = ? AND d.pool_id = ? AND d.sub = ?`, key, poolID, sub))
	if err != nil {
		return store.Device{}, notFound("get device", err)
	}
	return d, nil
}

// CreateDevice implements store.Devices. A missing user is the foreign
// key's violation.
func (s *Store) CreateDevice(ctx context.Context, d store.Device) error {
	return s.update(ctx, func(tx querier) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO devices (device_key, pool_id, sub, group_key, name, salt, verifier,
			remembered_status, created_at, updated_at, last_authenticated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.Key, d.PoolID, d.Sub, d.GroupKey, d.Name, emptyBytes(d.Salt), emptyBytes(d.Verifier),
			d.RememberedStatus, millis(d.CreatedAt), millis(d.UpdatedAt), millis(d.LastAuthenticatedAt))
		if err != nil {
			return insertErr("create device", err)
		}
		return nil
	})
}

// GetDevice implements store.Devices.
func (s *Store) GetDevice(ctx context.Context, poolID, sub, key string) (store.Device, error) {
	return getDevice(ctx, s.reader(), poolID, sub, key)
}

// UpdateDevice implements store.Devices.
func (s *Store) UpdateDevice(ctx context.Context, poolID, sub, key string, fn func(*store.Device) error) (store.Device, error) {
	var out store.Device
	err := s.update(ctx, func(tx querier) error {
		d, err := getDevice(ctx, tx, poolID, sub, key)
		if err != nil {
			return err
		}
		if err := fn(&d); err != nil {
			return err
		}
		if d.PoolID != poolID || d.Sub != sub || d.Key != key {
			return errKeyChanged("update device")
		}
		_, err = tx.ExecContext(ctx, `UPDATE devices SET group_key = ?, name = ?, salt = ?, verifier = ?,
			remembered_status = ?, created_at = ?, updated_at = ?, last_authenticated_at = ?
			WHERE device_key = ?`,
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
	return s.update(ctx, func(tx querier) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM devices WHERE device_key = ? AND pool_id = ? AND sub = ?`, key, poolID, sub)
		if err := mustAffect("delete device", res, err); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE refresh_families SET revoked_at = ?
			WHERE pool_id = ? AND sub = ? AND device_key = ? AND device_key <> '' AND revoked_at IS NULL`,
			millis(at), poolID, sub, key)
		if err != nil {
			return fmt.Errorf("revoke device refresh families: %w", err)
		}
		return nil
	})
}

// ListDevices implements store.Devices.
func (s *Store) ListDevices(ctx context.Context, poolID, sub string, rememberedOnly bool, page store.Page) ([]store.Device, string, error) {
	where := sqlText(`d.pool_id = ? AND d.sub = ?`)
	args := []any{poolID, sub}
	if rememberedOnly {
		where += ` AND d.remembered_status = ?`
		args = append(args, store.DeviceRemembered)
	}
	return list(ctx, s.reader(), "list devices", page,
		`SELECT `+deviceCols+` FROM devices d WHERE `+where+` AND d.device_key > ? ORDER BY d.device_key LIMIT ?`,
		args, scanDevice, deviceKey)
}
