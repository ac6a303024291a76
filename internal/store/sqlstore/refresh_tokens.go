package sqlstore

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

// insertToken starts the INSERT of a refresh token; VALUES or a SELECT
// follows.
const insertToken = `INSERT INTO refresh_tokens (id, family_id, secret_hash, created_at, expires_at, replaced_at) `

// gcBatch bounds the rows one garbage-collection round deletes of each
// kind, so no round holds many row locks or runs long.
const gcBatch = 1000

// familyDest and tokenDest are the scan targets of the two column lists,
// so GetRefreshToken can read both from one joined row.
type familyDest struct {
	f                          store.RefreshFamily
	scopes                     []byte
	authTime, created, expires int64
	revoked                    *int64
}

func (d *familyDest) targets() []any {
	return []any{&d.f.ID, &d.f.PoolID, &d.f.ClientID, &d.f.Sub, &d.authTime, &d.scopes, &d.f.DeviceKey,
		&d.created, &d.expires, &d.revoked}
}

func (d *familyDest) family() (store.RefreshFamily, error) {
	f := d.f
	if err := json.Unmarshal(d.scopes, &f.Scopes); err != nil {
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
	replaced         *int64
}

func (d *tokenDest) targets() []any {
	return []any{&d.t.ID, &d.t.FamilyID, &d.t.SecretHash, &d.created, &d.expires, &d.replaced}
}

func (d *tokenDest) token() store.RefreshToken {
	t := d.t
	t.CreatedAt, t.ExpiresAt, t.ReplacedAt = fromMillis(d.created), fromMillis(d.expires), fromNullMillis(d.replaced)
	return t
}

// CreateRefreshFamily implements store.RefreshTokens: the family and its
// first token, in one statement where writes can ride in WITH, else in one
// transaction. first joins f whatever its FamilyID; a FamilyID naming
// another family is refused. A missing pool or user is a violation of the
// family's foreign keys: deleting the user deletes its families.
func (s *Store) CreateRefreshFamily(ctx context.Context, f store.RefreshFamily, first store.RefreshToken) error {
	if first.FamilyID != "" && first.FamilyID != f.ID {
		return fmt.Errorf("create refresh family: the first token names family %q, not %q", first.FamilyID, f.ID)
	}
	scopes, err := encodeJSON(f.Scopes)
	if err != nil {
		return fmt.Errorf("create refresh family: scopes: %w", err)
	}
	const family = `INSERT INTO refresh_families (` + familyColumns + `)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
	a := append(familyRow(&f, scopes),
		first.ID, first.SecretHash, millis(first.CreatedAt), millis(first.ExpiresAt), nullMillis(first.ReplacedAt))
	if s.f.WritingWith {
		return s.do(ctx, func(q Querier) error {
			_, err := q.Exec(ctx, `WITH f AS (`+family+` RETURNING id) `+insertToken+`SELECT $11, f.id, $12, $13, $14, $15 FROM f`, a...)
			if err != nil {
				return s.insertErr("create refresh family", err)
			}
			return nil
		})
	}
	return s.update(ctx, func(q Querier) error {
		if _, err := q.Exec(ctx, family, a[:10]...); err != nil {
			return s.insertErr("create refresh family", err)
		}
		if _, err := q.Exec(ctx, insertToken+`VALUES ($11, $1, $12, $13, $14, $15)`, a...); err != nil {
			return s.insertErr("create refresh family: first token", err)
		}
		return nil
	})
}

// familyColumns are the columns of a refresh_families row, in the order
// of familyRow.
const familyColumns = `id, pool_id, client_id, sub, auth_time, scopes, device_key, created_at, expires_at, revoked_at`

// familyRow is the arguments of familyColumns.
func familyRow(f *store.RefreshFamily, scopes string) []any {
	return []any{f.ID, f.PoolID, f.ClientID, f.Sub, millis(f.AuthTime), scopes, f.DeviceKey,
		millis(f.CreatedAt), millis(f.ExpiresAt), nullMillis(f.RevokedAt)}
}

// tokenRow is the arguments of insertToken's columns for t in family.
func tokenRow(t *store.RefreshToken, family string) []any {
	return []any{t.ID, family, t.SecretHash, millis(t.CreatedAt), millis(t.ExpiresAt), nullMillis(t.ReplacedAt)}
}

// familyChunk is how many families (and as many first tokens) one
// statement of CreateRefreshFamilies inserts: 320 and 192 parameters,
// below the few hundred where SQLite's binding starts to cost (see
// importChunk).
const familyChunk = 32

// The statements of whole chunks and of the rows left over, made once
// from constants so that they may be prepared and kept like literals.
var (
	familiesText = Text(`INSERT INTO refresh_families (` + familyColumns + `) VALUES ` + rowsOf(familyChunk, 10))
	familyText   = Text(`INSERT INTO refresh_families (` + familyColumns + `) VALUES ` + rowsOf(1, 10))
	tokensText   = Text(insertToken + `VALUES ` + rowsOf(familyChunk, 6))
	tokenText    = Text(insertToken + `VALUES ` + rowsOf(1, 6))
)

// CreateRefreshFamilies implements store.RefreshTokens: one transaction,
// a statement per familyChunk families and one per as many tokens, where
// CreateRefreshFamily takes a statement (and on a transaction a
// savepoint, three round trips on PostgreSQL) per family.
func (s *Store) CreateRefreshFamilies(ctx context.Context, families []store.RefreshFamily, firsts []store.RefreshToken) error {
	if len(families) != len(firsts) {
		return fmt.Errorf("create refresh families: %d families, %d first tokens", len(families), len(firsts))
	}
	fargs := make([]any, 0, len(families)*10)
	targs := make([]any, 0, len(firsts)*6)
	for i := range families {
		f, t := &families[i], &firsts[i]
		if t.FamilyID != "" && t.FamilyID != f.ID {
			return fmt.Errorf("create refresh families: the first token names family %q, not %q", t.FamilyID, f.ID)
		}
		scopes, err := encodeJSON(f.Scopes)
		if err != nil {
			return fmt.Errorf("create refresh families: scopes: %w", err)
		}
		fargs = append(fargs, familyRow(f, scopes)...)
		targs = append(targs, tokenRow(t, f.ID)...)
	}
	return s.update(ctx, func(q Querier) error {
		if err := insertRows(ctx, q, familiesText, familyText, familyChunk, 10, fargs); err != nil {
			return s.insertErr("create refresh families", err)
		}
		if err := insertRows(ctx, q, tokensText, tokenText, familyChunk, 6, targs); err != nil {
			return s.insertErr("create refresh families: first tokens", err)
		}
		return nil
	})
}

// insertRows runs many, a statement of chunk rows of cols arguments, for
// each whole chunk of args, and one, a statement of one row, for each row
// left over.
func insertRows(ctx context.Context, q Querier, many, one Text, chunk, cols int, args []any) error {
	for len(args) >= chunk*cols {
		if _, err := q.Exec(ctx, many, args[:chunk*cols]...); err != nil {
			return err
		}
		args = args[chunk*cols:]
	}
	for ; len(args) > 0; args = args[cols:] {
		if _, err := q.Exec(ctx, one, args[:cols]...); err != nil {
			return err
		}
	}
	return nil
}

// GetRefreshFamily implements store.RefreshTokens.
func (s *Store) GetRefreshFamily(ctx context.Context, id string) (store.RefreshFamily, error) {
	return get(ctx, s, func(q Querier) (store.RefreshFamily, error) {
		var d familyDest
		err := q.QueryRow(ctx, `SELECT `+familyCols+` FROM refresh_families f WHERE f.id = $1`, id).Scan(d.targets()...)
		if err != nil {
			return store.RefreshFamily{}, notFound("get refresh family", err)
		}
		return d.family()
	})
}

// GetRefreshToken implements store.RefreshTokens. The token and its family
// come from one statement, so they agree while a rotation or revocation
// commits.
func (s *Store) GetRefreshToken(ctx context.Context, id string) (store.RefreshToken, store.RefreshFamily, error) {
	var tok store.RefreshToken
	fam, err := get(ctx, s, func(q Querier) (store.RefreshFamily, error) {
		var td tokenDest
		var fd familyDest
		err := q.QueryRow(ctx, `SELECT `+refreshTokenCols+`, `+familyCols+`
			FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id WHERE t.id = $1`, id).
			Scan(append(td.targets(), fd.targets()...)...)
		if err != nil {
			return store.RefreshFamily{}, notFound("get refresh token", err)
		}
		tok = td.token()
		return fd.family()
	})
	if err != nil {
		return store.RefreshToken{}, store.RefreshFamily{}, err
	}
	return tok, fam, nil
}

// RotateRefreshToken implements store.RefreshTokens. A guarded UPDATE is
// the compare-and-swap: whichever rotation writes first moves replaced_at
// out of the window, and every later one matches no row. COALESCE keeps
// the first replacement time, so a retry within the grace period does not
// extend the grace period.
//
// Where writers take turns (SQLite) that is all it takes: the UPDATE, the
// insert of next and the extension of the family, in one transaction.
//
// Where they run at once (PostgreSQL) the first statement locks old's
// family row. Rotations and revocations of a family therefore take turns:
// a revocation that commits first is seen (after the wait, READ COMMITTED
// reads the row's newest version) and refused with ErrRevoked; one that
// comes later waits for the rotation and revokes the new token with the
// rest of the family. The second statement is the compare-and-swap, with
// the insert of next and the extension of the family riding on it. It
// starts after the lock is granted, so under READ COMMITTED its snapshot
// includes the rotation that held the lock before.
func (s *Store) RotateRefreshToken(ctx context.Context, oldID string, at, graceStart, collectBefore time.Time, next store.RefreshToken) error {
	// collectRotatedOut deletes the family's tokens replaced before
	// collectBefore, through the family index: the rows a family keeps
	// stay few however often it rotates.
	collectRotatedOut := func(q Querier, familyID string) error {
		if collectBefore.IsZero() {
			return nil
		}
		_, err := q.Exec(ctx, `DELETE FROM refresh_tokens WHERE family_id = $1 AND replaced_at < $2`, familyID, millis(collectBefore))
		if err != nil {
			return fmt.Errorf("rotate refresh token: collect rotated-out tokens: %w", err)
		}
		return nil
	}
	if !s.f.RowLocks {
		return s.update(ctx, func(q Querier) error {
			var familyID string
			err := q.QueryRow(ctx, `UPDATE refresh_tokens SET replaced_at = COALESCE(replaced_at, $1)
				WHERE id = $2 AND (replaced_at IS NULL OR replaced_at > $3)
				AND family_id IN (SELECT id FROM refresh_families WHERE revoked_at IS NULL) RETURNING family_id`,
				millis(at), oldID, millis(graceStart)).Scan(&familyID)
			if errors.Is(err, sql.ErrNoRows) {
				var revoked *int64
				err := q.QueryRow(ctx, `SELECT f.revoked_at FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id
					WHERE t.id = $1`, oldID).Scan(&revoked)
				if err != nil {
					return notFound("rotate refresh token", err)
				}
				if revoked != nil {
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
			_, err = q.Exec(ctx, insertToken+`VALUES ($1, $2, $3, $4, $5, $6)`,
				next.ID, familyID, next.SecretHash, millis(next.CreatedAt), millis(next.ExpiresAt), nullMillis(next.ReplacedAt))
			if err != nil {
				return s.insertErr("rotate refresh token: insert refresh token", err)
			}
			_, err = q.Exec(ctx, `UPDATE refresh_families SET expires_at = max(expires_at, $1) WHERE id = $2`,
				millis(next.ExpiresAt), familyID)
			if err != nil {
				return fmt.Errorf("rotate refresh token: extend family: %w", err)
			}
			return collectRotatedOut(q, familyID)
		})
	}
	return s.update(ctx, func(q Querier) error {
		var familyID string
		var revoked *int64
		err := q.QueryRow(ctx, `SELECT f.id, f.revoked_at FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id
			WHERE t.id = $1 FOR NO KEY UPDATE OF f`, oldID).Scan(&familyID, &revoked)
		if err != nil {
			return notFound("rotate refresh token", err)
		}
		if revoked != nil {
			return fmt.Errorf("rotate refresh token: %w", store.ErrRevoked)
		}
		if next.FamilyID != "" && next.FamilyID != familyID {
			return fmt.Errorf("rotate refresh token: the next token names family %q, not %q", next.FamilyID, familyID)
		}
		// Data-modifying WITH clauses all run to completion whether or not
		// the main query reads them.
		var rotated bool
		err = q.QueryRow(ctx, `WITH old AS (
				UPDATE refresh_tokens SET replaced_at = COALESCE(replaced_at, $2)
				WHERE id = $1 AND (replaced_at IS NULL OR replaced_at > $3)
				RETURNING family_id
			), ins AS (
				`+insertToken+`SELECT $4, old.family_id, $5, $6, $7, $8 FROM old
				RETURNING family_id
			), fam AS (
				UPDATE refresh_families SET expires_at = GREATEST(expires_at, $7)
				WHERE id IN (SELECT family_id FROM ins)
			)
			SELECT EXISTS (SELECT 1 FROM ins)`,
			oldID, millis(at), millis(graceStart),
			next.ID, next.SecretHash, millis(next.CreatedAt), millis(next.ExpiresAt), nullMillis(next.ReplacedAt)).
			Scan(&rotated)
		if err != nil {
			return s.insertErr("rotate refresh token", err)
		}
		if !rotated {
			return fmt.Errorf("rotate refresh token: %w", store.ErrReplaced)
		}
		return collectRotatedOut(q, familyID)
	})
}

// RevokeRefreshFamily implements store.RefreshTokens.
func (s *Store) RevokeRefreshFamily(ctx context.Context, id string, at time.Time) error {
	return s.do(ctx, func(q Querier) error {
		tag, err := q.Exec(ctx, `UPDATE refresh_families SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1`,
			id, millis(at))
		return mustAffect("revoke refresh family", tag, err)
	})
}

// RevokeUserRefreshFamilies implements store.RefreshTokens. Families
// already revoked keep their time and are not counted.
func (s *Store) RevokeUserRefreshFamilies(ctx context.Context, poolID, sub string, at time.Time) (int, error) {
	return put(ctx, s, func(q Querier) (int, error) {
		tag, err := q.Exec(ctx, `UPDATE refresh_families SET revoked_at = $3
			WHERE pool_id = $1 AND sub = $2 AND revoked_at IS NULL`, poolID, sub, millis(at))
		if err != nil {
			return 0, fmt.Errorf("revoke user refresh families: %w", err)
		}
		return int(tag), nil
	})
}

// DeleteExpiredRefreshTokens implements store.RefreshTokens. It removes
// the tokens whose own expiry is before `before`, the tokens of families
// that expired before it (a family's expiry bounds its tokens), and then
// those families. A family is deleted only once it has no tokens left, so
// nothing goes by cascade and the count is every row removed. The work is
// done in rounds of at most gcBatch rows of each kind, each its own
// transaction, so no round holds many locks for long; on the Store of a
// transaction the rounds are savepoints of it. Nodes collecting at the
// same time wait for each other's rows and then find them gone.
func (s *Store) DeleteExpiredRefreshTokens(ctx context.Context, before time.Time) (int, error) {
	b := millis(before)
	steps := []Text{
		`DELETE FROM refresh_tokens WHERE id IN (
			SELECT id FROM refresh_tokens WHERE expires_at < $1 LIMIT $2)`,
		`DELETE FROM refresh_tokens WHERE id IN (
			SELECT t.id FROM refresh_families f JOIN refresh_tokens t ON t.family_id = f.id
			WHERE f.expires_at < $1 LIMIT $2)`,
		`DELETE FROM refresh_families WHERE id IN (
			SELECT f.id FROM refresh_families f
			WHERE f.expires_at < $1 AND NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = f.id)
			LIMIT $2)`,
	}
	total := 0
	for {
		// Reset by fn, which runs again when a transaction is retried.
		var round int
		var more bool
		err := s.update(ctx, func(q Querier) error {
			round, more = 0, false
			for _, stmt := range steps {
				tag, err := q.Exec(ctx, stmt, b, gcBatch)
				if err != nil {
					return fmt.Errorf("delete expired refresh tokens: %w", err)
				}
				n := tag
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
