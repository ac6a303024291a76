package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/upgrade"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Config says where the database lives.
type Config struct {
	// Path is the database file, created if missing. ":memory:" is
	// refused: every connection would get its own empty database, and the
	// store uses several.
	Path string

	// busyTimeout overrides busyTimeoutMS, so tests can see SQLITE_BUSY
	// without waiting for it.
	busyTimeout time.Duration
}

// Store is the SQLite store. A Store is safe for concurrent use, except the
// one InTx hands to its callback, which belongs to that callback alone.
type Store struct {
	// write has exactly one connection, so writers wait their turn in
	// database/sql rather than fail on SQLite's lock.
	write *sql.DB
	// read serves reads outside transactions.
	read *sql.DB
	// readStmts and writeStmts are the statements prepared on each pool,
	// shared with the Stores of transactions.
	readStmts, writeStmts *stmtCache
	// tx is set on the Store given to an InTx callback; every method of
	// that Store then runs on it.
	tx *sql.Tx
}

var _ store.Store = (*Store)(nil)

const (
	// busyTimeoutMS is how long SQLite waits for a lock held by another
	// process (a second `userpool` on the same file) before SQLITE_BUSY.
	busyTimeoutMS = 10000
	// txAttempts bounds how often a transaction is tried when SQLite
	// still reports SQLITE_BUSY after busyTimeoutMS.
	txAttempts = 3
	// defaultLimit is Cognito's largest page, used when Page.Limit is unset.
	defaultLimit = 60
)

// Open opens (creating if needed) the database at cfg.Path and applies
// any migrations it lacks.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Path == "" || cfg.Path == ":memory:" || strings.HasPrefix(cfg.Path, "file:") {
		return nil, fmt.Errorf("sqlite: Path must be a file path, got %q", cfg.Path)
	}
	path, err := filepath.Abs(cfg.Path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	// A URI filename, so characters such as '?' or '#' in the path are
	// escaped rather than taken for the query string.
	base := "file:" + (&url.URL{Path: filepath.ToSlash(path)}).EscapedPath()
	busy := int64(busyTimeoutMS)
	if cfg.busyTimeout > 0 {
		busy = cfg.busyTimeout.Milliseconds()
	}
	common := url.Values{}
	common.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy))
	common.Add("_pragma", "foreign_keys(1)")
	common.Add("_pragma", "synchronous(NORMAL)")

	wq := cloneValues(common)
	wq.Add("_pragma", "journal_mode(WAL)")
	wq.Set("_txlock", "immediate")
	write, err := sql.Open("sqlite", base+"?"+wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := migrate(ctx, write); err != nil {
		write.Close()
		return nil, err
	}

	rq := cloneValues(common)
	// The read pool must never write: a write there would take the lock
	// outside the single-writer queue.
	rq.Add("_pragma", "query_only(1)")
	read, err := sql.Open("sqlite", base+"?"+rq.Encode())
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	if err := read.PingContext(ctx); err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return &Store{write: write, read: read, readStmts: newStmtCache(read), writeStmts: newStmtCache(write)}, nil
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// migrate brings the schema up to date. It runs on the write connection,
// so it cannot race the store's own writes.
func migrate(ctx context.Context, db *sql.DB) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("sqlite: migrations: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, fsys)
	if err != nil {
		return fmt.Errorf("sqlite: migrations: %w", err)
	}
	if err := upgrade.Run(ctx, p); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	return nil
}

// Close closes the prepared statements and both connection pools.
func (s *Store) Close() error {
	if s.tx != nil {
		return errors.New("sqlite: Close called on the Store of a transaction")
	}
	return errors.Join(s.readStmts.close(), s.writeStmts.close(), s.write.Close(), s.read.Close())
}

// reader is where a read runs: the transaction when there is one, so it
// sees the transaction's own writes, else the read pool. Reads that need
// several statements to agree are written as one statement instead.
func (s *Store) reader() querier {
	if s.tx != nil {
		return s.inTx(s.tx)
	}
	return querier{db: s.read, stmts: s.readStmts}
}

// inTx is the querier of tx, with the write pool's statements.
func (s *Store) inTx(tx *sql.Tx) querier {
	return querier{tx: tx, stmts: s.writeStmts}
}

// update runs fn as one atomic write: in a new immediate transaction, or,
// on a transaction's Store, inside a savepoint of it, so that a method that
// fails halfway leaves the caller's transaction as it was.
func (s *Store) update(ctx context.Context, fn func(tx querier) error) error {
	if s.tx != nil {
		tx := s.inTx(s.tx)
		return savepoint(ctx, tx, func() error { return fn(tx) })
	}
	return s.transact(ctx, fn)
}

// InTx runs fn in one write transaction. On the Store of a transaction it
// joins that transaction; fn's writes are then undone on error by a
// savepoint, and made durable only when the outer transaction commits.
//
// While fn runs it holds the only write connection: a write through any
// Store other than tx would wait for it forever.
func (s *Store) InTx(ctx context.Context, fn func(tx store.Store) error) error {
	if s.tx != nil {
		return savepoint(ctx, s.inTx(s.tx), func() error { return fn(s) })
	}
	return s.transact(ctx, func(tx querier) error {
		return fn(&Store{write: s.write, read: s.read, readStmts: s.readStmts, writeStmts: s.writeStmts, tx: tx.tx})
	})
}

// transact runs fn in a new transaction, trying again while SQLite reports
// SQLITE_BUSY, which with IMMEDIATE transactions only happens when another
// process held the lock for longer than the busy timeout.
func (s *Store) transact(ctx context.Context, fn func(tx querier) error) error {
	// With the write connection free again, prepare the statements the
	// transaction had to run as text.
	defer s.writeStmts.prepareWanted(ctx)
	var err error
	for attempt := range txAttempts {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(attempt) * 50 * time.Millisecond):
			}
		}
		err = s.transactOnce(ctx, fn)
		if !isBusy(err) {
			return err
		}
	}
	return fmt.Errorf("%w: %w", store.ErrConflict, err)
}

func (s *Store) transactOnce(ctx context.Context, fn func(tx querier) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	// After a successful Commit this is a no-op; it also covers a panic in fn.
	defer tx.Rollback()
	if err := fn(s.inTx(tx)); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}

// savepoint runs fn so that its writes are rolled back, and the enclosing
// transaction left usable, when it fails. Savepoints nest by name, so one
// fixed name serves every depth.
func savepoint(ctx context.Context, tx querier, fn func() error) error {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT userpool"); err != nil {
		return fmt.Errorf("sqlite: savepoint: %w", err)
	}
	if err := fn(); err != nil {
		// The rollback must run even when ctx is what made fn fail.
		rctx := context.WithoutCancel(ctx)
		if _, rerr := tx.ExecContext(rctx, "ROLLBACK TO userpool"); rerr != nil {
			return errors.Join(err, fmt.Errorf("sqlite: rollback to savepoint: %w", rerr))
		}
		if _, rerr := tx.ExecContext(rctx, "RELEASE userpool"); rerr != nil {
			return errors.Join(err, fmt.Errorf("sqlite: release savepoint: %w", rerr))
		}
		return err
	}
	if _, err := tx.ExecContext(ctx, "RELEASE userpool"); err != nil {
		return fmt.Errorf("sqlite: release savepoint: %w", err)
	}
	return nil
}

func sqliteCode(err error) (int, bool) {
	var se *msqlite.Error
	if errors.As(err, &se) {
		return se.Code(), true
	}
	return 0, false
}

// isBusy reports SQLITE_BUSY and its extended codes (BUSY_SNAPSHOT...).
func isBusy(err error) bool {
	code, ok := sqliteCode(err)
	return ok && code&0xff == sqlite3.SQLITE_BUSY
}

// isUnique reports a UNIQUE or PRIMARY KEY violation.
func isUnique(err error) bool {
	code, ok := sqliteCode(err)
	return ok && (code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

// isForeignKey reports a FOREIGN KEY violation. Creates check their
// parents first, so this is only a backstop.
func isForeignKey(err error) bool {
	code, ok := sqliteCode(err)
	return ok && code == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// insertErr translates the error of an INSERT into the store's sentinels.
func insertErr(what string, err error) error {
	switch {
	case isUnique(err):
		return fmt.Errorf("%s: %w", what, store.ErrAlreadyExists)
	case isForeignKey(err):
		return fmt.Errorf("%s: %w", what, store.ErrNotFound)
	default:
		return fmt.Errorf("%s: %w", what, err)
	}
}

// notFound turns sql.ErrNoRows into store.ErrNotFound.
func notFound(what string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// mustAffect returns ErrNotFound when a statement changed no row.
func mustAffect(what string, res sql.Result, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	return nil
}

// poolExists checks the parent pool inside the caller's transaction, so a
// create can report ErrNotFound without parsing foreign-key errors.
func poolExists(ctx context.Context, q querier, poolID string) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM pools WHERE id = ?`, poolID).Scan(&one)
	return notFound("pool "+poolID, err)
}

// Times are stored as unix milliseconds: integers sort and compare
// correctly, carry no zone, and the zero time.Time survives the round trip
// (its UnixMilli fits in an int64, unlike its UnixNano).
func millis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// nullMillis is millis for the columns where the zero time means "not
// yet" (not revoked, not replaced, not locked): those are NULL, so SQL can
// test for the state with IS NULL.
func nullMillis(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

func fromNullMillis(ms sql.NullInt64) time.Time {
	if !ms.Valid {
		return time.Time{}
	}
	return fromMillis(ms.Int64)
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func limitOf(p store.Page) int {
	if p.Limit <= 0 {
		return defaultLimit
	}
	return p.Limit
}

// list runs a listing query whose last two arguments are the page's After
// and limit+1, and cuts the extra row off to decide whether there is a next
// page.
func list[T any](ctx context.Context, q querier, what string, page store.Page, query sqlText, args []any,
	scan func(scanner) (T, error), key func(T) string,
) ([]T, string, error) {
	limit := limitOf(page)
	args = append(args, page.After, limit+1)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("%s: %w", what, err)
	}
	if len(out) <= limit {
		return out, "", nil
	}
	out = out[:limit]
	return out, key(out[limit-1]), nil
}

// errKeyChanged is returned when an updater changes the fields that
// identify the record: renames are not something Cognito offers, so this
// is a programming error rather than a case to handle.
func errKeyChanged(what string) error {
	return fmt.Errorf("%s: the update changed the record's key", what)
}
