package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/sqlstore"
	"github.com/userpool/userpool/internal/store/upgrade"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Config says which database to use.
type Config struct {
	// URL is a PostgreSQL connection string, a postgres:// URL or
	// key=value pairs, as pgx parses it. Pool settings ride along in it
	// (pool_max_conns, default the larger of 4 and the number of CPUs), as
	// do server settings such as search_path.
	URL string
	// Schema, when set, is the schema the store's tables live in: every
	// connection's search_path is set to it alone. It must exist. When
	// empty, the URL's or the server's search_path decides.
	Schema string
}

// Store is the PostgreSQL store: the shared SQL store on a pool of
// connections. A Store is safe for concurrent use, except the one InTx
// hands to its callback, which belongs to that callback alone.
type Store struct {
	*sqlstore.Store
	pool *pgxpool.Pool
}

var _ store.Store = (*Store)(nil)

// db runs the store's statements: on the pool, or, on the db of an InTx
// callback, in its transaction, each method inside a savepoint.
type db struct {
	pool *pgxpool.Pool
	tx   *txState
	// q runs statements on the pool. It is made once, so that handing it
	// to the store costs nothing.
	q sqlstore.Querier
}

// txState is one InTx transaction.
type txState struct {
	tx pgx.Tx
	q  sqlstore.Querier // runs statements in tx
	// conflict is the first serialisation failure or deadlock a statement
	// of the transaction met. The transaction is doomed from then on even
	// if fn handles the error and carries on, so InTx retries it whatever
	// fn returns.
	conflict error
}

// flavour is what the shared store needs to know of PostgreSQL: writers
// run at once and lock the rows they read to write, and several writes can
// ride in one statement's WITH.
var flavour = sqlstore.Flavour{
	Unique:       func(err error) bool { return hasCode(err, codeUniqueViolation) },
	ForeignKey:   func(err error) bool { return hasCode(err, codeForeignKeyViolation) },
	UserConflict: userConflict,
	WritingWith:  true,
	RowLocks:     true,
}

const (
	// txAttempts bounds how often a transaction is tried when PostgreSQL
	// reports a serialisation failure or a deadlock.
	txAttempts = 10
	// retryBase and retryCap shape the randomised exponential backoff
	// between attempts, so transactions that collided do not collide
	// again in lockstep.
	retryBase = 2 * time.Millisecond
	retryCap  = 100 * time.Millisecond
	// savepointName is the one name every savepoint uses: PostgreSQL
	// resolves ROLLBACK TO and RELEASE to the newest savepoint of that
	// name, so one name serves every depth of nesting.
	savepointName = "userpool"
)

// Open connects to the database and applies any migrations it lacks.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	pcfg, err := pgxpool.ParseConfig(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if _, ok := pcfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		// So an operator can tell the store's sessions apart in
		// pg_stat_activity.
		pcfg.ConnConfig.RuntimeParams["application_name"] = "userpool"
	}
	if cfg.Schema != "" {
		// A startup parameter rather than a SET after connecting: it holds
		// for every connection of the pool from its first statement, and
		// survives whatever a session does.
		pcfg.ConnConfig.RuntimeParams["search_path"] = pgx.Identifier{cfg.Schema}.Sanitize()
	}
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	if err := migrate(ctx, pool, cfg.Schema); err != nil {
		pool.Close()
		return nil, err
	}
	return &Store{Store: sqlstore.New(&db{pool: pool, q: pgq{pool}}, flavour), pool: pool}, nil
}

// migrate brings the schema up to date. Several nodes starting at once
// each run it: goose takes a session-level advisory lock first, so one
// applies the migrations while the others wait and then find nothing to
// do. The lock key is derived from the schema, so stores in different
// schemas of one database (the tests' case) do not wait for each other.
func migrate(ctx context.Context, pool *pgxpool.Pool, want string) error {
	var schema *string
	if err := pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	if schema == nil {
		if want != "" {
			return fmt.Errorf("postgres: schema %q does not exist; create it first", want)
		}
		return errors.New("postgres: no schema of the search_path exists")
	}
	locker, err := lock.NewPostgresSessionLocker(
		lock.WithLockID(migrationLockID(*schema)),
		// Poll every second for up to ten minutes: long enough for any
		// migration another node is running, and short waits at start-up.
		lock.WithLockTimeout(1, 600),
	)
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, fsys, goose.WithSessionLocker(locker))
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	if err := upgrade.Run(ctx, p); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	return nil
}

// migrationLockID is the advisory lock key of the migrations of one
// schema. Advisory locks are per database, so the schema is all it needs.
func migrationLockID(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("userpool migrations\x00" + schema))
	return int64(h.Sum64())
}

// Close closes the connection pool.
func (d *db) Close() error {
	if d.tx != nil {
		return errors.New("postgres: Close called on the Store of a transaction")
	}
	d.pool.Close()
	return nil
}

// querier is what *pgxpool.Pool and pgx.Tx have in common.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// pgq is a querier as the shared store calls it. pgx prepares each text
// once per connection and keeps it, built texts included.
type pgq struct{ q querier }

func (p pgq) Exec(ctx context.Context, query sqlstore.Text, args ...any) (int64, error) {
	tag, err := p.q.Exec(ctx, string(query), args...)
	return tag.RowsAffected(), err
}

func (p pgq) Query(ctx context.Context, query sqlstore.Text, args ...any) (sqlstore.Rows, error) {
	return p.q.Query(ctx, string(query), args...)
}

func (p pgq) QueryRow(ctx context.Context, query sqlstore.Text, args ...any) sqlstore.Row {
	return p.q.QueryRow(ctx, string(query), args...)
}

func (p pgq) ExecBuilt(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := p.q.Exec(ctx, query, args...)
	return tag.RowsAffected(), err
}

// Read implements sqlstore.DB, as Write: a read on the pool is a single
// statement too.
func (d *db) Read(ctx context.Context, fn func(q sqlstore.Querier) error) error {
	return d.Write(ctx, fn)
}

// Reader implements sqlstore.DB: every read goes through Read.
func (d *db) Reader() sqlstore.Querier { return nil }

// Write implements sqlstore.DB: fn, one statement, runs on the pool when
// there is no transaction (a single statement is atomic by itself, so it
// needs no BEGIN and COMMIT), or inside a savepoint of the transaction, so
// that its failure leaves the transaction usable.
func (d *db) Write(ctx context.Context, fn func(q sqlstore.Querier) error) error {
	if d.tx != nil {
		return d.savepoint(ctx, func() error { return fn(d.tx.q) })
	}
	var err error
	for attempt := range txAttempts {
		if attempt > 0 {
			if werr := backoff(ctx, attempt); werr != nil {
				return werr
			}
		}
		err = fn(d.q)
		if !isRetryable(err) {
			return err
		}
	}
	return fmt.Errorf("%w: %w", store.ErrConflict, err)
}

// Update implements sqlstore.DB: fn, several statements, runs as one
// atomic write: in a new READ COMMITTED transaction, or inside a savepoint
// of the caller's transaction. READ COMMITTED suffices because every
// read-modify-write locks what it reads (SELECT ... FOR UPDATE), so
// concurrent updaters queue on the row instead of failing and retrying.
func (d *db) Update(ctx context.Context, fn func(q sqlstore.Querier) error) error {
	if d.tx != nil {
		return d.savepoint(ctx, func() error { return fn(d.tx.q) })
	}
	return transact(ctx, d.pool, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, func(st *txState) error {
		return fn(st.q)
	})
}

// InTx implements sqlstore.DB: fn runs in one SERIALIZABLE transaction:
// whatever fn reads and then writes, the outcome is one some serial order
// of the transactions would have given, as on SQLite, where writers take
// turns. When PostgreSQL reports a serialisation failure or a deadlock,
// anywhere in fn or at commit, the transaction is rolled back and fn runs
// again, up to txAttempts times; then InTx returns ErrConflict.
//
// On the db of a transaction it joins that transaction; fn's writes are
// then undone on error by a savepoint, and made durable only when the outer
// transaction commits.
func (d *db) InTx(ctx context.Context, fn func(tx sqlstore.DB) error) error {
	if d.tx != nil {
		return d.savepoint(ctx, func() error { return fn(d) })
	}
	return transact(ctx, d.pool, pgx.TxOptions{IsoLevel: pgx.Serializable}, func(st *txState) error {
		return fn(&db{pool: d.pool, tx: st, q: d.q})
	})
}

// transact runs fn in a new transaction, trying again while PostgreSQL
// reports a serialisation failure or a deadlock: in fn's error, at commit,
// or recorded in st.conflict by a savepoint whose error fn handled (a
// transaction that met one cannot commit what fn meant).
func transact(ctx context.Context, pool *pgxpool.Pool, opts pgx.TxOptions, fn func(st *txState) error) error {
	var err error
	for attempt := range txAttempts {
		if attempt > 0 {
			if werr := backoff(ctx, attempt); werr != nil {
				return werr
			}
		}
		var retry bool
		retry, err = transactOnce(ctx, pool, opts, fn)
		if !retry {
			return err
		}
	}
	return fmt.Errorf("%w: %w", store.ErrConflict, err)
}

func transactOnce(ctx context.Context, pool *pgxpool.Pool, opts pgx.TxOptions, fn func(st *txState) error) (retry bool, err error) {
	tx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return isRetryable(err), fmt.Errorf("postgres: begin: %w", err)
	}
	// After a successful Commit this is a no-op; it also covers a panic in
	// fn. It must run even when ctx is what made fn fail.
	defer tx.Rollback(context.WithoutCancel(ctx))
	st := &txState{tx: tx, q: pgq{tx}}
	ferr := fn(st)
	if st.conflict != nil {
		if ferr == nil || !isRetryable(ferr) {
			ferr = st.conflict
		}
		return true, ferr
	}
	if ferr != nil {
		return isRetryable(ferr), ferr
	}
	if err := tx.Commit(ctx); err != nil {
		return isRetryable(err), fmt.Errorf("postgres: commit: %w", err)
	}
	return false, nil
}

// backoff waits before attempt (1, 2, ...): a random time up to an
// exponentially growing bound, so colliding transactions spread out.
func backoff(ctx context.Context, attempt int) error {
	bound := min(retryCap, retryBase<<min(attempt, 16))
	t := time.NewTimer(rand.N(bound) + time.Millisecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// savepoint runs fn so that its writes are rolled back, and the enclosing
// transaction left usable, when it fails: PostgreSQL refuses every
// statement of a transaction after one failed, unless it rolls back to a
// savepoint taken before. A serialisation failure or deadlock is also
// recorded on the transaction, which InTx will then retry.
func (d *db) savepoint(ctx context.Context, fn func() error) error {
	tx := d.tx.tx
	if _, err := tx.Exec(ctx, "SAVEPOINT "+savepointName); err != nil {
		d.noteConflict(err)
		return fmt.Errorf("postgres: savepoint: %w", err)
	}
	if err := fn(); err != nil {
		d.noteConflict(err)
		// The rollback must run even when ctx is what made fn fail.
		rctx := context.WithoutCancel(ctx)
		if _, rerr := tx.Exec(rctx, "ROLLBACK TO SAVEPOINT "+savepointName); rerr != nil {
			return errors.Join(err, fmt.Errorf("postgres: rollback to savepoint: %w", rerr))
		}
		if _, rerr := tx.Exec(rctx, "RELEASE SAVEPOINT "+savepointName); rerr != nil {
			return errors.Join(err, fmt.Errorf("postgres: release savepoint: %w", rerr))
		}
		return err
	}
	if _, err := tx.Exec(ctx, "RELEASE SAVEPOINT "+savepointName); err != nil {
		d.noteConflict(err)
		return fmt.Errorf("postgres: release savepoint: %w", err)
	}
	return nil
}

func (d *db) noteConflict(err error) {
	if d.tx.conflict == nil && isRetryable(err) {
		d.tx.conflict = err
	}
}

// PostgreSQL error codes the store acts on.
const (
	codeUniqueViolation      = "23505"
	codeForeignKeyViolation  = "23503"
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
)

func pgError(err error) (*pgconn.PgError, bool) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe, true
	}
	return nil, false
}

func hasCode(err error, code string) bool {
	pe, ok := pgError(err)
	return ok && pe.Code == code
}

// isRetryable reports the errors a transaction is retried on: a
// serialisation failure, which SERIALIZABLE transactions meet when they
// overlap, and a deadlock, which PostgreSQL breaks by failing one side.
func isRetryable(err error) bool {
	pe, ok := pgError(err)
	return ok && (pe.Code == codeSerializationFailure || pe.Code == codeDeadlockDetected)
}

// userConflictFields maps the unique constraints of users, named in the
// migrations, to ConflictError.Field.
var userConflictFields = map[string]string{
	"users_pkey":                     "sub",
	"users_username_key":             "username",
	"users_alias_email":              "email",
	"users_alias_phone":              "phone_number",
	"users_alias_preferred_username": "preferred_username",
}

// userConflict names the users field of a unique violation, by the name of
// the violated constraint.
func userConflict(err error) string {
	if pe, ok := pgError(err); ok {
		return userConflictFields[pe.ConstraintName]
	}
	return ""
}
