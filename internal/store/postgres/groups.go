package postgres

import (
	"context"
	"fmt"

	"github.com/userpool/userpool/internal/store"
)

const groupCols = `g.pool_id, g.name, g.description, g.role_arn, g.precedence, g.created_at, g.updated_at`

func scanGroup(r scanner) (store.Group, error) {
	var g store.Group
	var created, updated int64
	if err := r.Scan(&g.PoolID, &g.Name, &g.Description, &g.RoleARN, &g.Precedence, &created, &updated); err != nil {
		return store.Group{}, err
	}
	g.CreatedAt, g.UpdatedAt = fromMillis(created), fromMillis(updated)
	return g, nil
}

func getGroup(ctx context.Context, q querier, poolID, name string, lock bool) (store.Group, error) {
	g, err := scanGroup(q.QueryRow(ctx,
		`SELECT `+groupCols+` FROM groups g WHERE g.pool_id = $1 AND g.name = $2`+forUpdate(lock), poolID, name))
	if err != nil {
		return store.Group{}, notFound("get group", err)
	}
	return g, nil
}

// CreateGroup implements store.Groups.
func (s *Store) CreateGroup(ctx context.Context, g store.Group) error {
	return s.do(ctx, func(q querier) error {
		_, err := q.Exec(ctx, `INSERT INTO groups (pool_id, name, description, role_arn, precedence, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			g.PoolID, g.Name, g.Description, g.RoleARN, g.Precedence, millis(g.CreatedAt), millis(g.UpdatedAt))
		if err != nil {
			return insertErr("create group", err)
		}
		return nil
	})
}

// GetGroup implements store.Groups.
func (s *Store) GetGroup(ctx context.Context, poolID, name string) (store.Group, error) {
	return get(ctx, s, func(q querier) (store.Group, error) { return getGroup(ctx, q, poolID, name, false) })
}

// UpdateGroup implements store.Groups.
func (s *Store) UpdateGroup(ctx context.Context, poolID, name string, fn func(*store.Group) error) (store.Group, error) {
	var out store.Group
	err := s.update(ctx, func(q querier) error {
		g, err := getGroup(ctx, q, poolID, name, true)
		if err != nil {
			return err
		}
		if err := fn(&g); err != nil {
			return err
		}
		if g.PoolID != poolID || g.Name != name {
			return errKeyChanged("update group")
		}
		out, err = scanGroup(q.QueryRow(ctx, `UPDATE groups g SET description = $1, role_arn = $2, precedence = $3,
			created_at = $4, updated_at = $5 WHERE g.pool_id = $6 AND g.name = $7 RETURNING `+groupCols,
			g.Description, g.RoleARN, g.Precedence, millis(g.CreatedAt), millis(g.UpdatedAt), poolID, name))
		if err != nil {
			return insertErr("update group", err)
		}
		return nil
	})
	if err != nil {
		return store.Group{}, err
	}
	return out, nil
}

// DeleteGroup implements store.Groups. Memberships go with it by cascade.
func (s *Store) DeleteGroup(ctx context.Context, poolID, name string) error {
	return s.do(ctx, func(q querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM groups WHERE pool_id = $1 AND name = $2`, poolID, name)
		return mustAffect("delete group", tag, err)
	})
}

// ListGroups implements store.Groups.
func (s *Store) ListGroups(ctx context.Context, poolID string, page store.Page) ([]store.Group, string, error) {
	var a args
	pool := a.add(poolID)
	return list(ctx, s, "list groups", page, a, func(after, limit string) string {
		return `SELECT ` + groupCols + ` FROM groups g WHERE g.pool_id = ` + pool + ` AND g.name > ` + after +
			` ORDER BY g.name LIMIT ` + limit
	}, scanGroup, func(g store.Group) string { return g.Name })
}

// AddUserToGroup implements store.Groups. A missing group or user is a
// violation of one of the membership's foreign keys; an existing
// membership is a conflict that inserts nothing, and implies both exist.
func (s *Store) AddUserToGroup(ctx context.Context, poolID, group, sub string) error {
	return s.do(ctx, func(q querier) error {
		_, err := q.Exec(ctx, `INSERT INTO group_members (pool_id, group_name, sub) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, poolID, group, sub)
		if err != nil {
			return insertErr(fmt.Sprintf("add user %q to group %q", sub, group), err)
		}
		return nil
	})
}

// RemoveUserFromGroup implements store.Groups. One statement deletes the
// membership and says whether the group and the user exist, so a missing
// one is ErrNotFound rather than a silent no-op.
func (s *Store) RemoveUserFromGroup(ctx context.Context, poolID, group, sub string) error {
	return s.do(ctx, func(q querier) error {
		var groupOK, userOK bool
		err := q.QueryRow(ctx, `WITH d AS (
				DELETE FROM group_members WHERE pool_id = $1 AND group_name = $2 AND sub = $3
			)
			SELECT EXISTS (SELECT 1 FROM groups WHERE pool_id = $1 AND name = $2),
				EXISTS (SELECT 1 FROM users WHERE pool_id = $1 AND sub = $3)`,
			poolID, group, sub).Scan(&groupOK, &userOK)
		switch {
		case err != nil:
			return fmt.Errorf("remove user from group: %w", err)
		case !groupOK:
			return fmt.Errorf("remove user from group: group %q: %w", group, store.ErrNotFound)
		case !userOK:
			return fmt.Errorf("remove user from group: user %q: %w", sub, store.ErrNotFound)
		}
		return nil
	})
}

// ListGroupsForUser implements store.Groups.
func (s *Store) ListGroupsForUser(ctx context.Context, poolID, sub string, page store.Page) ([]store.Group, string, error) {
	var a args
	pool, user := a.add(poolID), a.add(sub)
	return list(ctx, s, "list groups for user", page, a, func(after, limit string) string {
		return `SELECT ` + groupCols + ` FROM group_members m
			JOIN groups g ON g.pool_id = m.pool_id AND g.name = m.group_name
			WHERE m.pool_id = ` + pool + ` AND m.sub = ` + user + ` AND m.group_name > ` + after +
			` ORDER BY m.group_name LIMIT ` + limit
	}, scanGroup, func(g store.Group) string { return g.Name })
}

// ListUsersInGroup implements store.Groups.
func (s *Store) ListUsersInGroup(ctx context.Context, poolID, group string, page store.Page) ([]store.User, string, error) {
	var a args
	pool, name := a.add(poolID), a.add(group)
	return list(ctx, s, "list users in group", page, a, func(after, limit string) string {
		return `SELECT ` + userCols + ` FROM group_members m
			JOIN users u ON u.pool_id = m.pool_id AND u.sub = m.sub
			WHERE m.pool_id = ` + pool + ` AND m.group_name = ` + name + ` AND u.username_key > ` + after +
			` ORDER BY u.username_key LIMIT ` + limit
	}, scanUser, userKey)
}
