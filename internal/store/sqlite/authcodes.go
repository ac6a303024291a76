package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/userpool/userpool/internal/store"
)

const authCodeCols = `id, pool_id, client_id, sub, redirect_uri, scopes, nonce, code_challenge,
	code_challenge_method, auth_time, created_at, expires_at`

// CreateAuthCode implements store.AuthCodes. The pool and the user are
// checked first, so a missing parent is ErrNotFound without parsing
// foreign-key errors.
func (s *Store) CreateAuthCode(ctx context.Context, c store.AuthCode) error {
	scopes, err := encodeStrings(c.Scopes)
	if err != nil {
		return err
	}
	return s.update(ctx, func(tx querier) error {
		if err := poolExists(ctx, tx, c.PoolID); err != nil {
			return err
		}
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM users WHERE pool_id = ? AND sub = ?`, c.PoolID, c.Sub).Scan(&one)
		if err != nil {
			return notFound(fmt.Sprintf("user %q", c.Sub), err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO auth_codes (`+authCodeCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.PoolID, c.ClientID, c.Sub, c.RedirectURI, scopes, c.Nonce, c.CodeChallenge,
			c.CodeChallengeMethod, millis(c.AuthTime), millis(c.CreatedAt), millis(c.ExpiresAt))
		if err != nil {
			return insertErr("create auth code", err)
		}
		return nil
	})
}

// ConsumeAuthCode implements store.AuthCodes. DELETE ... RETURNING is the
// whole exchange in one statement: whichever consumer deletes the row gets
// it, and every other one finds nothing, on any database that runs the
// statement atomically. An expired code is deleted too, since it can
// never be used again.
func (s *Store) ConsumeAuthCode(ctx context.Context, id string, now time.Time) (store.AuthCode, error) {
	var c store.AuthCode
	err := s.update(ctx, func(tx querier) error {
		var err error
		c, err = scanAuthCode(tx.QueryRowContext(ctx, `DELETE FROM auth_codes WHERE id = ? RETURNING `+authCodeCols, id))
		return notFound("consume auth code", err)
	})
	if err != nil {
		return store.AuthCode{}, err
	}
	if !now.Before(c.ExpiresAt) {
		return store.AuthCode{}, fmt.Errorf("consume auth code: expired: %w", store.ErrNotFound)
	}
	return c, nil
}

func scanAuthCode(row scanner) (store.AuthCode, error) {
	var c store.AuthCode
	var scopes string
	var authTime, created, expires int64
	err := row.Scan(&c.ID, &c.PoolID, &c.ClientID, &c.Sub, &c.RedirectURI, &scopes, &c.Nonce, &c.CodeChallenge,
		&c.CodeChallengeMethod, &authTime, &created, &expires)
	if err != nil {
		return store.AuthCode{}, err
	}
	if err := json.Unmarshal([]byte(scopes), &c.Scopes); err != nil {
		return store.AuthCode{}, fmt.Errorf("decode scopes: %w", err)
	}
	if len(c.Scopes) == 0 {
		c.Scopes = nil
	}
	c.AuthTime, c.CreatedAt, c.ExpiresAt = fromMillis(authTime), fromMillis(created), fromMillis(expires)
	return c, nil
}

// DeleteExpiredAuthCodes implements store.AuthCodes, in rounds of at most
// gcBatch rows so other writers never wait long behind it.
func (s *Store) DeleteExpiredAuthCodes(ctx context.Context, before time.Time) (int, error) {
	total := 0
	for {
		var n int64
		err := s.update(ctx, func(tx querier) error {
			res, err := tx.ExecContext(ctx, `DELETE FROM auth_codes WHERE id IN (
				SELECT id FROM auth_codes WHERE expires_at < ? LIMIT ?)`, millis(before), gcBatch)
			if err != nil {
				return fmt.Errorf("delete expired auth codes: %w", err)
			}
			n, err = res.RowsAffected()
			return err
		})
		if err != nil {
			return 0, err
		}
		total += int(n)
		if n < gcBatch {
			return total, nil
		}
	}
}
