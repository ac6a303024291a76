package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"

	"github.com/userpool/userpool/internal/store/sqlstore"
)

// sqlText is the text of a statement that is the same on every call (see
// sqlstore.Text). Such a statement is rewritten to SQLite's spelling and
// prepared once per connection, and kept, sparing SQLite the parse and
// plan of every call. The cache is keyed by the text as the store wrote it.
type sqlText = sqlstore.Text

// maxStmts bounds each pool's cache. The store has about a hundred fixed
// texts; the bound only matters should a text built at run time be
// converted to sqlText by mistake, and past it statements run unprepared.
const maxStmts = 256

// querier runs every statement of the store: on the read pool, or in a
// transaction on the write connection.
type querier struct {
	db *sql.DB // the read pool, when tx is nil
	tx *sql.Tx
	// stmts holds the statements prepared on db, or, in a transaction, on
	// the write pool that tx belongs to.
	stmts *stmtCache
}

// Exec implements sqlstore.Querier.
func (q querier) Exec(ctx context.Context, query sqlText, args ...any) (int64, error) {
	var res sql.Result
	var err error
	if st := q.stmt(ctx, query); st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = q.execText(ctx, rewrite(query), args...)
	}
	return rowsAffected(res, err)
}

// Query implements sqlstore.Querier.
func (q querier) Query(ctx context.Context, query sqlText, args ...any) (sqlstore.Rows, error) {
	var rows *sql.Rows
	var err error
	switch st := q.stmt(ctx, query); {
	case st != nil:
		rows, err = st.QueryContext(ctx, args...)
	case q.tx != nil:
		rows, err = q.tx.QueryContext(ctx, rewrite(query), args...)
	default:
		rows, err = q.db.QueryContext(ctx, rewrite(query), args...)
	}
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

// QueryRow implements sqlstore.Querier.
func (q querier) QueryRow(ctx context.Context, query sqlText, args ...any) sqlstore.Row {
	if st := q.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	if q.tx != nil {
		return q.tx.QueryRowContext(ctx, rewrite(query), args...)
	}
	return q.db.QueryRowContext(ctx, rewrite(query), args...)
}

// ExecBuilt implements sqlstore.Querier: the text depends on its arguments
// (a row per attribute), so it is prepared afresh each time and never
// cached.
func (q querier) ExecBuilt(ctx context.Context, query string, args ...any) (int64, error) {
	return rowsAffected(q.execText(ctx, rewrite(sqlText(query)), args...))
}

func (q querier) execText(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if q.tx != nil {
		return q.tx.ExecContext(ctx, query, args...)
	}
	return q.db.ExecContext(ctx, query, args...)
}

func rowsAffected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// sqlRows is *sql.Rows with the Close of sqlstore.Rows: the store reads
// the error of a listing from Err.
type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }

// stmt returns query prepared for q, or nil when it is to run as text.
//
// On the read pool a missing statement is prepared there and then. A
// transaction cannot do that: preparing on the write pool needs its only
// connection, which the transaction holds. It borrows the statement the
// write pool prepared, through tx.StmtContext, which reuses the
// connection's prepared statement and lets it go at commit or rollback; a
// statement the write pool lacks runs as text this once and is prepared by
// transact once the connection is free.
//
// Borrowed statements are shared by the transaction's calls, which is safe
// because they never overlap: a transaction's Store belongs to one
// goroutine, and every method closes its rows before it returns.
func (q querier) stmt(ctx context.Context, query sqlText) *sql.Stmt {
	if q.tx == nil {
		return q.stmts.get(ctx, query)
	}
	st := q.stmts.lookup(query)
	if st == nil {
		return nil
	}
	return q.tx.StmtContext(ctx, st)
}

// stmtCache holds the statements prepared on one pool, by text. database/sql
// prepares a *sql.Stmt again on each connection it runs on and finalises
// it there when the connection closes.
type stmtCache struct {
	db *sql.DB

	mu     sync.Mutex
	stmts  map[sqlText]*sql.Stmt
	wanted map[sqlText]struct{} // used in a transaction, not yet prepared
	closed bool
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[sqlText]*sql.Stmt{}, wanted: map[sqlText]struct{}{}}
}

// lookup returns the prepared statement, or nil, noting then that it is
// wanted.
func (c *stmtCache) lookup(query sqlText) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.stmts[query]
	if st == nil && !c.closed && len(c.stmts)+len(c.wanted) < maxStmts {
		c.wanted[query] = struct{}{}
	}
	return st
}

// get returns the prepared statement, preparing it if need be; nil when it
// cannot be, and the caller then runs the text, which reports the error if
// there is one to report.
func (c *stmtCache) get(ctx context.Context, query sqlText) *sql.Stmt {
	c.mu.Lock()
	st, full := c.stmts[query], c.closed || len(c.stmts) >= maxStmts
	c.mu.Unlock()
	if st != nil || full {
		return st
	}
	return c.prepare(ctx, query)
}

// prepare prepares query and keeps it. The lock is not held meanwhile:
// preparing waits for a connection, and a caller holding one may be
// waiting for the lock.
func (c *stmtCache) prepare(ctx context.Context, query sqlText) *sql.Stmt {
	st, err := c.db.PrepareContext(ctx, rewrite(query))
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev := c.stmts[query]; prev != nil || c.closed || len(c.stmts) >= maxStmts {
		// Another caller prepared it first, or the cache has no room.
		st.Close()
		return prev
	}
	c.stmts[query] = st
	return st
}

// prepareWanted prepares what transactions ran as text. It must not be
// called in a transaction on c's pool. A failure leaves the statement
// unprepared until a transaction wants it again.
func (c *stmtCache) prepareWanted(ctx context.Context) {
	c.mu.Lock()
	if len(c.wanted) == 0 {
		c.mu.Unlock()
		return
	}
	wanted := c.wanted
	c.wanted = map[sqlText]struct{}{}
	c.mu.Unlock()
	for query := range wanted {
		c.prepare(ctx, query)
	}
}

// close closes the statements and makes the cache prepare no more.
func (c *stmtCache) close() error {
	c.mu.Lock()
	stmts := c.stmts
	c.stmts, c.wanted, c.closed = nil, nil, true
	c.mu.Unlock()
	var errs []error
	for _, st := range stmts {
		if err := st.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
