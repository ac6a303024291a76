package sqlstore

import (
	"context"
	"fmt"

	"github.com/userpool/userpool/internal/store"
)

const importJobCols = `pool_id, id, name, role_arn, status, created_at, started_at, completed_at, updated_at,
	imported, skipped, failed, message, csv_size`

func scanImportJob(r scanner) (store.ImportJob, error) {
	var j store.ImportJob
	var created, updated int64
	var started, completed *int64
	err := r.Scan(&j.PoolID, &j.ID, &j.Name, &j.RoleARN, &j.Status, &created, &started, &completed, &updated,
		&j.Imported, &j.Skipped, &j.Failed, &j.Message, &j.CSVSize)
	if err != nil {
		return store.ImportJob{}, err
	}
	j.CreatedAt, j.UpdatedAt = fromMillis(created), fromMillis(updated)
	j.StartedAt, j.CompletedAt = fromNullMillis(started), fromNullMillis(completed)
	return j, nil
}

func importJobKey(j store.ImportJob) string { return j.ID }

func getImportJob(ctx context.Context, q Querier, poolID, id string, lock bool) (store.ImportJob, error) {
	j, err := scanImportJob(q.QueryRow(ctx, `SELECT `+importJobCols+` FROM import_jobs WHERE pool_id = $1 AND id = $2`+forUpdate(lock), poolID, id))
	if err != nil {
		return store.ImportJob{}, notFound("get import job", err)
	}
	return j, nil
}

// CreateImportJob implements store.ImportJobs. A missing pool is the
// foreign key's violation.
func (s *Store) CreateImportJob(ctx context.Context, j store.ImportJob) error {
	return s.do(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO import_jobs (pool_id, id, name, role_arn, status, created_at, started_at, completed_at,
			updated_at, imported, skipped, failed, message, csv_size) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, -1)`,
			j.PoolID, j.ID, j.Name, j.RoleARN, j.Status, millis(j.CreatedAt), nullMillis(j.StartedAt), nullMillis(j.CompletedAt),
			millis(j.UpdatedAt), j.Imported, j.Skipped, j.Failed, j.Message)
		if err != nil {
			return s.insertErr("create import job", err)
		}
		return nil
	})
}

// GetImportJob implements store.ImportJobs.
func (s *Store) GetImportJob(ctx context.Context, poolID, id string) (store.ImportJob, error) {
	return get(ctx, s, func(q Querier) (store.ImportJob, error) { return getImportJob(ctx, q, poolID, id, false) })
}

// UpdateImportJob implements store.ImportJobs.
func (s *Store) UpdateImportJob(ctx context.Context, poolID, id string, fn func(*store.ImportJob) error) (store.ImportJob, error) {
	type key struct {
		pool, id string
		size     int64
	}
	return change(ctx, s, "update import job", fn, func(j store.ImportJob) key { return key{j.PoolID, j.ID, j.CSVSize} },
		func(q Querier, lock bool) (store.ImportJob, error) { return getImportJob(ctx, q, poolID, id, lock) },
		func(q Querier, j store.ImportJob) (store.ImportJob, error) {
			return scanImportJob(q.QueryRow(ctx, `UPDATE import_jobs SET name = $3, role_arn = $4, status = $5, created_at = $6,
				started_at = $7, completed_at = $8, updated_at = $9, imported = $10, skipped = $11, failed = $12, message = $13
				WHERE pool_id = $1 AND id = $2 RETURNING `+importJobCols,
				j.PoolID, j.ID, j.Name, j.RoleARN, j.Status, millis(j.CreatedAt), nullMillis(j.StartedAt), nullMillis(j.CompletedAt),
				millis(j.UpdatedAt), j.Imported, j.Skipped, j.Failed, j.Message))
		})
}

// ListImportJobs implements store.ImportJobs.
func (s *Store) ListImportJobs(ctx context.Context, poolID string, page store.Page) ([]store.ImportJob, string, error) {
	var a args
	pool := a.add(poolID)
	return list(ctx, s, "list import jobs", page, a, func(after, limit Text) Text {
		return `SELECT ` + importJobCols + ` FROM import_jobs WHERE pool_id = ` + pool + ` AND id > ` + after +
			` ORDER BY id LIMIT ` + limit
	}, scanImportJob, importJobKey)
}

// PutImportCSV implements store.ImportJobs: the file is written only into
// a job that has none, in one statement, so two uploads racing cannot both
// win.
func (s *Store) PutImportCSV(ctx context.Context, poolID, id string, csv []byte) error {
	if csv == nil {
		csv = []byte{} // nil would be NULL, which means "no file"
	}
	return s.update(ctx, func(q Querier) error {
		n, err := q.Exec(ctx, `UPDATE import_jobs SET csv = $3, csv_size = $4 WHERE pool_id = $1 AND id = $2 AND csv_size < 0`,
			poolID, id, csv, int64(len(csv)))
		if err != nil {
			return fmt.Errorf("put import csv: %w", err)
		}
		if n > 0 {
			return nil
		}
		if _, err := getImportJob(ctx, q, poolID, id, false); err != nil {
			return err
		}
		return fmt.Errorf("put import csv: %w", store.ErrAlreadyExists)
	})
}

// ImportCSV implements store.ImportJobs.
func (s *Store) ImportCSV(ctx context.Context, poolID, id string) ([]byte, error) {
	return get(ctx, s, func(q Querier) ([]byte, error) {
		var csv []byte
		err := q.QueryRow(ctx, `SELECT csv FROM import_jobs WHERE pool_id = $1 AND id = $2 AND csv IS NOT NULL`, poolID, id).Scan(&csv)
		if err != nil {
			return nil, notFound("get import csv", err)
		}
		if csv == nil {
			csv = []byte{}
		}
		return csv, nil
	})
}

// DropImportCSV implements store.ImportJobs.
func (s *Store) DropImportCSV(ctx context.Context, poolID, id string) error {
	return s.do(ctx, func(q Querier) error {
		if _, err := q.Exec(ctx, `UPDATE import_jobs SET csv = NULL WHERE pool_id = $1 AND id = $2`, poolID, id); err != nil {
			return fmt.Errorf("drop import csv: %w", err)
		}
		return nil
	})
}

// ImportUsers implements store.ImportUsers. Each user is one INSERT that
// does nothing on any unique conflict, rather than an INSERT that fails:
// PostgreSQL aborts a transaction at its first failed statement, and a
// savepoint per row would double the statements. A user that was not
// inserted is then asked which key it collided on, which costs a query
// only for the (rare) rows that collide.
//
// Where writes ride in WITH, the user and its attributes are one
// statement, so a row is one round trip to the server; elsewhere
// (SQLite, in process) a row is a prepared statement per row and per
// attribute, which is cheaper than building a statement per user.
func (s *Store) ImportUsers(ctx context.Context, users []store.User) ([]string, error) {
	conflicts := make([]string, len(users))
	err := s.update(ctx, func(q Querier) error {
		clear(conflicts) // fn may run again after a serialisation conflict
		for i := range users {
			u := &users[i]
			inserted, err := s.importUser(ctx, q, u)
			if err != nil {
				return s.insertErr("import users", err)
			}
			if !inserted {
				if conflicts[i], err = userConflictOf(ctx, q, u); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return orZero(conflicts, err)
}

func (s *Store) importUser(ctx context.Context, q Querier, u *store.User) (bool, error) {
	if s.f.WritingWith {
		names, values := attributeArrays(u.Attributes)
		var inserted bool
		err := q.QueryRow(ctx, `WITH u AS (
				INSERT INTO users (`+userColumns+`) VALUES (`+userValues+`)
				ON CONFLICT DO NOTHING
				RETURNING pool_id, sub
			), a AS (
				INSERT INTO user_attributes (pool_id, sub, position, name, value)
				SELECT u.pool_id, u.sub, a.ord - 1, a.name, a.value
				FROM u, unnest($27::text[], $28::text[]) WITH ORDINALITY AS a (name, value, ord)
			)
			SELECT EXISTS (SELECT 1 FROM u)`, userRow(u, names, values)...).Scan(&inserted)
		return inserted, err
	}
	n, err := q.Exec(ctx, `INSERT INTO users (`+userColumns+`) VALUES (`+userValues+`) ON CONFLICT DO NOTHING`, userRow(u)...)
	if err != nil || n == 0 {
		return false, err
	}
	for pos, a := range u.Attributes {
		_, err := q.Exec(ctx, `INSERT INTO user_attributes (pool_id, sub, position, name, value) VALUES ($1, $2, $3, $4, $5)`,
			u.PoolID, u.Sub, pos, a.Name, a.Value)
		if err != nil {
			return false, err
		}
	}
	return true, nil
}

// userConflictOf names the unique key of u that another user holds, in
// the order CreateUser reports them: username, sub, then the aliases.
func userConflictOf(ctx context.Context, q Querier, u *store.User) (string, error) {
	var field string
	err := q.QueryRow(ctx, `SELECT CASE
			WHEN EXISTS (SELECT 1 FROM users WHERE pool_id = $1 AND username_key = $2) THEN 'username'
			WHEN EXISTS (SELECT 1 FROM users WHERE pool_id = $1 AND sub = $3) THEN 'sub'
			WHEN $4 <> '' AND EXISTS (SELECT 1 FROM users WHERE pool_id = $1 AND alias_email = $4 AND alias_email <> '') THEN 'email'
			WHEN $5 <> '' AND EXISTS (SELECT 1 FROM users WHERE pool_id = $1 AND alias_phone = $5 AND alias_phone <> '') THEN 'phone_number'
			WHEN $6 <> '' AND EXISTS (SELECT 1 FROM users WHERE pool_id = $1 AND alias_preferred_username = $6 AND alias_preferred_username <> '') THEN 'preferred_username'
			ELSE '' END`,
		u.PoolID, u.UsernameKey, u.Sub, u.AliasEmail, u.AliasPhone, u.AliasPreferredUsername).Scan(&field)
	if err != nil {
		return "", fmt.Errorf("import users: %w", err)
	}
	if field == "" {
		// Not inserted, yet nothing collides: the only other reason a
		// row is skipped is a conflict, so this cannot happen short of a
		// bug; say so rather than report a user as imported.
		return "", fmt.Errorf("import users: user %s was not inserted and collides with no key", u.Sub)
	}
	return field, nil
}
