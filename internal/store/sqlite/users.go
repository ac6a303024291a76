package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/userpool/userpool/internal/store"
)

// userCols reads a user and its attributes in one statement, so the two
// always come from the same snapshot even on the read pool, and listings
// need no query per user.
const userCols = `u.pool_id, u.sub, u.username, u.username_key, u.status, u.enabled, u.password_hash,
	u.alias_email, u.alias_phone, u.alias_preferred_username, u.created_at, u.updated_at, u.password_updated_at,
	u.failed_sign_ins, u.locked_until, u.signed_out_at, u.srp_salt, u.srp_verifier,
	u.mfa_totp_secret, u.mfa_totp_pending, u.mfa_totp_name, u.mfa_totp_last_step,
	u.mfa_totp_enabled, u.mfa_sms_enabled, u.mfa_email_enabled, u.mfa_preferred,
	(SELECT json_group_array(json_array(a.name, a.value) ORDER BY a.position)
		FROM user_attributes a WHERE a.pool_id = u.pool_id AND a.sub = u.sub)`

func scanUser(r scanner) (store.User, error) {
	var u store.User
	var created, updated, pwUpdated int64
	var lockedUntil, signedOut sql.NullInt64
	var attrs string
	err := r.Scan(&u.PoolID, &u.Sub, &u.Username, &u.UsernameKey, &u.Status, &u.Enabled, &u.PasswordHash,
		&u.AliasEmail, &u.AliasPhone, &u.AliasPreferredUsername, &created, &updated, &pwUpdated,
		&u.FailedSignIns, &lockedUntil, &signedOut, &u.SRPSalt, &u.SRPVerifier,
		&u.MFA.TOTPSecret, &u.MFA.TOTPPending, &u.MFA.TOTPName, &u.MFA.TOTPLastStep,
		&u.MFA.TOTPEnabled, &u.MFA.SMSEnabled, &u.MFA.EmailEnabled, &u.MFA.Preferred, &attrs)
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

func getUserWhere(ctx context.Context, q querier, what string, where sqlText, args ...any) (store.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userCols+` FROM users u WHERE `+where, args...))
	if err != nil {
		return store.User{}, notFound(what, err)
	}
	return u, nil
}

func getUserBySub(ctx context.Context, q querier, poolID, sub string) (store.User, error) {
	return getUserWhere(ctx, q, "get user", `u.pool_id = ? AND u.sub = ?`, poolID, sub)
}

// userConflict maps a unique violation on users to the ConflictError that
// names the field. SQLite names the columns of the violated index in its
// message ("UNIQUE constraint failed: users.pool_id, users.alias_email"),
// which is the only place it says which one it was.
func userConflict(what string, err error) error {
	if !isUnique(err) {
		if isForeignKey(err) {
			return fmt.Errorf("%s: %w", what, store.ErrNotFound)
		}
		return fmt.Errorf("%s: %w", what, err)
	}
	msg := err.Error()
	for _, c := range []struct{ column, field string }{
		{"users.username_key", "username"},
		{"users.sub", "sub"},
		{"users.alias_email", "email"},
		{"users.alias_phone", "phone_number"},
		{"users.alias_preferred_username", "preferred_username"},
	} {
		if strings.Contains(msg, c.column) {
			return &store.ConflictError{Field: c.field}
		}
	}
	return fmt.Errorf("%s: %w: %v", what, store.ErrAlreadyExists, err)
}

// writeAttributes replaces the user's attribute rows, keeping their order
// in position.
func writeAttributes(ctx context.Context, tx querier, u *store.User) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM user_attributes WHERE pool_id = ? AND sub = ?`, u.PoolID, u.Sub); err != nil {
		return fmt.Errorf("write attributes: %w", err)
	}
	if len(u.Attributes) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(`INSERT INTO user_attributes (pool_id, sub, position, name, value) VALUES `)
	args := make([]any, 0, 5*len(u.Attributes))
	for i, a := range u.Attributes {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?)")
		args = append(args, u.PoolID, u.Sub, i, a.Name, a.Value)
	}
	if _, err := tx.execBuilt(ctx, b.String(), args...); err != nil {
		return fmt.Errorf("write attributes: %w", err)
	}
	return nil
}

// CreateUser implements store.Users.
func (s *Store) CreateUser(ctx context.Context, u store.User) error {
	return s.update(ctx, func(tx querier) error {
		if err := poolExists(ctx, tx, u.PoolID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO users (pool_id, sub, username, username_key, status, enabled, password_hash,
			alias_email, alias_phone, alias_preferred_username, created_at, updated_at, password_updated_at,
			failed_sign_ins, locked_until, signed_out_at, srp_salt, srp_verifier,
			mfa_totp_secret, mfa_totp_pending, mfa_totp_name, mfa_totp_last_step,
			mfa_totp_enabled, mfa_sms_enabled, mfa_email_enabled, mfa_preferred)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.PoolID, u.Sub, u.Username, u.UsernameKey, u.Status, u.Enabled, u.PasswordHash,
			u.AliasEmail, u.AliasPhone, u.AliasPreferredUsername,
			millis(u.CreatedAt), millis(u.UpdatedAt), millis(u.PasswordUpdatedAt),
			u.FailedSignIns, nullMillis(u.LockedUntil), nullMillis(u.SignedOutAt), nullBytes(u.SRPSalt), nullBytes(u.SRPVerifier),
			nullBytes(u.MFA.TOTPSecret), nullBytes(u.MFA.TOTPPending), u.MFA.TOTPName, u.MFA.TOTPLastStep,
			u.MFA.TOTPEnabled, u.MFA.SMSEnabled, u.MFA.EmailEnabled, u.MFA.Preferred)
		if err != nil {
			return userConflict("create user", err)
		}
		return writeAttributes(ctx, tx, &u)
	})
}

// GetUser implements store.Users.
func (s *Store) GetUser(ctx context.Context, poolID, usernameKey string) (store.User, error) {
	return getUserWhere(ctx, s.reader(), "get user", `u.pool_id = ? AND u.username_key = ?`, poolID, usernameKey)
}

// GetUserBySub implements store.Users.
func (s *Store) GetUserBySub(ctx context.Context, poolID, sub string) (store.User, error) {
	return getUserBySub(ctx, s.reader(), poolID, sub)
}

// GetUserByAlias implements store.Users. An empty key means "no alias"
// and never matches, although many users share it.
func (s *Store) GetUserByAlias(ctx context.Context, poolID string, alias store.AliasKind, key string) (store.User, error) {
	var col sqlText
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
	// The repeated "<> ''" lets SQLite use the partial unique index.
	return getUserWhere(ctx, s.reader(), "get user by alias",
		`u.pool_id = ? AND u.`+col+` = ? AND u.`+col+` <> ''`, poolID, key)
}

// UpdateUser implements store.Users. The user row is written first: when
// it violates a unique index nothing else has been touched.
func (s *Store) UpdateUser(ctx context.Context, poolID, sub string, fn func(*store.User) error) (store.User, error) {
	var out store.User
	err := s.update(ctx, func(tx querier) error {
		u, err := getUserBySub(ctx, tx, poolID, sub)
		if err != nil {
			return err
		}
		if err := fn(&u); err != nil {
			return err
		}
		if u.PoolID != poolID || u.Sub != sub {
			return errKeyChanged("update user")
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET username = ?, username_key = ?, status = ?, enabled = ?,
			password_hash = ?, alias_email = ?, alias_phone = ?, alias_preferred_username = ?,
			created_at = ?, updated_at = ?, password_updated_at = ?,
			failed_sign_ins = ?, locked_until = ?, signed_out_at = ?, srp_salt = ?, srp_verifier = ?,
			mfa_totp_secret = ?, mfa_totp_pending = ?, mfa_totp_name = ?, mfa_totp_last_step = ?,
			mfa_totp_enabled = ?, mfa_sms_enabled = ?, mfa_email_enabled = ?, mfa_preferred = ?
			WHERE pool_id = ? AND sub = ?`,
			u.Username, u.UsernameKey, u.Status, u.Enabled, u.PasswordHash,
			u.AliasEmail, u.AliasPhone, u.AliasPreferredUsername,
			millis(u.CreatedAt), millis(u.UpdatedAt), millis(u.PasswordUpdatedAt),
			u.FailedSignIns, nullMillis(u.LockedUntil), nullMillis(u.SignedOutAt), nullBytes(u.SRPSalt), nullBytes(u.SRPVerifier),
			nullBytes(u.MFA.TOTPSecret), nullBytes(u.MFA.TOTPPending), u.MFA.TOTPName, u.MFA.TOTPLastStep,
			u.MFA.TOTPEnabled, u.MFA.SMSEnabled, u.MFA.EmailEnabled, u.MFA.Preferred,
			poolID, sub)
		if err != nil {
			return userConflict("update user", err)
		}
		if err := writeAttributes(ctx, tx, &u); err != nil {
			return err
		}
		out, err = getUserBySub(ctx, tx, poolID, sub)
		return err
	})
	if err != nil {
		return store.User{}, err
	}
	return out, nil
}

// DeleteUser implements store.Users. Attributes and memberships go with
// it by cascade.
func (s *Store) DeleteUser(ctx context.Context, poolID, sub string) error {
	return s.update(ctx, func(tx querier) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM users WHERE pool_id = ? AND sub = ?`, poolID, sub)
		return mustAffect("delete user", res, err)
	})
}

// ListUsers implements store.Users.
func (s *Store) ListUsers(ctx context.Context, poolID string, filter *store.UserFilter, page store.Page) ([]store.User, string, error) {
	// The text is joined from constants only (values are bound), so each
	// kind of filter is one statement, prepared once.
	where := sqlText(`u.pool_id = ?`)
	args := []any{poolID}
	if filter != nil {
		switch filter.Field {
		case store.FieldUsername:
			cond, a := match("u.username_key", filter)
			where += ` AND ` + cond
			args = append(args, a...)
		case store.FieldStatus:
			cond, a := match("u.status", filter)
			where += ` AND ` + cond
			args = append(args, a...)
		case store.FieldEnabled:
			enabled, disabled := matches("Enabled", filter), matches("Disabled", filter)
			switch {
			case enabled && disabled: // an empty prefix: every user
			case enabled:
				where += ` AND u.enabled = 1`
			case disabled:
				where += ` AND u.enabled = 0`
			default:
				return nil, "", nil
			}
		default:
			// IN rather than a correlated EXISTS, so SQLite can start
			// from the (pool_id, name, value) index when the filter is
			// selective instead of testing every user of the pool.
			cond, a := match("a.value", filter)
			where += ` AND u.sub IN (SELECT a.sub FROM user_attributes a WHERE a.pool_id = ? AND a.name = ? AND ` + cond + `)`
			args = append(args, poolID, filter.Field)
			args = append(args, a...)
		}
	}
	return list(ctx, s.reader(), "list users", page,
		`SELECT `+userCols+` FROM users u WHERE `+where+` AND u.username_key > ? ORDER BY u.username_key LIMIT ?`,
		args, scanUser, userKey)
}

// match is the SQL condition of a filter on one text column. Prefixes are
// a byte range rather than LIKE: it is case-sensitive, needs no escaping
// of % and _, and is an index range scan.
func match(col sqlText, f *store.UserFilter) (sqlText, []any) {
	if !f.Prefix {
		return col + ` = ?`, []any{f.Value}
	}
	if end, ok := prefixEnd(f.Value); ok {
		return col + ` >= ? AND ` + col + ` < ?`, []any{f.Value, end}
	}
	return col + ` >= ?`, []any{f.Value}
}

// matches applies a filter to a constant, for the fields that are not
// stored as the text they are filtered by.
func matches(value string, f *store.UserFilter) bool {
	if f.Prefix {
		return strings.HasPrefix(value, f.Value)
	}
	return value == f.Value
}

// prefixEnd returns the least string greater than every string that starts
// with p, in byte order (SQLite's BINARY collation): p with its last byte
// below 0xff incremented and what follows dropped. ok is false when there
// is none (p is empty or all 0xff), and the range is then open-ended.
func prefixEnd(p string) (end string, ok bool) {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1]), true
		}
	}
	return "", false
}

// CountUsers implements store.Users.
func (s *Store) CountUsers(ctx context.Context, poolID string) (int64, error) {
	var n int64
	if err := s.reader().QueryRowContext(ctx, `SELECT count(*) FROM users WHERE pool_id = ?`, poolID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}
