package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/userpool/userpool/internal/store"
)

// ConsumeSAMLAssertion implements store.SAMLAssertions in one statement:
// the insert either adds the record, takes over one that has expired, or
// changes nothing because an unexpired one is there, which is a replay.
// The primary key arbitrates between concurrent consumers: on PostgreSQL
// the second waits for the first's row, then sees it unexpired and
// changes nothing; on SQLite writers take turns.
func (s *Store) ConsumeSAMLAssertion(ctx context.Context, a store.SAMLAssertion, now time.Time) error {
	return s.do(ctx, func(q Querier) error {
		n, err := q.Exec(ctx, `INSERT INTO saml_assertions (pool_id, provider_name, id_hash, expires_at)
			VALUES ($1, $2, $3, $4)
			ON CONFLICT (pool_id, provider_name, id_hash) DO UPDATE SET expires_at = excluded.expires_at
			WHERE saml_assertions.expires_at <= $5`,
			a.PoolID, a.Provider, a.IDHash, millis(a.ExpiresAt), millis(now))
		if err != nil {
			return s.insertErr("consume SAML assertion", err)
		}
		if n == 0 {
			return fmt.Errorf("consume SAML assertion: %w", store.ErrAlreadyExists)
		}
		return nil
	})
}

// DeleteExpiredSAMLAssertions implements store.SAMLAssertions, in rounds
// of at most gcBatch rows, as DeleteExpiredAuthCodes.
func (s *Store) DeleteExpiredSAMLAssertions(ctx context.Context, before time.Time) (int, error) {
	return s.deleteInRounds(ctx, "delete expired SAML assertions", `DELETE FROM saml_assertions
		WHERE (pool_id, provider_name, id_hash) IN (
			SELECT pool_id, provider_name, id_hash FROM saml_assertions WHERE expires_at < $1 LIMIT $2)`,
		millis(before), gcBatch)
}
