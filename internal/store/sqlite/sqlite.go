package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/sqlstore"
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
	// Log receives the warnings about a database file or directory that
	// other users may read; nil discards them.
	Log *slog.Logger

	// busyTimeout overrides busyTimeoutMS, so tests can see SQLITE_BUSY
	// without waiting for it.
	busyTimeout time.Duration
}

// Store is the SQLite store: the shared SQL store on a database that
// sends every write through one connection. A Store is safe for concurrent
// use, except the one InTx hands to its callback, which belongs to that
// callback alone.
type Store struct {
	*sqlstore.Store
	db *db
}

// db runs the store's statements: reads on the read pool, writes on the
// write connection, and, in a transaction, everything in it.
type db struct {
	// write has exactly one connection, so writers wait their turn in
	// database/sql rather than fail on SQLite's lock.
	write *sql.DB
	// read serves reads outside transactions.
	read *sql.DB
	// readStmts and writeStmts are the statements prepared on each pool,
	// shared with the dbs of transactions.
	readStmts, writeStmts *stmtCache
	// tx is set on the db of an InTx callback; every statement then runs
	// in it.
	tx *sql.Tx
	// q is where reads run: in tx when there is one, so that they see the
	// transaction's own writes, else on the read pool. Reads that need
	// several statements to agree are written as one statement instead.
	// It is made once, so that handing it to the store costs nothing.
	q *querier
}

var _ store.Store = (*Store)(nil)

const (
	// busyTimeoutMS is how long SQLite waits for a lock held by another
	// process (a second `userpool` on the same file) before SQLITE_BUSY.
	busyTimeoutMS = 10000
	// txAttempts bounds how often a transaction is tried when SQLite
	// still reports SQLITE_BUSY after busyTimeoutMS.
	txAttempts = 3
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
	if err := createPrivate(path, cfg.Log); err != nil {
		return nil, err
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
	// Statement journals (kept for a statement that writes many rows
	// inside a transaction, such as a user import's) in memory rather
	// than spilled to a temporary file: they are small and short-lived,
	// and the file's writes were a tenth of a large import's time.
	common.Add("_pragma", "temp_store(MEMORY)")

	wq := cloneValues(common)
	wq.Add("_pragma", "journal_mode(WAL)")
	// A page cache of 32 MiB (SQLite's default is 2 MiB) for the one
	// write connection: a large write transaction (a batch of a user
	// import touches pages all over the attribute indexes, whose keys are
	// random subs) otherwise spills dirty pages to the WAL before its
	// commit, and writes many of them twice.
	wq.Add("_pragma", "cache_size(-32768)")
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
	d := &db{write: write, read: read, readStmts: newStmtCache(read), writeStmts: newStmtCache(write)}
	d.q = &querier{db: read, stmts: d.readStmts}
	return &Store{Store: sqlstore.New(d, flavour), db: d}, nil
}

// createPrivate creates the database file readable by its owner alone,
// before SQLite would create it with the umask's mode (0644 under the usual
// 022): the file holds password hashes and hashed tokens. SQLite gives the
// -wal and -shm files it makes beside it the database file's mode, so they
// are 0600 too. It warns when the directory lets others in, since a file
// created there by anything else, or a copy, would be readable; and when an
// existing database file is readable by others, which it leaves for the
// operator to change.
func createPrivate(path string, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err == nil && fi.Mode().Perm()&0o077 != 0 {
		log.Warn("the database directory is open to other users; make it readable by the owner alone (chmod 700)",
			"dir", dir, "mode", fi.Mode().Perm().String())
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case err == nil:
		return f.Close()
	case errors.Is(err, fs.ErrExist):
		if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
			log.Warn("the database file is open to other users; make it readable by the owner alone (chmod 600)",
				"file", path, "mode", fi.Mode().Perm().String())
		}
		return nil
	case errors.Is(err, fs.ErrNotExist):
		// A missing directory: SQLite's own error says it best.
		return nil
	default:
		return fmt.Errorf("sqlite: create %s: %w", path, err)
	}
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

// flavour is what the shared store needs to know of SQLite. Writers take
// turns on the one write connection, so there are no row locks to take,
// and SQLite runs no INSERT, UPDATE or DELETE inside WITH.
var flavour = sqlstore.Flavour{Unique: isUnique, ForeignKey: isForeignKey, UserConflict: userConflict}

// Close closes the prepared statements and both connection pools.
func (d *db) Close() error {
	if d.tx != nil {
		return errors.New("sqlite: Close called on the Store of a transaction")
	}
	return errors.Join(d.readStmts.close(), d.writeStmts.close(), d.write.Close(), d.read.Close())
}

// inTx is the querier of tx, with the write pool's statements.
func (d *db) inTx(tx *sql.Tx) *querier {
	return &querier{tx: tx, stmts: d.writeStmts}
}

// Read implements sqlstore.DB.
func (d *db) Read(ctx context.Context, fn func(q sqlstore.Querier) error) error {
	return fn(d.q)
}

// Reader implements sqlstore.DB: a read runs as it is.
func (d *db) Reader() sqlstore.Querier { return d.q }

// Write implements sqlstore.DB: a single statement is a write like any
// other, on the write connection in an immediate transaction.
func (d *db) Write(ctx context.Context, fn func(q sqlstore.Querier) error) error {
	return d.Update(ctx, fn)
}

// Update implements sqlstore.DB: fn runs as one atomic write, in a new
// immediate transaction, or, on a transaction's db, inside a savepoint of
// it, so that a method that fails halfway leaves the caller's transaction
// as it was.
func (d *db) Update(ctx context.Context, fn func(q sqlstore.Querier) error) error {
	if d.tx != nil {
		return savepoint(ctx, d.q, func() error { return fn(d.q) })
	}
	return d.transact(ctx, func(q *querier) error { return fn(q) })
}

// InTx implements sqlstore.DB: fn runs in one write transaction. On the db
// of a transaction it joins that transaction; fn's writes are then undone
// on error by a savepoint, and made durable only when the outer
// transaction commits.
//
// While fn runs it holds the only write connection: a write through any
// Store other than tx would wait for it forever.
func (d *db) InTx(ctx context.Context, fn func(tx sqlstore.DB) error) error {
	if d.tx != nil {
		return savepoint(ctx, d.q, func() error { return fn(d) })
	}
	return d.transact(ctx, func(q *querier) error {
		return fn(&db{write: d.write, read: d.read, readStmts: d.readStmts, writeStmts: d.writeStmts, tx: q.tx, q: q})
	})
}

// transact runs fn in a new transaction, trying again while SQLite reports
// SQLITE_BUSY, which with IMMEDIATE transactions only happens when another
// process held the lock for longer than the busy timeout.
func (d *db) transact(ctx context.Context, fn func(tx *querier) error) error {
	// With the write connection free again, prepare the statements the
	// transaction had to run as text.
	defer d.writeStmts.prepareWanted(ctx)
	var err error
	for attempt := range txAttempts {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(attempt) * 50 * time.Millisecond):
			}
		}
		err = d.transactOnce(ctx, fn)
		if !isBusy(err) {
			return err
		}
	}
	return fmt.Errorf("%w: %w", store.ErrConflict, err)
}

func (d *db) transactOnce(ctx context.Context, fn func(tx *querier) error) error {
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	// After a successful Commit this is a no-op; it also covers a panic in fn.
	defer tx.Rollback()
	if err := fn(d.inTx(tx)); err != nil {
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
func savepoint(ctx context.Context, tx *querier, fn func() error) error {
	if _, err := tx.Exec(ctx, "SAVEPOINT userpool"); err != nil {
		return fmt.Errorf("sqlite: savepoint: %w", err)
	}
	if err := fn(); err != nil {
		// The rollback must run even when ctx is what made fn fail.
		rctx := context.WithoutCancel(ctx)
		if _, rerr := tx.Exec(rctx, "ROLLBACK TO userpool"); rerr != nil {
			return errors.Join(err, fmt.Errorf("sqlite: rollback to savepoint: %w", rerr))
		}
		if _, rerr := tx.Exec(rctx, "RELEASE userpool"); rerr != nil {
			return errors.Join(err, fmt.Errorf("sqlite: release savepoint: %w", rerr))
		}
		return err
	}
	if _, err := tx.Exec(ctx, "RELEASE userpool"); err != nil {
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

// isForeignKey reports a FOREIGN KEY violation: a create whose parent is
// missing.
func isForeignKey(err error) bool {
	code, ok := sqliteCode(err)
	return ok && code == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// userConflict names the users field of a unique violation. SQLite names
// the columns of the violated index in its message ("UNIQUE constraint
// failed: users.pool_id, users.alias_email"), which is the only place it
// says which one it was.
func userConflict(err error) string {
	msg := err.Error()
	for _, c := range []struct{ column, field string }{
		{"users.username_key", "username"},
		{"users.sub", "sub"},
		{"users.alias_email", "email"},
		{"users.alias_phone", "phone_number"},
		{"users.alias_preferred_username", "preferred_username"},
	} {
		if strings.Contains(msg, c.column) {
			return c.field
		}
	}
	return ""
}
