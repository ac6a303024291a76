package sqlstore

import (
	"context"
	"fmt"

	"github.com/userpool/userpool/internal/store"
)

const (
	groupColumns = `pool_id, name, description, role_arn, precedence, created_at, updated_at`
	// groupCols are groupColumns of the row g, for joins.
	groupCols = `g.pool_id, g.name, g.description, g.role_arn, g.precedence, g.created_at, g.updated_at`
)

func scanGroup(r scanner) (store.Group, error) {
	var g store.Group
	var created, updated int64
	if err := r.Scan(&g.PoolID, &g.Name, &g.Description, &g.RoleARN, &g.Precedence, &created, &updated); err != nil {
		return store.Group{}, err
	}
	g.CreatedAt, g.UpdatedAt = fromMillis(created), fromMillis(updated)
	return g, nil
}

func getGroup(ctx context.Context, q Querier, poolID, name string, lock bool) (store.Group, error) {
	g, err := scanGroup(q.QueryRow(ctx,
		`SELECT `+groupCols+` FROM groups g WHERE g.pool_id = $1 AND g.name = $2`+forUpdate(lock), poolID, name))
	if err != nil {
		return store.Group{}, notFound("get group", err)
	}
	return g, nil
}

// CreateGroup implements store.Groups.
func (s *Store) CreateGroup(ctx context.Context, g store.Group) error {
	return s.do(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO groups (`+groupColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			g.PoolID, g.Name, g.Description, g.RoleARN, g.Precedence, millis(g.CreatedAt), millis(g.UpdatedAt))
		if err != nil {
			return s.insertErr("create group", err)
		}
		return nil
	})
}

// GetGroup implements store.Groups.
func (s *Store) GetGroup(ctx context.Context, poolID, name string) (store.Group, error) {
	return get(ctx, s, func(q Querier) (store.Group, error) { return getGroup(ctx, q, poolID, name, false) })
}

// UpdateGroup implements store.Groups.
func (s *Store) UpdateGroup(ctx context.Context, poolID, name string, fn func(*store.Group) error) (store.Group, error) {
	return change(ctx, s, "update group", fn, func(g store.Group) [2]string { return [2]string{g.PoolID, g.Name} },
		func(q Querier, lock bool) (store.Group, error) { return getGroup(ctx, q, poolID, name, lock) },
		func(q Querier, g store.Group) (store.Group, error) {
			return scanGroup(q.QueryRow(ctx, `UPDATE groups SET description = $1, role_arn = $2, precedence = $3,
				created_at = $4, updated_at = $5 WHERE pool_id = $6 AND name = $7 RETURNING `+groupColumns,
				g.Description, g.RoleARN, g.Precedence, millis(g.CreatedAt), millis(g.UpdatedAt), poolID, name))
		})
}

// DeleteGroup implements store.Groups. Memberships go with it by cascade.
func (s *Store) DeleteGroup(ctx context.Context, poolID, name string) error {
	return s.do(ctx, func(q Querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM groups WHERE pool_id = $1 AND name = $2`, poolID, name)
		return mustAffect("delete group", tag, err)
	})
}

// ListGroups implements store.Groups.
func (s *Store) ListGroups(ctx context.Context, poolID string, page store.Page) ([]store.Group, string, error) {
	var a args
	pool := a.add(poolID)
	return list(ctx, s, "list groups", page, a, func(after, limit Text) Text {
		return `SELECT ` + groupCols + ` FROM groups g WHERE g.pool_id = ` + pool + ` AND g.name > ` + after +
			` ORDER BY g.name LIMIT ` + limit
	}, scanGroup, func(g store.Group) string { return g.Name })
}

// AddUserToGroup implements store.Groups. A missing group or user is a
// violation of one of the membership's foreign keys; an existing
// membership is a conflict that inserts nothing, and implies both exist.
func (s *Store) AddUserToGroup(ctx context.Context, poolID, group, sub string) error {
	return s.do(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO group_members (pool_id, group_name, sub) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, poolID, group, sub)
		if err != nil {
			return s.insertErr(fmt.Sprintf("add user %q to group %q", sub, group), err)
		}
		return nil
	})
}

// RemoveUserFromGroup implements store.Groups. The membership's delete
// comes with the answer to whether the group and the user exist, so a
// missing one is ErrNotFound rather than a silent no-op: in one statement
// where writes can ride in WITH, else in one transaction.
func (s *Store) RemoveUserFromGroup(ctx context.Context, poolID, group, sub string) error {
	const (
		del     = `DELETE FROM group_members WHERE pool_id = $1 AND group_name = $2 AND sub = $3`
		parents = `SELECT EXISTS (SELECT 1 FROM groups WHERE pool_id = $1 AND name = $2),
				EXISTS (SELECT 1 FROM users WHERE pool_id = $1 AND sub = $3)`
	)
	run, query := s.do, Text(`WITH d AS (`+del+`) `+parents)
	if !s.f.WritingWith {
		run, query = s.update, parents
	}
	return run(ctx, func(q Querier) error {
		if !s.f.WritingWith {
			if _, err := q.Exec(ctx, del, poolID, group, sub); err != nil {
				return fmt.Errorf("remove user from group: %w", err)
			}
		}
		var groupOK, userOK bool
		err := q.QueryRow(ctx, query, poolID, group, sub).Scan(&groupOK, &userOK)
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
	return list(ctx, s, "list groups for user", page, a, func(after, limit Text) Text {
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
	return list(ctx, s, "list users in group", page, a, func(after, limit Text) Text {
		return `SELECT ` + userCols + ` FROM group_members m
			JOIN users u ON u.pool_id = m.pool_id AND u.sub = m.sub
			WHERE m.pool_id = ` + pool + ` AND m.group_name = ` + name + ` AND u.username_key > ` + after +
			` ORDER BY u.username_key LIMIT ` + limit
	}, scanUser, userKey)
}
