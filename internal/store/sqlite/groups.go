package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/userpool/userpool/internal/store"
)

const groupCols = `g.pool_id, g.name, g.description, g.role_arn, g.precedence, g.created_at, g.updated_at`

func scanGroup(r scanner) (store.Group, error) {
	var g store.Group
	var prec sql.NullInt64
	var created, updated int64
	if err := r.Scan(&g.PoolID, &g.Name, &g.Description, &g.RoleARN, &prec, &created, &updated); err != nil {
		return store.Group{}, err
	}
	if prec.Valid {
		g.Precedence = &prec.Int64
	}
	g.CreatedAt, g.UpdatedAt = fromMillis(created), fromMillis(updated)
	return g, nil
}

func getGroup(ctx context.Context, q querier, poolID, name string) (store.Group, error) {
	g, err := scanGroup(q.QueryRowContext(ctx,
		`SELECT `+groupCols+` FROM groups g WHERE g.pool_id = ? AND g.name = ?`, poolID, name))
	if err != nil {
		return store.Group{}, notFound("get group", err)
	}
	return g, nil
}

// CreateGroup implements store.Groups.
func (s *Store) CreateGroup(ctx context.Context, g store.Group) error {
	return s.update(ctx, func(tx querier) error {
		if err := poolExists(ctx, tx, g.PoolID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO groups (pool_id, name, description, role_arn, precedence, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			g.PoolID, g.Name, g.Description, g.RoleARN, g.Precedence, millis(g.CreatedAt), millis(g.UpdatedAt))
		if err != nil {
			return insertErr("create group", err)
		}
		return nil
	})
}

// GetGroup implements store.Groups.
func (s *Store) GetGroup(ctx context.Context, poolID, name string) (store.Group, error) {
	return getGroup(ctx, s.reader(), poolID, name)
}

// UpdateGroup implements store.Groups.
func (s *Store) UpdateGroup(ctx context.Context, poolID, name string, fn func(*store.Group) error) (store.Group, error) {
	var out store.Group
	err := s.update(ctx, func(tx querier) error {
		g, err := getGroup(ctx, tx, poolID, name)
		if err != nil {
			return err
		}
		if err := fn(&g); err != nil {
			return err
		}
		if g.PoolID != poolID || g.Name != name {
			return errKeyChanged("update group")
		}
		_, err = tx.ExecContext(ctx, `UPDATE groups SET description = ?, role_arn = ?, precedence = ?, created_at = ?, updated_at = ?
			WHERE pool_id = ? AND name = ?`,
			g.Description, g.RoleARN, g.Precedence, millis(g.CreatedAt), millis(g.UpdatedAt), poolID, name)
		if err != nil {
			return insertErr("update group", err)
		}
		out, err = getGroup(ctx, tx, poolID, name)
		return err
	})
	if err != nil {
		return store.Group{}, err
	}
	return out, nil
}

// DeleteGroup implements store.Groups. Memberships go with it by cascade.
func (s *Store) DeleteGroup(ctx context.Context, poolID, name string) error {
	return s.update(ctx, func(tx querier) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM groups WHERE pool_id = ? AND name = ?`, poolID, name)
		return mustAffect("delete group", res, err)
	})
}

// ListGroups implements store.Groups.
func (s *Store) ListGroups(ctx context.Context, poolID string, page store.Page) ([]store.Group, string, error) {
	return list(ctx, s.reader(), "list groups", page,
		`SELECT `+groupCols+` FROM groups g WHERE g.pool_id = ? AND g.name > ? ORDER BY g.name LIMIT ?`,
		[]any{poolID}, scanGroup, func(g store.Group) string { return g.Name })
}

// memberParents checks that both ends of a membership exist, so a missing
// one is ErrNotFound rather than a foreign-key error (or, on remove, a
// silent no-op).
func memberParents(ctx context.Context, tx querier, poolID, group, sub string) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM groups WHERE pool_id = ? AND name = ?`, poolID, group).Scan(&one)
	if err != nil {
		return notFound(fmt.Sprintf("group %q", group), err)
	}
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM users WHERE pool_id = ? AND sub = ?`, poolID, sub).Scan(&one)
	if err != nil {
		return notFound(fmt.Sprintf("user %q", sub), err)
	}
	return nil
}

// AddUserToGroup implements store.Groups.
func (s *Store) AddUserToGroup(ctx context.Context, poolID, group, sub string) error {
	return s.update(ctx, func(tx querier) error {
		if err := memberParents(ctx, tx, poolID, group, sub); err != nil {
			return fmt.Errorf("add user to group: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO group_members (pool_id, group_name, sub) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, poolID, group, sub)
		if err != nil {
			return insertErr("add user to group", err)
		}
		return nil
	})
}

// RemoveUserFromGroup implements store.Groups.
func (s *Store) RemoveUserFromGroup(ctx context.Context, poolID, group, sub string) error {
	return s.update(ctx, func(tx querier) error {
		if err := memberParents(ctx, tx, poolID, group, sub); err != nil {
			return fmt.Errorf("remove user from group: %w", err)
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM group_members WHERE pool_id = ? AND group_name = ? AND sub = ?`,
			poolID, group, sub)
		if err != nil {
			return fmt.Errorf("remove user from group: %w", err)
		}
		return nil
	})
}

// ListGroupsForUser implements store.Groups.
func (s *Store) ListGroupsForUser(ctx context.Context, poolID, sub string, page store.Page) ([]store.Group, string, error) {
	return list(ctx, s.reader(), "list groups for user", page,
		`SELECT `+groupCols+` FROM group_members m
		JOIN groups g ON g.pool_id = m.pool_id AND g.name = m.group_name
		WHERE m.pool_id = ? AND m.sub = ? AND m.group_name > ? ORDER BY m.group_name LIMIT ?`,
		[]any{poolID, sub}, scanGroup, func(g store.Group) string { return g.Name })
}

// ListUsersInGroup implements store.Groups.
func (s *Store) ListUsersInGroup(ctx context.Context, poolID, group string, page store.Page) ([]store.User, string, error) {
	return list(ctx, s.reader(), "list users in group", page,
		`SELECT `+userCols+` FROM group_members m
		JOIN users u ON u.pool_id = m.pool_id AND u.sub = m.sub
		WHERE m.pool_id = ? AND m.group_name = ? AND u.username_key > ? ORDER BY u.username_key LIMIT ?`,
		[]any{poolID, group}, scanUser, userKey)
}
