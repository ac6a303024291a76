package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/userpool/userpool/internal/store"
)

const webAuthnCols = `w.pool_id, w.sub, w.credential_id, w.relying_party_id, w.friendly_name, w.attachment,
	w.transports, w.data, w.created_at, w.updated_at`

func scanWebAuthn(r scanner) (store.WebAuthnCredential, error) {
	var c store.WebAuthnCredential
	var transports string
	var created, updated int64
	err := r.Scan(&c.PoolID, &c.Sub, &c.ID, &c.RelyingPartyID, &c.FriendlyName, &c.Attachment,
		&transports, &c.Data, &created, &updated)
	if err != nil {
		return store.WebAuthnCredential{}, err
	}
	if transports != "" {
		c.Transports = strings.Split(transports, ",")
	}
	c.CreatedAt, c.UpdatedAt = fromMillis(created), fromMillis(updated)
	return c, nil
}

func webAuthnKey(c store.WebAuthnCredential) string { return c.ID }

func getWebAuthn(ctx context.Context, q Querier, poolID, sub, id string, lock bool) (store.WebAuthnCredential, error) {
	c, err := scanWebAuthn(q.QueryRow(ctx, `SELECT `+webAuthnCols+` FROM webauthn_credentials w
		WHERE w.pool_id = $1 AND w.credential_id = $2 AND w.sub = $3`+forUpdate(lock), poolID, id, sub))
	if err != nil {
		return store.WebAuthnCredential{}, notFound("get webauthn credential", err)
	}
	return c, nil
}

// CreateWebAuthnCredential implements store.WebAuthnCredentials. A
// missing user is the foreign key's violation.
func (s *Store) CreateWebAuthnCredential(ctx context.Context, c store.WebAuthnCredential) error {
	return s.do(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO webauthn_credentials (pool_id, credential_id, sub, relying_party_id,
			friendly_name, attachment, transports, data, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			c.PoolID, c.ID, c.Sub, c.RelyingPartyID, c.FriendlyName, c.Attachment,
			strings.Join(c.Transports, ","), emptyBytes(c.Data), millis(c.CreatedAt), millis(c.UpdatedAt))
		if err != nil {
			return s.insertErr("create webauthn credential", err)
		}
		return nil
	})
}

// GetWebAuthnCredential implements store.WebAuthnCredentials.
func (s *Store) GetWebAuthnCredential(ctx context.Context, poolID, sub, id string) (store.WebAuthnCredential, error) {
	return get(ctx, s, func(q Querier) (store.WebAuthnCredential, error) {
		return getWebAuthn(ctx, q, poolID, sub, id, false)
	})
}

// UpdateWebAuthnCredential implements store.WebAuthnCredentials. The row
// is locked while fn runs, so concurrent sign-ins with one passkey queue
// rather than lose each other's sign counter.
func (s *Store) UpdateWebAuthnCredential(ctx context.Context, poolID, sub, id string, fn func(*store.WebAuthnCredential) error) (store.WebAuthnCredential, error) {
	var out store.WebAuthnCredential
	err := s.update(ctx, func(q Querier) error {
		c, err := getWebAuthn(ctx, q, poolID, sub, id, s.f.RowLocks)
		if err != nil {
			return err
		}
		if err := fn(&c); err != nil {
			return err
		}
		if c.PoolID != poolID || c.Sub != sub || c.ID != id {
			return errKeyChanged("update webauthn credential")
		}
		_, err = q.Exec(ctx, `UPDATE webauthn_credentials SET relying_party_id = $1, friendly_name = $2,
			attachment = $3, transports = $4, data = $5, created_at = $6, updated_at = $7
			WHERE pool_id = $8 AND credential_id = $9`,
			c.RelyingPartyID, c.FriendlyName, c.Attachment, strings.Join(c.Transports, ","), emptyBytes(c.Data),
			millis(c.CreatedAt), millis(c.UpdatedAt), poolID, id)
		if err != nil {
			return fmt.Errorf("update webauthn credential: %w", err)
		}
		out = c
		return nil
	})
	if err != nil {
		return store.WebAuthnCredential{}, err
	}
	return out, nil
}

// DeleteWebAuthnCredential implements store.WebAuthnCredentials.
func (s *Store) DeleteWebAuthnCredential(ctx context.Context, poolID, sub, id string) error {
	return s.update(ctx, func(q Querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM webauthn_credentials WHERE pool_id = $1 AND credential_id = $2 AND sub = $3`, poolID, id, sub)
		return mustAffect("delete webauthn credential", tag, err)
	})
}

// ListWebAuthnCredentials implements store.WebAuthnCredentials.
func (s *Store) ListWebAuthnCredentials(ctx context.Context, poolID, sub string, page store.Page) ([]store.WebAuthnCredential, string, error) {
	var a args
	where := `w.pool_id = ` + a.add(poolID) + ` AND w.sub = ` + a.add(sub)
	return list(ctx, s, "list webauthn credentials", page, a, func(after, limit Text) Text {
		return `SELECT ` + webAuthnCols + ` FROM webauthn_credentials w WHERE ` + where + ` AND w.credential_id > ` + after +
			` ORDER BY w.credential_id LIMIT ` + limit
	}, scanWebAuthn, webAuthnKey)
}
