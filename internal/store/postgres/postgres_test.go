package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/storetest"
)

// defaultDSN is the database the tests use when TEST_POSTGRES_DSN is unset:
// a local server with trust authentication, as on the development machines.
const defaultDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// testPoolConns caps each test store's connections: subtests run in
// parallel (as many as GOMAXPROCS), and the server's max_connections (100 by
// default) must hold them all on a machine with many CPUs. Four are enough
// for the concurrency cases to contend.
const testPoolConns = "4"

func dsn() string {
	if v := os.Getenv("TEST_POSTGRES_DSN"); v != "" {
		return v
	}
	return defaultDSN
}

// dsnForLog is the DSN as the tests may print it: without a password.
func dsnForLog() string {
	if u, err := url.Parse(dsn()); err == nil && u.Scheme != "" {
		return u.Redacted()
	}
	return "the TEST_POSTGRES_DSN database"
}

// withParam adds a connection parameter to a DSN in either of the forms
// pgx accepts.
func withParam(dsn, key, value string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return dsn
		}
		q := u.Query()
		q.Set(key, value)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " " + key + "=" + value
}

var reachable struct {
	once sync.Once
	err  error
}

// connect returns a connection for the tests' own statements (creating and
// dropping schemas). When the server cannot be reached it skips the test,
// or fails it in CI, where PostgreSQL is part of the job and a skip would
// hide a broken set-up.
func connect(t testing.TB) *pgx.Conn {
	t.Helper()
	reachable.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, dsn())
		if err == nil {
			err = c.Ping(ctx)
			c.Close(ctx)
		}
		reachable.err = err
	})
	if reachable.err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL at %s: %v", dsnForLog(), reachable.err)
		}
		t.Skipf("PostgreSQL at %s is not reachable (set TEST_POSTGRES_DSN): %v", dsnForLog(), reachable.err)
	}
	c, err := pgx.Connect(t.Context(), dsn())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// freshSchema creates an empty schema that is dropped, with everything in
// it, when the test ends.
func freshSchema(t testing.TB) string {
	t.Helper()
	c := connect(t)
	b := make([]byte, 8)
	rand.Read(b)
	name := "t_" + hex.EncodeToString(b)
	if _, err := c.Exec(t.Context(), `CREATE SCHEMA `+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := c.Exec(ctx, `DROP SCHEMA `+name+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	return name
}

func testConfig(schema string) Config {
	return Config{URL: withParam(dsn(), "pool_max_conns", testPoolConns), Schema: schema}
}

// open opens a store in schema, closed when the test ends (before the
// schema is dropped: cleanups run last registered first).
func open(t testing.TB, schema string) *Store {
	t.Helper()
	s, err := Open(t.Context(), testConfig(schema))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return open(t, freshSchema(t))
	})
}

func TestReopenKeepsData(t *testing.T) {
	ctx := t.Context()
	schema := freshSchema(t)
	s, err := Open(ctx, testConfig(schema))
	if err != nil {
		t.Fatal(err)
	}
	p := store.Pool{ID: "pool-a", Name: "A", CreatedAt: time.UnixMilli(1700000000123).UTC(), UpdatedAt: time.UnixMilli(1700000000456).UTC()}
	if err := s.CreatePool(ctx, p); err != nil {
		t.Fatal(err)
	}
	u := store.User{PoolID: p.ID, Sub: "sub-1", Username: "alice", UsernameKey: "alice", Status: "CONFIRMED", Enabled: true,
		Attributes: []store.Attribute{{Name: "sub", Value: "sub-1"}, {Name: "email", Value: "a@example.com"}}}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s = open(t, schema)
	got, err := s.GetPool(ctx, p.ID)
	if err != nil {
		t.Fatalf("GetPool after reopen: %v", err)
	}
	if !got.CreatedAt.Equal(p.CreatedAt) || got.Name != p.Name {
		t.Errorf("GetPool after reopen = %+v, want %+v", got, p)
	}
	gotU, err := s.GetUserBySub(ctx, p.ID, u.Sub)
	if err != nil {
		t.Fatalf("GetUserBySub after reopen: %v", err)
	}
	if len(gotU.Attributes) != 2 || gotU.Attributes[1].Value != "a@example.com" {
		t.Errorf("user after reopen = %+v", gotU)
	}
	if n := appliedMigrations(t, s); n != migrationCount(t) {
		t.Errorf("%d migrations recorded after reopening, want %d", n, migrationCount(t))
	}
}

func migrationCount(t *testing.T) int {
	t.Helper()
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no embedded migrations: %v", err)
	}
	return len(files)
}

func appliedMigrations(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.pool.QueryRow(t.Context(), `SELECT count(*) FROM goose_db_version WHERE version_id > 0`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestConcurrentOpens starts several nodes on one fresh schema at the same
// moment: every Open must succeed, the migrations must be applied once, and
// every store must work. Without the advisory lock two of them would run
// CREATE TABLE concurrently and one would fail.
func TestConcurrentOpens(t *testing.T) {
	const nodes = 4
	for round := range 3 {
		schema := freshSchema(t)
		var (
			wg     sync.WaitGroup
			start  = make(chan struct{})
			stores [nodes]*Store
			errs   [nodes]error
		)
		for i := range nodes {
			wg.Go(func() {
				<-start
				stores[i], errs[i] = Open(t.Context(), testConfig(schema))
			})
		}
		close(start)
		wg.Wait()
		for i := range nodes {
			if errs[i] != nil {
				t.Fatalf("round %d: Open %d: %v", round, i, errs[i])
			}
			t.Cleanup(func() { stores[i].Close() })
		}
		if n := appliedMigrations(t, stores[0]); n != migrationCount(t) {
			t.Errorf("round %d: %d migrations recorded, want %d", round, n, migrationCount(t))
		}
		for i, s := range stores {
			if err := s.CreatePool(t.Context(), store.Pool{ID: string(rune('a' + i))}); err != nil {
				t.Errorf("round %d: store %d: CreatePool: %v", round, i, err)
			}
		}
		pools, _, err := stores[0].ListPools(t.Context(), store.Page{})
		if err != nil || len(pools) != nodes {
			t.Errorf("round %d: ListPools = %d pools, %v; want %d", round, len(pools), err, nodes)
		}
	}
}

// TestOpenWaitsForMigrationLock holds the schema's migration lock, as a
// node in the middle of migrating would: Open must wait for it rather
// than migrate alongside, and finish once it is released.
func TestOpenWaitsForMigrationLock(t *testing.T) {
	schema := freshSchema(t)
	c := connect(t)
	id := migrationLockID(schema)
	if _, err := c.Exec(t.Context(), `SELECT pg_advisory_lock($1)`, id); err != nil {
		t.Fatal(err)
	}
	var opened atomic.Bool
	done := make(chan error, 1)
	go func() {
		s, err := Open(t.Context(), testConfig(schema))
		if err == nil {
			opened.Store(true)
			s.Close()
		}
		done <- err
	}()
	time.Sleep(1500 * time.Millisecond)
	if opened.Load() {
		t.Fatal("Open finished while another session held the migration lock")
	}
	// goose creates its version table before it takes the lock (and
	// copes with a concurrent creation); the migrations come after.
	var tables int
	if err := c.QueryRow(t.Context(), `SELECT count(*) FROM pg_tables WHERE schemaname = $1
		AND tablename <> 'goose_db_version'`, schema).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Errorf("%d tables created while the migration lock was held elsewhere", tables)
	}
	if _, err := c.Exec(t.Context(), `SELECT pg_advisory_unlock($1)`, id); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Open after the lock was released: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Open did not finish after the lock was released")
	}
}

// TestMigrationsDownAndUp runs every migration's Down and then Up again,
// so a bad release can be rolled back, and checks that Up on a current
// schema has nothing to do.
func TestMigrationsDownAndUp(t *testing.T) {
	ctx := t.Context()
	s := open(t, freshSchema(t))
	sub, _ := fs.Sub(migrations, "migrations")
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, sub)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := p.Up(ctx); err != nil || len(res) != 0 {
		t.Errorf("Up on a current schema = %v, %v; want nothing to do", res, err)
	}
	if _, err := p.DownTo(ctx, 0); err != nil {
		t.Fatalf("down to nothing: %v", err)
	}
	var tables int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()
		AND tablename <> 'goose_db_version'`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Errorf("%d tables left after every Down", tables)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if err := s.CreatePool(ctx, store.Pool{ID: "p"}); err != nil {
		t.Errorf("CreatePool after down and up: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	connect(t)
	if s, err := Open(t.Context(), testConfig("t_missing_schema")); err == nil {
		s.Close()
		t.Error("Open with a schema that does not exist succeeded")
	} else if !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("Open with a missing schema: %v", err)
	}
	if s, err := Open(t.Context(), Config{URL: "postgres://%zz"}); err == nil {
		s.Close()
		t.Error("Open with a malformed URL succeeded")
	}
}

// TestByteOrderCollation checks that every text column the store orders or
// ranges over is COLLATE "C". The suite's ordering cases cannot catch a
// missing one on a server whose default collation already sorts by byte
// (C.UTF-8), while en_US would put "a" before "Z".
func TestByteOrderCollation(t *testing.T) {
	s := open(t, freshSchema(t))
	rows, err := s.pool.Query(t.Context(), `SELECT c.relname, a.attname, COALESCE(co.collname, '')
		FROM pg_attribute a
		JOIN pg_class c ON c.oid = a.attrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN pg_collation co ON co.oid = a.attcollation
		WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
			AND a.atttypid = 'text'::regtype
			AND (EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND a.attnum = ANY (i.indkey))
				OR (c.relname, a.attname) IN (('users', 'status')))
		ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	checked := 0
	for rows.Next() {
		var table, column, collation string
		if err := rows.Scan(&table, &column, &collation); err != nil {
			t.Fatal(err)
		}
		checked++
		if collation != "C" {
			t.Errorf("%s.%s has collation %q, want \"C\"", table, column, collation)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Errorf("only %d key columns checked: the query lost track of the schema", checked)
	}
}

// TestUserConflictFields guards the mapping from constraint names to
// ConflictError fields against a renamed constraint or index.
func TestUserConflictFields(t *testing.T) {
	ctx := t.Context()
	s := open(t, freshSchema(t))
	if err := s.CreatePool(ctx, store.Pool{ID: "p"}); err != nil {
		t.Fatal(err)
	}
	taken := store.User{PoolID: "p", Sub: "s1", Username: "u1", UsernameKey: "u1",
		AliasEmail: "e", AliasPhone: "ph", AliasPreferredUsername: "pu"}
	if err := s.CreateUser(ctx, taken); err != nil {
		t.Fatal(err)
	}
	// Each case collides on exactly one unique key.
	for field, mutate := range map[string]func(u *store.User){
		"username":           func(u *store.User) { u.UsernameKey = taken.UsernameKey },
		"sub":                func(u *store.User) { u.Sub = taken.Sub },
		"email":              func(u *store.User) { u.AliasEmail = taken.AliasEmail },
		"phone_number":       func(u *store.User) { u.AliasPhone = taken.AliasPhone },
		"preferred_username": func(u *store.User) { u.AliasPreferredUsername = taken.AliasPreferredUsername },
	} {
		u := store.User{PoolID: "p", Sub: "s2", Username: "u2", UsernameKey: "u2"}
		mutate(&u)
		var ce *store.ConflictError
		if err := s.CreateUser(ctx, u); !errors.As(err, &ce) || ce.Field != field {
			t.Errorf("%s: err = %v", field, err)
		}
	}
	// Every name in the mapping is a constraint or index of users.
	for name := range userConflictFields {
		var n int
		err := s.pool.QueryRow(ctx, `SELECT count(*) FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid
			WHERE c.relname = $1 AND c.relnamespace = current_schema()::regnamespace
			AND i.indrelid = 'users'::regclass AND i.indisunique`, name).Scan(&n)
		if err != nil || n != 1 {
			t.Errorf("unique index %s of users: %d found, %v", name, n, err)
		}
	}
}

// TestNestedTxFailureIsUndone pins down what "joins" means here: a nested
// InTx that fails is rolled back to where it started, and the outer
// transaction carries on.
func TestNestedTxFailureIsUndone(t *testing.T) {
	ctx := t.Context()
	s := open(t, freshSchema(t))
	boom := errors.New("boom")
	err := s.InTx(ctx, func(tx store.Store) error {
		if err := tx.CreatePool(ctx, store.Pool{ID: "outer"}); err != nil {
			return err
		}
		err := tx.InTx(ctx, func(tx store.Store) error {
			if err := tx.CreatePool(ctx, store.Pool{ID: "inner"}); err != nil {
				return err
			}
			return boom
		})
		if err != boom {
			t.Errorf("nested InTx: err = %v, want boom", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetPool(ctx, "outer"); err != nil {
		t.Errorf("outer write: %v", err)
	}
	if _, err := s.GetPool(ctx, "inner"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("failed nested write: err = %v, want ErrNotFound", err)
	}
}

// TestTxRetriesConflict makes a transaction lose a serialisation conflict
// on purpose: it reads the pool, another session changes it, and then it
// writes the pool. InTx must run fn again, and the second run must see the
// other session's write, even when fn swallowed the error of the failed
// update and returned nil.
func TestTxRetriesConflict(t *testing.T) {
	for _, swallow := range []bool{false, true} {
		name := "fn returns the error"
		if swallow {
			name = "fn swallows the error"
		}
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			s := open(t, freshSchema(t))
			if err := s.CreatePool(ctx, store.Pool{ID: "p", Name: "0"}); err != nil {
				t.Fatal(err)
			}
			calls := 0
			err := s.InTx(ctx, func(tx store.Store) error {
				calls++
				p, err := tx.GetPool(ctx, "p")
				if err != nil {
					return err
				}
				if calls == 1 {
					// Another node's write lands between the read and the write.
					if _, err := s.UpdatePool(ctx, "p", func(p *store.Pool) error { p.Name += "+other"; return nil }); err != nil {
						t.Errorf("concurrent UpdatePool: %v", err)
					}
				}
				_, err = tx.UpdatePool(ctx, "p", func(q *store.Pool) error { q.Name = p.Name + "+mine"; return nil })
				if swallow {
					return nil
				}
				return err
			})
			if err != nil {
				t.Fatalf("InTx: %v", err)
			}
			if calls != 2 {
				t.Errorf("fn ran %d times, want 2", calls)
			}
			got, err := s.GetPool(ctx, "p")
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != "0+other+mine" {
				t.Errorf("pool name = %q, want both writes", got.Name)
			}
		})
	}
}

// TestTxConflictExhausted loses the conflict on every attempt: InTx must
// give up after a bounded number of attempts with ErrConflict.
func TestTxConflictExhausted(t *testing.T) {
	ctx := t.Context()
	s := open(t, freshSchema(t))
	if err := s.CreatePool(ctx, store.Pool{ID: "p", Name: "0"}); err != nil {
		t.Fatal(err)
	}
	calls := 0
	err := s.InTx(ctx, func(tx store.Store) error {
		calls++
		if _, err := tx.GetPool(ctx, "p"); err != nil {
			return err
		}
		if _, err := s.UpdatePool(ctx, "p", func(p *store.Pool) error { p.Name += "+"; return nil }); err != nil {
			t.Errorf("concurrent UpdatePool: %v", err)
		}
		_, err := tx.UpdatePool(ctx, "p", func(p *store.Pool) error { p.Name = "lost"; return nil })
		return err
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("InTx: err = %v, want ErrConflict", err)
	}
	if calls != txAttempts {
		t.Errorf("fn ran %d times, want %d", calls, txAttempts)
	}
	got, err := s.GetPool(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "0"+strings.Repeat("+", txAttempts) {
		t.Errorf("pool name = %q: a losing transaction committed", got.Name)
	}
}

// TestTxPreventsWriteSkew has several nodes create a pool's first signing
// key at once, the way the token issuer does: list the keys and create one
// when there are none. Each transaction's check sees no key and each
// inserts a different one, so no constraint stops them; only SERIALIZABLE
// isolation (REPEATABLE READ would let them all commit) leaves one key.
func TestTxPreventsWriteSkew(t *testing.T) {
	ctx := t.Context()
	s := open(t, freshSchema(t))
	if err := s.CreatePool(ctx, store.Pool{ID: "p"}); err != nil {
		t.Fatal(err)
	}
	const nodes = 8
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range nodes {
		wg.Go(func() {
			<-start
			err := s.InTx(ctx, func(tx store.Store) error {
				keys, err := tx.ListSigningKeys(ctx, "p")
				if err != nil || len(keys) > 0 {
					return err
				}
				return tx.CreateSigningKey(ctx, store.SigningKey{PoolID: "p", ID: "k" + strconv.Itoa(i), Use: "id",
					Sealed: []byte{1}, Public: []byte("{}")})
			})
			if err != nil && !errors.Is(err, store.ErrConflict) {
				t.Errorf("node %d: %v", i, err)
			}
		})
	}
	close(start)
	wg.Wait()
	keys, err := s.ListSigningKeys(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 {
		t.Errorf("%d first keys created, want 1", len(keys))
	}
}

// TestOpenRefusesNewerSchema records a migration newer than any this
// binary embeds, as a newer binary that migrated the database would have:
// Open must refuse it with a SchemaTooNewError naming both versions, and
// open it again once the record is gone (the refusal changed nothing).
func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := t.Context()
	schema := freshSchema(t)
	s := open(t, schema)
	if _, err := s.pool.Exec(ctx, `INSERT INTO goose_db_version (version_id, is_applied) VALUES (99, true)`); err != nil {
		t.Fatal(err)
	}

	latest := latestMigration(t, s)
	other, err := Open(ctx, testConfig(schema))
	var tooNew *store.SchemaTooNewError
	if !errors.As(err, &tooNew) {
		if err == nil {
			other.Close()
		}
		t.Fatalf("Open on a newer schema: err = %v, want a SchemaTooNewError", err)
	}
	if tooNew.Version != 99 || tooNew.Latest != latest {
		t.Errorf("SchemaTooNewError = %+v, want version 99, latest %d", tooNew, latest)
	}
	want := fmt.Sprintf("the database schema is version 99, newer than this binary's %d: run a binary at least as new", latest)
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}

	if _, err := s.pool.Exec(ctx, `DELETE FROM goose_db_version WHERE version_id = 99`); err != nil {
		t.Fatal(err)
	}
	open(t, schema)
}

// latestMigration is the newest migration version this binary embeds.
func latestMigration(t *testing.T, s *Store) int64 {
	t.Helper()
	sub, _ := fs.Sub(migrations, "migrations")
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, sub)
	if err != nil {
		t.Fatal(err)
	}
	src := p.ListSources()
	return src[len(src)-1].Version
}
