package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/userpool/userpool/internal/store"
)

// userCols reads a user and its attributes in one statement, so the two
// always come from the same snapshot, and listings need no query per user.
const userCols = `u.pool_id, u.sub, u.username, u.username_key, u.status, u.enabled, u.password_hash,
	u.alias_email, u.alias_phone, u.alias_preferred_username, u.created_at, u.updated_at, u.password_updated_at,
	u.failed_sign_ins, u.locked_until, u.signed_out_at, u.srp_salt, u.srp_verifier,
	u.mfa_totp_secret, u.mfa_totp_pending, u.mfa_totp_name, u.mfa_totp_last_step,
	u.mfa_totp_enabled, u.mfa_sms_enabled, u.mfa_email_enabled, u.mfa_preferred, u.mfa_webauthn_enabled,
	(SELECT ` + AttributesJSON + `
		FROM user_attributes a WHERE a.pool_id = u.pool_id AND a.sub = u.sub)`

// AttributesJSON aggregates a user's attribute rows a into a JSON array of
// [name, value] pairs in their order, '[]' when there are none. It is
// PostgreSQL's spelling; a database that spells it otherwise rewrites it,
// as it rewrites the placeholders.
const AttributesJSON = `COALESCE(json_agg(json_build_array(a.name, a.value) ORDER BY a.position), '[]')::text`

func scanUser(r scanner) (store.User, error) { return scanUserAnd(r) }

// scanUserAnd scans the columns of userCols and then those of extra, the
// targets of the columns a statement selects after them.
func scanUserAnd(r scanner, extra ...any) (store.User, error) {
	var u store.User
	var created, updated, pwUpdated int64
	var lockedUntil, signedOut *int64
	var attrs string
	err := r.Scan(append([]any{&u.PoolID, &u.Sub, &u.Username, &u.UsernameKey, &u.Status, &u.Enabled, &u.PasswordHash,
		&u.AliasEmail, &u.AliasPhone, &u.AliasPreferredUsername, &created, &updated, &pwUpdated,
		&u.FailedSignIns, &lockedUntil, &signedOut, &u.SRPSalt, &u.SRPVerifier,
		&u.MFA.TOTPSecret, &u.MFA.TOTPPending, &u.MFA.TOTPName, &u.MFA.TOTPLastStep,
		&u.MFA.TOTPEnabled, &u.MFA.SMSEnabled, &u.MFA.EmailEnabled, &u.MFA.Preferred, &u.MFA.WebAuthnEnabled, &attrs}, extra...)...)
	if err != nil {
		return store.User{}, err
	}
	var pairs [][2]string
	if err := json.Unmarshal([]byte(attrs), &pairs); err != nil {
		return store.User{}, fmt.Errorf("decode attributes: %w", err)
	}
	if len(pairs) > 0 {
		u.Attributes = make([]store.Attribute, len(pairs))
		for i, p := range pairs {
			u.Attributes[i] = store.Attribute{Name: p[0], Value: p[1]}
		}
	}
	u.CreatedAt, u.UpdatedAt, u.PasswordUpdatedAt = fromMillis(created), fromMillis(updated), fromMillis(pwUpdated)
	u.LockedUntil, u.SignedOutAt = fromNullMillis(lockedUntil), fromNullMillis(signedOut)
	return u, nil
}

func userKey(u store.User) string { return u.UsernameKey }

func getUserWhere(ctx context.Context, q Querier, what string, where Text, args ...any) (store.User, error) {
	u, err := scanUser(q.QueryRow(ctx, `SELECT `+userCols+` FROM users u WHERE `+where, args...))
	if err != nil {
		return store.User{}, notFound(what, err)
	}
	return u, nil
}

func getUserBySub(ctx context.Context, q Querier, poolID, sub string) (store.User, error) {
	return getUserWhere(ctx, q, "get user", `u.pool_id = $1 AND u.sub = $2`, poolID, sub)
}

// userConflict maps a unique violation on users to the ConflictError that
// names the field.
func (s *Store) userConflict(what string, err error) error {
	if !s.f.Unique(err) {
		return s.insertErr(what, err)
	}
	if field := s.f.UserConflict(err); field != "" {
		return &store.ConflictError{Field: field}
	}
	return fmt.Errorf("%s: %w (%w)", what, store.ErrAlreadyExists, err)
}

// userColumns are the columns of a users row, in the order of userRow:
// the key first, so an UPDATE can name it $1 and $2.
const userColumns = `pool_id, sub, username, username_key, status, enabled, password_hash,
	alias_email, alias_phone, alias_preferred_username, created_at, updated_at, password_updated_at,
	failed_sign_ins, locked_until, signed_out_at, srp_salt, srp_verifier,
	mfa_totp_secret, mfa_totp_pending, mfa_totp_name, mfa_totp_last_step,
	mfa_totp_enabled, mfa_sms_enabled, mfa_email_enabled, mfa_preferred, mfa_webauthn_enabled`

// userColumnCount is how many columns userColumns names, the arguments
// userRow gives for one user.
const userColumnCount = 27

// userValues are the placeholders of userColumns.
const userValues = `$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
	$19, $20, $21, $22, $23, $24, $25, $26, $27`

// userRow is the arguments of userColumns; extra follow them.
func userRow(u *store.User, extra ...any) []any {
	return append([]any{u.PoolID, u.Sub, u.Username, u.UsernameKey, u.Status, u.Enabled, u.PasswordHash,
		u.AliasEmail, u.AliasPhone, u.AliasPreferredUsername,
		millis(u.CreatedAt), millis(u.UpdatedAt), millis(u.PasswordUpdatedAt),
		u.FailedSignIns, nullMillis(u.LockedUntil), nullMillis(u.SignedOutAt), nullBytes(u.SRPSalt), nullBytes(u.SRPVerifier),
		nullBytes(u.MFA.TOTPSecret), nullBytes(u.MFA.TOTPPending), u.MFA.TOTPName, u.MFA.TOTPLastStep,
		u.MFA.TOTPEnabled, u.MFA.SMSEnabled, u.MFA.EmailEnabled, u.MFA.Preferred, u.MFA.WebAuthnEnabled}, extra...)
}

// attributeArrays splits attributes into the two arrays the statements
// below unnest, WITH ORDINALITY giving each its position.
func attributeArrays(attrs []store.Attribute) (names, values []string) {
	names, values = make([]string, len(attrs)), make([]string, len(attrs))
	for i, a := range attrs {
		names[i], values[i] = a.Name, a.Value
	}
	return names, values
}

// CreateUser implements store.Users. A missing pool is the foreign key's
// violation.
//
// Where writes can ride in WITH, the user and its attributes are one
// statement, which needs no transaction of its own. PostgreSQL checks
// unique indexes in the order they were created, the primary key (the sub)
// first, and reports only the first it finds violated. A new user whose
// username and sub are both taken is a username conflict, though, as on
// SQLite: the sub is a random UUID and colliding on it is the accident. So
// the username is the ON CONFLICT arbiter, which PostgreSQL checks before
// inserting, and a conflict there inserts nothing and is reported as such.
func (s *Store) CreateUser(ctx context.Context, u store.User) error {
	if !s.f.WritingWith {
		return s.update(ctx, func(q Querier) error {
			if _, err := q.Exec(ctx, `INSERT INTO users (`+userColumns+`) VALUES (`+userValues+`)`, userRow(&u)...); err != nil {
				return s.userConflict("create user", err)
			}
			return s.writeAttributes(ctx, q, &u)
		})
	}
	names, values := attributeArrays(u.Attributes)
	return s.do(ctx, func(q Querier) error {
		var inserted bool
		err := q.QueryRow(ctx, `WITH u AS (
				INSERT INTO users (`+userColumns+`) VALUES (`+userValues+`)
				ON CONFLICT ON CONSTRAINT users_username_key DO NOTHING
				RETURNING pool_id, sub
			), a AS (
				INSERT INTO user_attributes (pool_id, sub, position, name, value)
				SELECT u.pool_id, u.sub, a.ord - 1, a.name, a.value
				FROM u, unnest($28::text[], $29::text[]) WITH ORDINALITY AS a (name, value, ord)
			)
			SELECT EXISTS (SELECT 1 FROM u)`, userRow(&u, names, values)...).Scan(&inserted)
		if err != nil {
			return s.userConflict("create user", err)
		}
		if !inserted {
			return &store.ConflictError{Field: "username"}
		}
		return nil
	})
}

// GetUser implements store.Users.
func (s *Store) GetUser(ctx context.Context, poolID, usernameKey string) (store.User, error) {
	return get(ctx, s, func(q Querier) (store.User, error) {
		return getUserWhere(ctx, q, "get user", `u.pool_id = $1 AND u.username_key = $2`, poolID, usernameKey)
	})
}

// GetUserBySub implements store.Users.
func (s *Store) GetUserBySub(ctx context.Context, poolID, sub string) (store.User, error) {
	return get(ctx, s, func(q Querier) (store.User, error) {
		return getUserWhere(ctx, q, "get user", `u.pool_id = $1 AND u.sub = $2`, poolID, sub)
	})
}

// GetUserBySubAndFamily implements store.Users. The family is a LEFT
// JOIN on its primary key, so a missing family still returns the user,
// and the two come from one snapshot.
func (s *Store) GetUserBySubAndFamily(ctx context.Context, poolID, sub, familyID string) (store.User, store.FamilyState, error) {
	var fam store.FamilyState
	u, err := get(ctx, s, func(q Querier) (store.User, error) {
		var revoked *int64
		u, err := scanUserAnd(q.QueryRow(ctx, `SELECT `+userCols+`, f.id IS NOT NULL, f.revoked_at
			FROM users u LEFT JOIN refresh_families f ON f.id = $3 WHERE u.pool_id = $1 AND u.sub = $2`,
			poolID, sub, familyID), &fam.Found, &revoked)
		if err != nil {
			return store.User{}, notFound("get user", err)
		}
		fam.RevokedAt = fromNullMillis(revoked)
		return u, nil
	})
	if err != nil {
		return store.User{}, store.FamilyState{}, err
	}
	return u, fam, nil
}

// GetUserByAlias implements store.Users. An empty key means "no alias"
// and never matches, although many users share it.
func (s *Store) GetUserByAlias(ctx context.Context, poolID string, alias store.AliasKind, key string) (store.User, error) {
	var col Text
	switch alias {
	case store.AliasEmail:
		col = "alias_email"
	case store.AliasPhone:
		col = "alias_phone"
	case store.AliasPreferredUsername:
		col = "alias_preferred_username"
	default:
		return store.User{}, fmt.Errorf("get user by alias: unknown alias kind %d", alias)
	}
	if key == "" {
		return store.User{}, fmt.Errorf("get user by alias: %w", store.ErrNotFound)
	}
	// The repeated "<> ''" is the partial unique index's predicate: the
	// planner uses such an index only for queries that imply it.
	return get(ctx, s, func(q Querier) (store.User, error) {
		return getUserWhere(ctx, q, "get user by alias",
			`u.pool_id = $1 AND u.`+col+` = $2 AND u.`+col+` <> ''`, poolID, key)
	})
}

// UpdateUser implements store.Users. The user row is locked while fn
// runs, and written first: when it violates a unique index nothing else has
// been touched. The attribute rows are rewritten only when fn changed them,
// as the lockout counters' updates on every sign-in do not.
//
// The lock is its own statement, before the read. A SELECT ... FOR UPDATE
// that waits for another updater re-reads the locked row once it has it,
// but not the rows its subqueries read: those, the attributes, would come
// from the snapshot taken before the wait, and the other updater's
// attributes would be lost. Under READ COMMITTED the read that follows the
// lock takes a new snapshot, which includes them.
func (s *Store) UpdateUser(ctx context.Context, poolID, sub string, fn func(*store.User) error) (store.User, error) {
	var out store.User
	err := s.update(ctx, func(q Querier) error {
		if s.f.RowLocks {
			var one int
			err := q.QueryRow(ctx, `SELECT 1 FROM users WHERE pool_id = $1 AND sub = $2 FOR UPDATE`, poolID, sub).Scan(&one)
			if err != nil {
				return notFound("get user", err)
			}
		}
		u, err := getUserBySub(ctx, q, poolID, sub)
		if err != nil {
			return err
		}
		before := slices.Clone(u.Attributes)
		if err := fn(&u); err != nil {
			return err
		}
		if u.PoolID != poolID || u.Sub != sub {
			return errKeyChanged("update user")
		}
		_, err = q.Exec(ctx, `UPDATE users SET username = $3, username_key = $4, status = $5, enabled = $6,
			password_hash = $7, alias_email = $8, alias_phone = $9, alias_preferred_username = $10,
			created_at = $11, updated_at = $12, password_updated_at = $13,
			failed_sign_ins = $14, locked_until = $15, signed_out_at = $16, srp_salt = $17, srp_verifier = $18,
			mfa_totp_secret = $19, mfa_totp_pending = $20, mfa_totp_name = $21, mfa_totp_last_step = $22,
			mfa_totp_enabled = $23, mfa_sms_enabled = $24, mfa_email_enabled = $25, mfa_preferred = $26, mfa_webauthn_enabled = $27
			WHERE pool_id = $1 AND sub = $2`, userRow(&u)...)
		if err != nil {
			return s.userConflict("update user", err)
		}
		if !slices.Equal(before, u.Attributes) {
			if err := s.writeAttributes(ctx, q, &u); err != nil {
				return err
			}
		}
		// Read back, so the caller gets exactly what a later Get returns.
		out, err = getUserBySub(ctx, q, poolID, sub)
		return err
	})
	if err != nil {
		return store.User{}, err
	}
	return out, nil
}

// ClearSignInFailures implements store.Users. It is UpdateUser's effect
// for a callback that only clears the two counters, without the reads
// before and after and the rewrite of every column.
func (s *Store) ClearSignInFailures(ctx context.Context, poolID, sub string) error {
	return s.do(ctx, func(q Querier) error {
		n, err := q.Exec(ctx, `UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE pool_id = $1 AND sub = $2`, poolID, sub)
		return mustAffect("clear sign-in failures", n, err)
	})
}

// writeAttributes replaces the user's attribute rows, keeping their order
// in position. It is two statements: a DELETE and an INSERT of the same
// keys in one statement would run in no defined order. The INSERT unnests
// two arrays where the database binds arrays, and is otherwise built with
// a row per attribute.
func (s *Store) writeAttributes(ctx context.Context, q Querier, u *store.User) error {
	if _, err := q.Exec(ctx, `DELETE FROM user_attributes WHERE pool_id = $1 AND sub = $2`, u.PoolID, u.Sub); err != nil {
		return fmt.Errorf("write attributes: %w", err)
	}
	if len(u.Attributes) == 0 {
		return nil
	}
	var err error
	if s.f.WritingWith {
		names, values := attributeArrays(u.Attributes)
		_, err = q.Exec(ctx, `INSERT INTO user_attributes (pool_id, sub, position, name, value)
			SELECT $1, $2, a.ord - 1, a.name, a.value
			FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS a (name, value, ord)`,
			u.PoolID, u.Sub, names, values)
	} else {
		var b strings.Builder
		b.WriteString(`INSERT INTO user_attributes (pool_id, sub, position, name, value) VALUES `)
		a := args{u.PoolID, u.Sub}
		for i, attr := range u.Attributes {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "($1, $2, %s, %s, %s)", a.add(i), a.add(attr.Name), a.add(attr.Value))
		}
		_, err = q.ExecBuilt(ctx, b.String(), a...)
	}
	if err != nil {
		return fmt.Errorf("write attributes: %w", err)
	}
	return nil
}

// DeleteUser implements store.Users. Attributes, memberships and refresh
// families go with it by cascade.
func (s *Store) DeleteUser(ctx context.Context, poolID, sub string) error {
	return s.do(ctx, func(q Querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM users WHERE pool_id = $1 AND sub = $2`, poolID, sub)
		return mustAffect("delete user", tag, err)
	})
}

// ListUsers implements store.Users.
func (s *Store) ListUsers(ctx context.Context, poolID string, filter *store.UserFilter, page store.Page) ([]store.User, string, error) {
	var a args
	where := `u.pool_id = ` + a.add(poolID)
	// The listing's order is the username index's, and reading users in
	// that order until enough match is what a database does unless told
	// otherwise; for a filter that finds a few users among millions that
	// is a scan. Resuming and ordering by an expression of the column
	// instead lets the filter's own index find the users, which are then
	// sorted.
	order := Text(`u.username_key`)
	if filter != nil {
		switch filter.Field {
		case store.FieldUsername:
			where += ` AND ` + match("u.username_key", filter, &a)
		case store.FieldStatus:
			where += ` AND ` + match("u.status", filter, &a)
		case store.FieldEnabled:
			enabled, disabled := matches("Enabled", filter), matches("Disabled", filter)
			switch {
			case enabled && disabled: // an empty prefix: every user
			case enabled:
				where += ` AND u.enabled`
			case disabled:
				where += ` AND NOT u.enabled`
			default:
				return nil, "", nil
			}
		case store.FieldSub:
			where += ` AND ` + match("u.sub", filter, &a)
			order = `u.username_key || ''`
		default:
			where += ` AND u.sub IN (SELECT a.sub FROM user_attributes a WHERE a.pool_id = ` + a.add(poolID) +
				` AND a.name = ` + a.add(filter.Field) + ` AND ` + match("a.value", filter, &a) + `)`
			order = `u.username_key || ''`
		}
	}
	return list(ctx, s, "list users", page, a, func(after, limit Text) Text {
		return `SELECT ` + userCols + ` FROM users u WHERE ` + where + ` AND ` + order + ` > ` + after +
			` ORDER BY ` + order + ` LIMIT ` + limit
	}, scanUser, userKey)
}

// match is the SQL condition of a filter on one text column. Prefixes are
// a range in byte order (SQLite's BINARY collation; COLLATE "C" on
// PostgreSQL) rather than LIKE: it
// is case-sensitive, needs no escaping of % and _, and is an index range
// scan.
func match(col Text, f *store.UserFilter, a *args) Text {
	if !f.Prefix {
		return col + ` = ` + a.add(f.Value)
	}
	if end, ok := prefixEnd(f.Value); ok {
		return col + ` >= ` + a.add(f.Value) + ` AND ` + col + ` < ` + a.add(end)
	}
	return col + ` >= ` + a.add(f.Value)
}

// matches applies a filter to a constant, for the fields that are not
// stored as the text they are filtered by.
func matches(value string, f *store.UserFilter) bool {
	if f.Prefix {
		return strings.HasPrefix(value, f.Value)
	}
	return value == f.Value
}

// prefixEnd returns the least valid UTF-8 string greater, in byte order,
// than every string that starts with p: p with its last rune that has a
// successor replaced by that successor and what follows dropped. UTF-8
// preserves code point order, so no string between p and the result lacks
// the prefix. It works on runes, not bytes, because PostgreSQL refuses
// text that is not UTF-8; the store's text is UTF-8 on both databases. ok is false when there
// is no such string (p is empty or all U+10FFFF), and the range is then
// open-ended.
func prefixEnd(p string) (end string, ok bool) {
	r := []rune(p)
	for i := len(r) - 1; i >= 0; i-- {
		next := r[i] + 1
		if next >= 0xD800 && next <= 0xDFFF { // surrogates are not characters
			next = 0xE000
		}
		if next <= utf8.MaxRune {
			r[i] = next
			return string(r[:i+1]), true
		}
	}
	return "", false
}

// CountUsers implements store.Users.
func (s *Store) CountUsers(ctx context.Context, poolID string) (int64, error) {
	return get(ctx, s, func(q Querier) (int64, error) {
		var n int64
		if err := q.QueryRow(ctx, `SELECT count(*) FROM users WHERE pool_id = $1`, poolID).Scan(&n); err != nil {
			return 0, fmt.Errorf("count users: %w", err)
		}
		return n, nil
	})
}
