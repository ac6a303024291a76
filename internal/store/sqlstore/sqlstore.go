package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/userpool/userpool/internal/store"
)

// Text is the text of a statement that is the same on every call: a
// literal, or literals, constants and the flavour's fixed pieces joined.
// Databases that prepare statements once and keep them (SQLite) cache by
// Text. It has its own type so that the compiler keeps texts built from
// values out of such caches: an untyped constant converts to Text, a string
// variable does not. Statements whose text depends on their arguments go
// through Querier.ExecBuilt instead.
//
// Placeholders are PostgreSQL's, $1, $2, ...: they can be reused and given
// out of order, which a list of ? cannot, and a database that spells them
// otherwise rewrites them once per text.
type Text string

// Querier runs the statements of one method: on a pool, or in a
// transaction.
type Querier interface {
	// Exec runs a statement and returns the number of rows it changed.
	Exec(ctx context.Context, query Text, args ...any) (int64, error)
	Query(ctx context.Context, query Text, args ...any) (Rows, error)
	QueryRow(ctx context.Context, query Text, args ...any) Row
	// ExecBuilt runs a statement whose text was built from the arguments
	// (a row per attribute), which no cache may keep.
	ExecBuilt(ctx context.Context, query string, args ...any) (int64, error)
}

// Rows is what *sql.Rows and pgx.Rows have in common.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// Row is a *sql.Row or a pgx.Row. A missing row is reported by Scan as an
// error that matches sql.ErrNoRows (pgx.ErrNoRows wraps it).
type Row interface {
	Scan(dest ...any) error
}

// DB is how the database runs the work of a method: where reads go, how a
// write is made atomic, how conflicts are retried, and what a transaction
// is. Each database has its own.
type DB interface {
	// Read runs fn, whose statements only read.
	Read(ctx context.Context, fn func(q Querier) error) error
	// Reader is the Querier reads run on as they are, with nothing around
	// them (SQLite), so that a read needs no callback; nil when each read
	// must go through Read (PostgreSQL: retries, or a savepoint).
	Reader() Querier
	// Write runs fn, a single statement that writes.
	Write(ctx context.Context, fn func(q Querier) error) error
	// Update runs fn, several statements, as one atomic write; on the DB
	// of a transaction, in a savepoint of it, so that a method that fails
	// halfway leaves the transaction as it was.
	Update(ctx context.Context, fn func(q Querier) error) error
	// InTx runs fn in one transaction with a DB bound to it, as
	// store.Store's InTx describes; on the DB of a transaction it joins it.
	InTx(ctx context.Context, fn func(tx DB) error) error
	// Close releases the connections.
	Close() error
}

// Flavour is what the store's own code needs to know about the database:
// how its errors say which constraint failed, and which statements it can
// run.
type Flavour struct {
	// Unique and ForeignKey report a violation of a UNIQUE or PRIMARY KEY
	// constraint and of a FOREIGN KEY constraint.
	Unique, ForeignKey func(err error) bool
	// UserConflict names the store.ConflictError field of a unique
	// violation on the users table, "" when it cannot tell.
	UserConflict func(err error) string
	// WritingWith says the database runs INSERT, UPDATE and DELETE inside
	// WITH and binds arrays (PostgreSQL): a write of several rows then
	// takes one statement, and one round trip to the server, where others
	// need a transaction of several statements.
	WritingWith bool
	// RowLocks says writers run at once and a read-modify-write must lock
	// the rows it reads (SELECT ... FOR UPDATE) so that concurrent updaters
	// queue on them (PostgreSQL). Where writers take turns (SQLite) there
	// is nothing to lock.
	RowLocks bool
}

// Store implements store.Store on a SQL database.
type Store struct {
	db DB
	f  Flavour
}

var _ store.Store = (*Store)(nil)

// New returns the store on db.
func New(db DB, f Flavour) *Store { return &Store{db: db, f: f} }

// InTx implements store.Store.
func (s *Store) InTx(ctx context.Context, fn func(tx store.Store) error) error {
	return s.db.InTx(ctx, func(tx DB) error { return fn(&Store{db: tx, f: s.f}) })
}

// Close implements store.Store.
func (s *Store) Close() error { return s.db.Close() }

// do runs fn, one statement that writes.
func (s *Store) do(ctx context.Context, fn func(q Querier) error) error { return s.db.Write(ctx, fn) }

// update runs fn, several statements, as one atomic write.
func (s *Store) update(ctx context.Context, fn func(q Querier) error) error {
	return s.db.Update(ctx, fn)
}

// get runs fn, reads that return a value.
func get[T any](ctx context.Context, s *Store, fn func(q Querier) (T, error)) (T, error) {
	if q := s.db.Reader(); q != nil {
		return orZero(fn(q))
	}
	return run(ctx, s.db.Read, fn)
}

// put runs fn, one statement that writes and returns a value.
func put[T any](ctx context.Context, s *Store, fn func(q Querier) (T, error)) (T, error) {
	return run(ctx, s.db.Write, fn)
}

// run runs fn through do (DB.Read or DB.Write), keeping its value.
func run[T any](ctx context.Context, do func(context.Context, func(Querier) error) error, fn func(q Querier) (T, error)) (T, error) {
	var out T
	err := do(ctx, func(q Querier) error {
		var err error
		out, err = fn(q)
		return err
	})
	return orZero(out, err)
}

// orZero is the result of a method that returns a value: the zero value
// when it failed, whatever fn had returned with the error.
func orZero[T any](v T, err error) (T, error) {
	if err != nil {
		var zero T
		return zero, err
	}
	return v, nil
}

// defaultLimit is Cognito's largest page, used when Page.Limit is unset.
const defaultLimit = 60

// insertErr translates the error of an INSERT or UPDATE into the store's
// sentinels. A foreign-key violation means the parent is missing: creates
// rely on it rather than checking the parent first, which would take
// another statement and could still race a delete.
func (s *Store) insertErr(what string, err error) error {
	switch {
	case s.f.Unique(err):
		return fmt.Errorf("%s: %w (%w)", what, store.ErrAlreadyExists, err)
	case s.f.ForeignKey(err):
		return fmt.Errorf("%s: %w (%w)", what, store.ErrNotFound, err)
	default:
		return fmt.Errorf("%s: %w", what, err)
	}
}

// notFound turns a missing row into store.ErrNotFound.
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
func mustAffect(what string, n int64, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	return nil
}

// Times are stored as integer unix milliseconds: they compare exactly,
// carry no zone, and the zero time.Time survives the round trip (its
// UnixMilli fits in an int64, unlike its UnixNano). A timestamp type would
// keep microseconds the store does not promise, and need the zero time
// mapped.
func millis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// nullMillis is millis for the columns where the zero time means "not
// yet" (not revoked, not replaced, not locked): those are NULL, so SQL can
// test for the state with IS NULL.
func nullMillis(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	ms := t.UnixMilli()
	return &ms
}

func fromNullMillis(ms *int64) time.Time {
	if ms == nil {
		return time.Time{}
	}
	return fromMillis(*ms)
}

// scanner is a Row or Rows.
type scanner interface{ Scan(dest ...any) error }

func limitOf(p store.Page) int {
	if p.Limit <= 0 {
		return defaultLimit
	}
	return p.Limit
}

// args collects the arguments of a query built piece by piece, handing
// out their placeholders. The text it helps build depends only on which
// pieces were joined, never on the values, so it stays a Text.
type args []any

func (a *args) add(v any) Text {
	*a = append(*a, v)
	if n := len(*a); n < len(placeholders) {
		return placeholders[n]
	}
	return Text("$" + strconv.Itoa(len(*a)))
}

// placeholders are the first placeholders, made once rather than on every
// listing.
var placeholders = func() (p [16]Text) {
	for i := range p {
		p[i] = Text("$" + strconv.Itoa(i))
	}
	return p
}()

// list runs a listing query. query receives the placeholders of the page's
// After and of the row limit, which is limit+1: the extra row, cut off,
// says whether there is a next page.
func list[T any](ctx context.Context, s *Store, what string, page store.Page, a args,
	query func(after, limit Text) Text, scan func(scanner) (T, error), key func(T) string,
) ([]T, string, error) {
	limit := limitOf(page)
	text := query(a.add(page.After), a.add(limit+1))
	out, err := get(ctx, s, func(q Querier) ([]T, error) {
		rows, err := q.Query(ctx, text, a...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		defer rows.Close()
		var out []T
		for rows.Next() {
			v, err := scan(rows)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", what, err)
			}
			out = append(out, v)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		return out, nil
	})
	if err != nil {
		return nil, "", err
	}
	if len(out) <= limit {
		return out, "", nil
	}
	out = out[:limit]
	return out, key(out[limit-1]), nil
}

// forUpdate is the locking clause of the read in a read-modify-write: the
// row stays locked until the write commits, so a concurrent updater waits
// and then reads the result instead of overwriting it. Callers pass
// Flavour.RowLocks.
func forUpdate(lock bool) Text {
	if lock {
		return ` FOR UPDATE`
	}
	return ""
}

// change is the read-modify-write of one record, as one update: read
// reads it (locking its row where rows lock), fn changes it, and write
// writes it back and returns it as stored, with RETURNING, so the caller
// gets exactly what a later Get returns. A change of the fields key
// returns is refused.
func change[T any, K comparable](ctx context.Context, s *Store, what string, fn func(*T) error, key func(T) K,
	read func(q Querier, lock bool) (T, error), write func(q Querier, v T) (T, error),
) (T, error) {
	var out T
	err := s.update(ctx, func(q Querier) error {
		v, err := read(q, s.f.RowLocks)
		if err != nil {
			return err
		}
		k := key(v)
		if err := fn(&v); err != nil {
			return err
		}
		if key(v) != k {
			return errKeyChanged(what)
		}
		if out, err = write(q, v); err != nil {
			return s.insertErr(what, err)
		}
		return nil
	})
	return orZero(out, err)
}

// errKeyChanged is returned when an updater changes the fields that
// identify the record: renames are not something Cognito offers, so this
// is a programming error rather than a case to handle.
func errKeyChanged(what string) error {
	return fmt.Errorf("%s: the update changed the record's key", what)
}
