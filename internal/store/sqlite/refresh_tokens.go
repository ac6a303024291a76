package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/userpool/userpool/internal/store"
)

const (
	familyCols = `f.id, f.pool_id, f.client_id, f.sub, f.auth_time, f.scopes, f.device_key,
	f.created_at, f.expires_at, f.revoked_at`
	refreshTokenCols = `t.id, t.family_id, t.secret_hash, t.created_at, t.expires_at, t.replaced_at`
)

// gcBatch bounds the rows one garbage-collection round deletes of each
// kind: every other write of the server waits behind it for the single
// write connection.
const gcBatch = 1000

// familyDest and tokenDest are the scan targets of the two column lists,
// so GetRefreshToken can read both from one joined row.
type familyDest struct {
	f                          store.RefreshFamily
	scopes                     string
	authTime, created, expires int64
	revoked                    sql.NullInt64
}

func (d *familyDest) targets() []any {
	return []any{&d.f.ID, &d.f.PoolID, &d.f.ClientID, &d.f.Sub, &d.authTime, &d.scopes, &d.f.DeviceKey,
		&d.created, &d.expires, &d.revoked}
}

func (d *familyDest) family() (store.RefreshFamily, error) {
	f := d.f
	if err := json.Unmarshal([]byte(d.scopes), &f.Scopes); err != nil {
		return store.RefreshFamily{}, fmt.Errorf("decode scopes: %w", err)
	}
	if len(f.Scopes) == 0 {
		f.Scopes = nil
	}
	f.AuthTime, f.CreatedAt, f.ExpiresAt = fromMillis(d.authTime), fromMillis(d.created), fromMillis(d.expires)
	f.RevokedAt = fromNullMillis(d.revoked)
	return f, nil
}

type tokenDest struct {
	t                store.RefreshToken
	created, expires int64
	replaced         sql.NullInt64
}

func (d *tokenDest) targets() []any {
	return []any{&d.t.ID, &d.t.FamilyID, &d.t.SecretHash, &d.created, &d.expires, &d.replaced}
}

func (d *tokenDest) token() store.RefreshToken {
	t := d.t
	t.CreatedAt, t.ExpiresAt, t.ReplacedAt = fromMillis(d.created), fromMillis(d.expires), fromNullMillis(d.replaced)
	return t
}

func encodeStrings(v []string) (string, error) {
	if v == nil {
		v = []string{}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode scopes: %w", err)
	}
	return string(b), nil
}

func insertRefreshToken(ctx context.Context, tx querier, familyID string, t store.RefreshToken) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO refresh_tokens (id, family_id, secret_hash, created_at, expires_at, replaced_at)
		VALUES (?, ?, ?, ?, ?, ?)`,
		t.ID, familyID, t.SecretHash, millis(t.CreatedAt), millis(t.ExpiresAt), nullMillis(t.ReplacedAt))
	if err != nil {
		return insertErr("insert refresh token", err)
	}
	return nil
}

// CreateRefreshFamily implements store.RefreshTokens. first joins f
// whatever its FamilyID; a FamilyID naming another family is refused. The
// family's user must exist too: deleting the user deletes its families.
func (s *Store) CreateRefreshFamily(ctx context.Context, f store.RefreshFamily, first store.RefreshToken) error {
	if first.FamilyID != "" && first.FamilyID != f.ID {
		return fmt.Errorf("create refresh family: the first token names family %q, not %q", first.FamilyID, f.ID)
	}
	scopes, err := encodeStrings(f.Scopes)
	if err != nil {
		return err
	}
	return s.update(ctx, func(tx querier) error {
		if err := poolExists(ctx, tx, f.PoolID); err != nil {
			return err
		}
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM users WHERE pool_id = ? AND sub = ?`, f.PoolID, f.Sub).Scan(&one)
		if err != nil {
			return notFound(fmt.Sprintf("user %q", f.Sub), err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO refresh_families (id, pool_id, client_id, sub, auth_time, scopes, device_key,
			created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			f.ID, f.PoolID, f.ClientID, f.Sub, millis(f.AuthTime), scopes, f.DeviceKey,
			millis(f.CreatedAt), millis(f.ExpiresAt), nullMillis(f.RevokedAt))
		if err != nil {
			return insertErr("create refresh family", err)
		}
		return insertRefreshToken(ctx, tx, f.ID, first)
	})
}

// GetRefreshFamily implements store.RefreshTokens.
func (s *Store) GetRefreshFamily(ctx context.Context, id string) (store.RefreshFamily, error) {
	var d familyDest
	err := s.reader().QueryRowContext(ctx, `SELECT `+familyCols+` FROM refresh_families f WHERE f.id = ?`, id).
		Scan(d.targets()...)
	if err != nil {
		return store.RefreshFamily{}, notFound("get refresh family", err)
	}
	return d.family()
}

// GetRefreshToken implements store.RefreshTokens. The token and its family
// come from one statement, so they agree even on the read pool while a
// rotation or revocation commits.
func (s *Store) GetRefreshToken(ctx context.Context, id string) (store.RefreshToken, store.RefreshFamily, error) {
	var td tokenDest
	var fd familyDest
	err := s.reader().QueryRowContext(ctx, `SELECT `+refreshTokenCols+`, `+familyCols+`
		FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id WHERE t.id = ?`, id).
		Scan(append(td.targets(), fd.targets()...)...)
	if err != nil {
		return store.RefreshToken{}, store.RefreshFamily{}, notFound("get refresh token", err)
	}
	f, err := fd.family()
	if err != nil {
		return store.RefreshToken{}, store.RefreshFamily{}, fmt.Errorf("get refresh token: %w", err)
	}
	return td.token(), f, nil
}

// RotateRefreshToken implements store.RefreshTokens. The guarded UPDATE
// is the compare-and-swap: whichever rotation writes first moves
// replaced_at out of the window, and every later one matches no row. On
// SQLite the single write connection already serialises rotations; the
// guard is what makes the statement correct on any database that runs it
// in a serialisable transaction or under a row lock. COALESCE keeps the
// first replacement time, so a retry within the grace period does not
// extend the grace period.
func (s *Store) RotateRefreshToken(ctx context.Context, oldID string, at, graceStart time.Time, next store.RefreshToken) error {
	return s.update(ctx, func(tx querier) error {
		var familyID string
		err := tx.QueryRowContext(ctx, `UPDATE refresh_tokens SET replaced_at = COALESCE(replaced_at, ?)
			WHERE id = ? AND (replaced_at IS NULL OR replaced_at > ?)
			AND family_id IN (SELECT id FROM refresh_families WHERE revoked_at IS NULL) RETURNING family_id`,
			millis(at), oldID, millis(graceStart)).Scan(&familyID)
		if errors.Is(err, sql.ErrNoRows) {
			var revoked sql.NullInt64
			err := tx.QueryRowContext(ctx, `SELECT f.revoked_at FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id WHERE t.id = ?`, oldID).Scan(&revoked)
			if err != nil {
				return notFound("rotate refresh token", err)
			}
			if revoked.Valid {
				return fmt.Errorf("rotate refresh token: %w", store.ErrRevoked)
			}
			return fmt.Errorf("rotate refresh token: %w", store.ErrReplaced)
		}
		if err != nil {
			return fmt.Errorf("rotate refresh token: %w", err)
		}
		if next.FamilyID != "" && next.FamilyID != familyID {
			return fmt.Errorf("rotate refresh token: the next token names family %q, not %q", next.FamilyID, familyID)
		}
		if err := insertRefreshToken(ctx, tx, familyID, next); err != nil {
			return fmt.Errorf("rotate refresh token: %w", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE refresh_families SET expires_at = max(expires_at, ?) WHERE id = ?`,
			millis(next.ExpiresAt), familyID)
		if err != nil {
			return fmt.Errorf("rotate refresh token: extend family: %w", err)
		}
		return nil
	})
}

// RevokeRefreshFamily implements store.RefreshTokens.
func (s *Store) RevokeRefreshFamily(ctx context.Context, id string, at time.Time) error {
	return s.update(ctx, func(tx querier) error {
		res, err := tx.ExecContext(ctx, `UPDATE refresh_families SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`,
			millis(at), id)
		return mustAffect("revoke refresh family", res, err)
	})
}

// RevokeUserRefreshFamilies implements store.RefreshTokens. Families
// already revoked keep their time and are not counted.
func (s *Store) RevokeUserRefreshFamilies(ctx context.Context, poolID, sub string, at time.Time) (int, error) {
	var n int64
	err := s.update(ctx, func(tx querier) error {
		res, err := tx.ExecContext(ctx, `UPDATE refresh_families SET revoked_at = ?
			WHERE pool_id = ? AND sub = ? AND revoked_at IS NULL`, millis(at), poolID, sub)
		if err != nil {
			return fmt.Errorf("revoke user refresh families: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, err
	}
	return int(n), nil
}

// DeleteExpiredRefreshTokens implements store.RefreshTokens. It removes
// the tokens whose own expiry is before `before`, the tokens of families
// that expired before it (a family's expiry bounds its tokens), and then
// those families. A family is deleted only once it has no tokens left, so
// nothing goes by cascade and the count is every row removed. The work is
// done in rounds of at most gcBatch rows of each kind, each its own
// transaction, so other writers never wait long behind it; on the Store of
// a transaction the rounds are savepoints of it.
func (s *Store) DeleteExpiredRefreshTokens(ctx context.Context, before time.Time) (int, error) {
	b := millis(before)
	steps := []sqlText{
		`DELETE FROM refresh_tokens WHERE id IN (
			SELECT id FROM refresh_tokens WHERE expires_at < ? LIMIT ?)`,
		`DELETE FROM refresh_tokens WHERE id IN (
			SELECT t.id FROM refresh_families f JOIN refresh_tokens t ON t.family_id = f.id
			WHERE f.expires_at < ? LIMIT ?)`,
		`DELETE FROM refresh_families WHERE id IN (
			SELECT f.id FROM refresh_families f
			WHERE f.expires_at < ? AND NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = f.id)
			LIMIT ?)`,
	}
	total := 0
	for {
		// Reset by fn, which runs again when a transaction is retried.
		var round int
		var more bool
		err := s.update(ctx, func(tx querier) error {
			round, more = 0, false
			for _, q := range steps {
				res, err := tx.ExecContext(ctx, q, b, gcBatch)
				if err != nil {
					return fmt.Errorf("delete expired refresh tokens: %w", err)
				}
				n, err := res.RowsAffected()
				if err != nil {
					return fmt.Errorf("delete expired refresh tokens: %w", err)
				}
				round += int(n)
				more = more || n == gcBatch
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
		total += round
		if !more {
			return total, nil
		}
	}
}
