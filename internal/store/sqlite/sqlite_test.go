package sqlite

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return open(t, Config{Path: filepath.Join(t.TempDir(), "test.db")})
	})
}

func open(t *testing.T, cfg Config) *Store {
	t.Helper()
	s, err := Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestReopenKeepsData(t *testing.T) {
	ctx := t.Context()
	// Characters that mean something in a URI must stay part of the path.
	path := filepath.Join(t.TempDir(), "a dir?x=1#frag", "data%20.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, Config{Path: path})
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
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database is not at the path given: %v", err)
	}

	s = open(t, Config{Path: path})
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
}

func TestMigrationsIdempotent(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "test.db")
	want := migrationCount(t)

	for i := range 3 {
		s := open(t, Config{Path: path})
		if err := s.CreatePool(ctx, store.Pool{ID: string(rune('a' + i))}); err != nil {
			t.Fatalf("open %d: CreatePool: %v", i, err)
		}
		var applied int
		if err := s.db.read.QueryRowContext(ctx, `SELECT count(*) FROM goose_db_version WHERE version_id > 0`).Scan(&applied); err != nil {
			t.Fatal(err)
		}
		if applied != want {
			t.Errorf("open %d: %d migrations recorded, want %d", i, applied, want)
		}
		// Running them again by hand finds nothing to do.
		sub, _ := fs.Sub(migrations, "migrations")
		p, err := goose.NewProvider(goose.DialectSQLite3, s.db.write, sub)
		if err != nil {
			t.Fatal(err)
		}
		res, err := p.Up(ctx)
		if err != nil || len(res) != 0 {
			t.Errorf("open %d: Up again = %v, %v; want nothing to do", i, res, err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	s := open(t, Config{Path: path})
	pools, _, err := s.ListPools(ctx, store.Page{})
	if err != nil || len(pools) != 3 {
		t.Errorf("ListPools after three opens = %d pools, %v; want 3", len(pools), err)
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

// TestSettings checks the pragmas on both pools: they are per connection,
// and a typo in a DSN parameter name would silently leave a default.
func TestSettings(t *testing.T) {
	ctx := t.Context()
	s := open(t, Config{Path: filepath.Join(t.TempDir(), "test.db")})
	for name, db := range map[string]*sql.DB{"write": s.db.write, "read": s.db.read} {
		for pragma, want := range map[string]string{
			"journal_mode": "wal",
			"foreign_keys": "1",
			"synchronous":  "1", // NORMAL
			"busy_timeout": "10000",
		} {
			var got string
			if err := db.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
				t.Fatalf("%s: PRAGMA %s: %v", name, pragma, err)
			}
			if got != want {
				t.Errorf("%s: PRAGMA %s = %s, want %s", name, pragma, got, want)
			}
		}
	}
	if _, err := s.db.read.ExecContext(ctx, `INSERT INTO pools (id, name, created_at, updated_at) VALUES ('x', 'x', 0, 0)`); err == nil {
		t.Error("the read pool accepted a write")
	}
	if s.db.write.Stats().MaxOpenConnections != 1 {
		t.Errorf("write pool allows %d connections, want 1", s.db.write.Stats().MaxOpenConnections)
	}
}

func TestOpenRejectsMemory(t *testing.T) {
	for _, path := range []string{"", ":memory:", "file::memory:?cache=shared"} {
		if s, err := Open(t.Context(), Config{Path: path}); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", path)
		}
	}
}

// TestBusyIsConflict has a second Store on the same file (as a second
// process would) wait for a lock the first holds: once the retries are
// spent it must report ErrConflict, and succeed once the lock is free.
func TestBusyIsConflict(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "test.db")
	first := open(t, Config{Path: path})
	second := open(t, Config{Path: path, busyTimeout: 20 * time.Millisecond})

	err := first.InTx(ctx, func(tx store.Store) error {
		if err := tx.CreatePool(ctx, store.Pool{ID: "held"}); err != nil {
			return err
		}
		err := second.CreatePool(ctx, store.Pool{ID: "blocked"})
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("CreatePool while another connection holds the lock: err = %v, want ErrConflict", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := second.CreatePool(ctx, store.Pool{ID: "blocked"}); err != nil {
		t.Errorf("CreatePool after the lock is released: %v", err)
	}
}

// TestNestedTxFailureIsUndone pins down what "joins" means here: a nested
// InTx that fails is rolled back to where it started, and the outer
// transaction carries on. The interface leaves this open, so it is a
// SQLite test rather than a conformance one.
func TestNestedTxFailureIsUndone(t *testing.T) {
	ctx := t.Context()
	s := open(t, Config{Path: filepath.Join(t.TempDir(), "test.db")})
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

// TestUserConflictFields guards the mapping from SQLite's constraint
// messages to ConflictError fields against a renamed column or index.
func TestUserConflictFields(t *testing.T) {
	ctx := t.Context()
	s := open(t, Config{Path: filepath.Join(t.TempDir(), "test.db")})
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
	if f := userConflict(errors.New("unrelated")); f != "" {
		t.Errorf("userConflict named %q for an unrelated error", f)
	}
}

// TestTokensMigrationUpgrade opens a database made by the first schema,
// with a user in it: the user must read back with the lockout fields at
// "never", and the token tables must work. Going down to the first schema
// and up again must work too, so a bad release can be rolled back.
func TestTokensMigrationUpgrade(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "test.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := fs.Sub(migrations, "migrations")
	p, err := goose.NewProvider(goose.DialectSQLite3, db, sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 1); err != nil {
		t.Fatalf("up to the first schema: %v", err)
	}
	for _, q := range []string{
		`INSERT INTO pools (id, name, created_at, updated_at) VALUES ('p', 'p', 0, 0)`,
		`INSERT INTO users (pool_id, sub, username, username_key, status, enabled, password_hash,
			created_at, updated_at, password_updated_at) VALUES ('p', 's', 'u', 'u', 'CONFIRMED', 1, '', 0, 0, 0)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s := open(t, Config{Path: path})
	u, err := s.GetUserBySub(ctx, "p", "s")
	if err != nil {
		t.Fatalf("GetUserBySub after upgrade: %v", err)
	}
	if u.FailedSignIns != 0 || !u.LockedUntil.IsZero() || !u.SignedOutAt.IsZero() {
		t.Errorf("user from before the upgrade: FailedSignIns %d, LockedUntil %v, SignedOutAt %v",
			u.FailedSignIns, u.LockedUntil, u.SignedOutAt)
	}
	f := store.RefreshFamily{ID: "f", PoolID: "p", ClientID: "c", Sub: "s", ExpiresAt: time.UnixMilli(1).UTC()}
	if err := s.CreateRefreshFamily(ctx, f, store.RefreshToken{ID: "t", SecretHash: []byte{1}}); err != nil {
		t.Fatalf("CreateRefreshFamily after upgrade: %v", err)
	}

	p, err = goose.NewProvider(goose.DialectSQLite3, s.db.write, sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 1); err != nil {
		t.Fatalf("down to the first schema: %v", err)
	}
	if _, err := s.GetUserBySub(ctx, "p", "s"); err == nil {
		t.Error("GetUserBySub read columns the first schema lacks")
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if _, err := s.GetUserBySub(ctx, "p", "s"); err != nil {
		t.Errorf("GetUserBySub after down and up: %v", err)
	}
}

// TestOpenRefusesNewerSchema records a migration newer than any this
// binary embeds, as a newer binary that migrated the file would have:
// Open must refuse it with a SchemaTooNewError naming both versions, and
// open it again once the record is gone (the refusal changed nothing).
func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "test.db")
	s, err := Open(ctx, Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.write.ExecContext(ctx, `INSERT INTO goose_db_version (version_id, is_applied) VALUES (99, 1)`); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	latest := latestMigration(t)
	s, err = Open(ctx, Config{Path: path})
	var tooNew *store.SchemaTooNewError
	if !errors.As(err, &tooNew) {
		if err == nil {
			s.Close()
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

	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM goose_db_version WHERE version_id = 99`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	open(t, Config{Path: path})
}

// latestMigration is the newest migration version this binary embeds.
func latestMigration(t *testing.T) int64 {
	t.Helper()
	sub, _ := fs.Sub(migrations, "migrations")
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "versions.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectSQLite3, db, sub)
	if err != nil {
		t.Fatal(err)
	}
	src := p.ListSources()
	return src[len(src)-1].Version
}

// TestFilesPrivate opens a new database in a directory others may read,
// as a data directory made by hand with the usual umask is, and writes to
// it: the database and its -wal and -shm files must be the owner's alone,
// and the directory's mode must be warned about.
func TestFilesPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// Mkdir's mode goes through the umask; the directory must be 0755.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	path := filepath.Join(dir, "userpool.db")
	s := open(t, Config{Path: path, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if err := s.CreatePool(t.Context(), store.Pool{ID: "p"}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s has mode %v, want -rw-------", filepath.Base(name), perm)
		}
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), dir) {
		t.Errorf("no warning about the directory %s; logged:\n%s", dir, logs.String())
	}
}

// TestExistingFileOpenWarns reopens a database file others may read, as
// an older release created it: the store warns about it, and leaves the
// mode to the operator.
func TestExistingFileOpenWarns(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "userpool.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	open(t, Config{Path: path, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "chmod 600") {
		t.Errorf("no warning about the database file; logged:\n%s", logs.String())
	}
	if logs := logs.String(); strings.Contains(logs, "chmod 700") {
		t.Errorf("warned about a private directory; logged:\n%s", logs)
	}
}
