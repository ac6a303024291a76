package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

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

// DropUnstartedImportCSVs implements store.ImportJobs.
func (s *Store) DropUnstartedImportCSVs(ctx context.Context, createdBefore time.Time) (int64, error) {
	return put(ctx, s, func(q Querier) (int64, error) {
		n, err := q.Exec(ctx, `UPDATE import_jobs SET csv = NULL WHERE status = 'Created' AND created_at < $1 AND csv IS NOT NULL`,
			millis(createdBefore))
		if err != nil {
			return 0, fmt.Errorf("drop unstarted import files: %w", err)
		}
		return n, nil
	})
}

// ImportUsers implements store.ImportUsers. Users go in by statements of
// importChunk rows that do nothing on any unique conflict and return the
// subs they inserted, rather than statements that fail: PostgreSQL aborts
// a transaction at its first failed statement, and a statement per row
// (seven with the attributes, for a typical row) is what made a large
// import slow. A user that was not inserted is then asked which key it
// collided on, which costs a query only for the (rare) rows that collide.
// The rows left over after the last whole chunk go one by one, so that
// only two statement texts are ever prepared.
func (s *Store) ImportUsers(ctx context.Context, users []store.User) ([]string, error) {
	conflicts := make([]string, len(users))
	err := s.update(ctx, func(q Querier) error {
		clear(conflicts) // fn may run again after a serialisation conflict
		inserted := make(map[string]bool, len(users))
		for start := 0; start < len(users); start += importChunk {
			chunk := users[start:min(start+importChunk, len(users))]
			if err := importChunkOf(ctx, q, chunk, inserted); err != nil {
				return s.insertErr("import users", err)
			}
		}
		var attrs []importAttr
		for i := range users {
			u := &users[i]
			if !inserted[u.Sub] {
				var err error
				if conflicts[i], err = userConflictOf(ctx, q, u); err != nil {
					return err
				}
				continue
			}
			delete(inserted, u.Sub) // a later row with the same sub was not this one
			for pos, a := range u.Attributes {
				attrs = append(attrs, importAttr{u.PoolID, u.Sub, pos, a.Name, a.Value})
			}
		}
		return importAttributes(ctx, q, attrs)
	})
	return orZero(conflicts, err)
}

// importChunk is how many users one statement inserts (userColumnCount
// parameters each), and importAttrChunk how many attribute rows (5
// each). Larger statements save little more: SQLite's binding finds each numbered
// parameter by a scan of the statement's parameters, so a statement's
// cost grows with the square of its parameters, and a few hundred is
// where that starts to show (measured: 64 users a statement spent a fifth
// of an import's CPU binding).
const (
	importChunk     = 16
	importAttrChunk = 64
)

// importUsersText and importAttrsText are the two statements of whole
// chunks. They are made once from constants, so they are fixed texts
// that may be prepared and kept, like any literal.
var (
	importUsersText = Text(`INSERT INTO users (` + userColumns + `) VALUES ` + rowsOf(importChunk, userColumnCount) +
		` ON CONFLICT DO NOTHING RETURNING sub`)
	importUserText  = Text(`INSERT INTO users (` + userColumns + `) VALUES (` + userValues + `) ON CONFLICT DO NOTHING RETURNING sub`)
	importAttrsText = Text(`INSERT INTO user_attributes (pool_id, sub, position, name, value) VALUES ` + rowsOf(importAttrChunk, 5))
)

// rowsOf is "($1, ..., $cols), ($cols+1, ...)" for n rows.
func rowsOf(n, cols int) string {
	var b strings.Builder
	for r := range n {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteString("$" + strconv.Itoa(r*cols+c+1))
		}
		b.WriteByte(')')
	}
	return b.String()
}

// importChunkOf inserts users, a whole chunk in one statement or fewer
// one at a time, and marks the subs inserted.
func importChunkOf(ctx context.Context, q Querier, users []store.User, inserted map[string]bool) error {
	if len(users) == importChunk {
		args := make([]any, 0, importChunk*userColumnCount)
		for i := range users {
			args = append(args, userRow(&users[i])...)
		}
		return collectSubs(q.Query(ctx, importUsersText, args...))(inserted)
	}
	for i := range users {
		if err := collectSubs(q.Query(ctx, importUserText, userRow(&users[i])...))(inserted); err != nil {
			return err
		}
	}
	return nil
}

// collectSubs reads the subs an INSERT ... RETURNING sub gave into a set.
func collectSubs(rows Rows, err error) func(map[string]bool) error {
	return func(into map[string]bool) error {
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var sub string
			if err := rows.Scan(&sub); err != nil {
				return err
			}
			into[sub] = true
		}
		return rows.Err()
	}
}

type importAttr struct {
	pool, sub   string
	pos         int
	name, value string
}

// importAttributes writes the attribute rows of the users inserted, a
// chunk to a statement.
func importAttributes(ctx context.Context, q Querier, attrs []importAttr) error {
	for start := 0; start < len(attrs); start += importAttrChunk {
		chunk := attrs[start:min(start+importAttrChunk, len(attrs))]
		if len(chunk) == importAttrChunk {
			args := make([]any, 0, importAttrChunk*5)
			for _, a := range chunk {
				args = append(args, a.pool, a.sub, a.pos, a.name, a.value)
			}
			if _, err := q.Exec(ctx, importAttrsText, args...); err != nil {
				return fmt.Errorf("import users: attributes: %w", err)
			}
			continue
		}
		for _, a := range chunk {
			_, err := q.Exec(ctx, `INSERT INTO user_attributes (pool_id, sub, position, name, value) VALUES ($1, $2, $3, $4, $5)`,
				a.pool, a.sub, a.pos, a.name, a.value)
			if err != nil {
				return fmt.Errorf("import users: attributes: %w", err)
			}
		}
	}
	return nil
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
