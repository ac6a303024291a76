package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/userpool/userpool/internal/store"
)

const authCodeCols = `id, pool_id, client_id, sub, redirect_uri, scopes, nonce, code_challenge,
	code_challenge_method, auth_time, created_at, expires_at`

func scanAuthCode(row scanner) (store.AuthCode, error) {
	var c store.AuthCode
	var scopes []byte
	var authTime, created, expires int64
	err := row.Scan(&c.ID, &c.PoolID, &c.ClientID, &c.Sub, &c.RedirectURI, &scopes, &c.Nonce, &c.CodeChallenge,
		&c.CodeChallengeMethod, &authTime, &created, &expires)
	if err != nil {
		return store.AuthCode{}, err
	}
	if err := json.Unmarshal(scopes, &c.Scopes); err != nil {
		return store.AuthCode{}, fmt.Errorf("decode scopes: %w", err)
	}
	if len(c.Scopes) == 0 {
		c.Scopes = nil
	}
	c.AuthTime, c.CreatedAt, c.ExpiresAt = fromMillis(authTime), fromMillis(created), fromMillis(expires)
	return c, nil
}

// CreateAuthCode implements store.AuthCodes. A missing pool or user is a
// violation of the code's foreign keys.
func (s *Store) CreateAuthCode(ctx context.Context, c store.AuthCode) error {
	scopes, err := encodeJSON(c.Scopes)
	if err != nil {
		return fmt.Errorf("create auth code: scopes: %w", err)
	}
	return s.do(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO auth_codes (`+authCodeCols+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			c.ID, c.PoolID, c.ClientID, c.Sub, c.RedirectURI, scopes, c.Nonce, c.CodeChallenge,
			c.CodeChallengeMethod, millis(c.AuthTime), millis(c.CreatedAt), millis(c.ExpiresAt))
		if err != nil {
			return s.insertErr("create auth code", err)
		}
		return nil
	})
}

// ConsumeAuthCode implements store.AuthCodes. DELETE ... RETURNING is the
// whole exchange in one statement: whichever consumer deletes the row gets
// it, and every other one finds nothing (on PostgreSQL, under READ
// COMMITTED, it waits for the row lock and then finds the row gone). An expired code is deleted too, since it
// can never be used again.
func (s *Store) ConsumeAuthCode(ctx context.Context, id string, now time.Time) (store.AuthCode, error) {
	c, err := put(ctx, s, func(q Querier) (store.AuthCode, error) {
		c, err := scanAuthCode(q.QueryRow(ctx, `DELETE FROM auth_codes WHERE id = $1 RETURNING `+authCodeCols, id))
		return c, notFound("consume auth code", err)
	})
	if err != nil {
		return store.AuthCode{}, err
	}
	if !now.Before(c.ExpiresAt) {
		return store.AuthCode{}, fmt.Errorf("consume auth code: expired: %w", store.ErrNotFound)
	}
	return c, nil
}

// DeleteExpiredAuthCodes implements store.AuthCodes, in rounds of at most
// gcBatch rows, each a statement of its own, so no round holds many locks.
func (s *Store) DeleteExpiredAuthCodes(ctx context.Context, before time.Time) (int, error) {
	return s.deleteInRounds(ctx, "delete expired auth codes", `DELETE FROM auth_codes WHERE id IN (
		SELECT id FROM auth_codes WHERE expires_at < $1 LIMIT $2)`, millis(before), gcBatch)
}

// deleteInRounds runs stmt, a DELETE of at most gcBatch rows (its last
// argument), each round a statement of its own, until a round deletes
// fewer; it returns the rows deleted.
func (s *Store) deleteInRounds(ctx context.Context, what string, stmt Text, args ...any) (int, error) {
	total := 0
	for {
		n, err := put(ctx, s, func(q Querier) (int64, error) {
			tag, err := q.Exec(ctx, stmt, args...)
			if err != nil {
				return 0, fmt.Errorf("%s: %w", what, err)
			}
			return tag, nil
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
