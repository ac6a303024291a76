package sqlite

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	msqlite "modernc.org/sqlite"

	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/storebench"
)

// writeStmtMemory is the memory SQLite holds for prepared statements on
// the write connection: zero when nothing is kept between calls.
func writeStmtMemory(t *testing.T, s *Store) int {
	t.Helper()
	c, err := s.db.write.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var used int
	err = c.Raw(func(dc any) error {
		used, _, err = dc.(msqlite.DBStatus).Status(msqlite.DBStatusStmtUsed, false)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return used
}

// TestTransactionsReuseStatements checks that a transaction's statements
// stay prepared on the write connection afterwards, and that transactions
// leave nothing behind there: what a transaction borrows it gives back.
func TestTransactionsReuseStatements(t *testing.T) {
	s := open(t, Config{Path: filepath.Join(t.TempDir(), "test.db")})
	storebench.Seed(t, s)
	storebench.Rotate(t, s, 1)
	kept := writeStmtMemory(t, s)
	if kept == 0 {
		t.Fatal("no statement is kept prepared on the write connection after a rotation")
	}
	n := len(s.db.writeStmts.stmts)
	for i := 2; i < 200; i++ {
		storebench.Rotate(t, s, i)
	}
	if got := writeStmtMemory(t, s); got != kept {
		t.Errorf("statement memory on the write connection went from %d to %d bytes over 198 rotations", kept, got)
	}
	if got := len(s.db.writeStmts.stmts); got != n {
		t.Errorf("the write pool's cache went from %d to %d statements over rotations of the same kind", n, got)
	}
	if len(s.db.writeStmts.wanted) != 0 {
		t.Errorf("statements still wanted after their transactions: %d", len(s.db.writeStmts.wanted))
	}
}

// TestTransactionStatementsAfterFailure runs cached statements in a
// transaction that fails inside a savepoint and then commits: the
// savepoint's rollback and the statements after it must still work.
func TestTransactionStatementsAfterFailure(t *testing.T) {
	ctx := t.Context()
	s := open(t, Config{Path: filepath.Join(t.TempDir(), "test.db")})
	storebench.Seed(t, s)
	for round := range 2 { // the second round runs on prepared statements
		name := fmt.Sprintf("group-%d", round)
		err := s.InTx(ctx, func(tx store.Store) error {
			if err := tx.CreateGroup(ctx, store.Group{PoolID: "pool", Name: name}); err != nil {
				return err
			}
			// A duplicate fails inside its savepoint and leaves the
			// transaction usable.
			if err := tx.CreateGroup(ctx, store.Group{PoolID: "pool", Name: name}); err == nil {
				return fmt.Errorf("a duplicate group was created")
			}
			return tx.AddUserToGroup(ctx, "pool", name, "sub")
		})
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		groups, _, err := s.ListGroupsForUser(ctx, "pool", "sub", store.Page{})
		if err != nil || len(groups) != round+1 || groups[round].Name != name {
			t.Fatalf("round %d: groups = %+v, %v", round, groups, err)
		}
	}
}

// TestConcurrentFirstUse starts readers and writers together on a fresh
// store, so that they race to prepare the same statements.
func TestConcurrentFirstUse(t *testing.T) {
	ctx := t.Context()
	s := open(t, Config{Path: filepath.Join(t.TempDir(), "test.db")})
	storebench.Seed(t, s)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 8 {
		wg.Go(func() {
			for i := range 20 {
				if _, err := s.GetUserBySub(ctx, "pool", "sub"); err != nil {
					errs <- err
					return
				}
				if _, _, err := s.ListGroupsForUser(ctx, "pool", "sub", store.Page{}); err != nil {
					errs <- err
					return
				}
				g := store.Group{PoolID: "pool", Name: fmt.Sprintf("g-%d-%d", w, i)}
				if err := s.CreateGroup(ctx, g); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	groups, _, err := s.ListGroups(ctx, "pool", store.Page{Limit: 1000})
	if err != nil || len(groups) != 160 {
		t.Errorf("ListGroups = %d groups, %v; want 160", len(groups), err)
	}
}

// TestCloseClosesStatements checks that Close closes the cached statements
// and that nothing is prepared after it.
func TestCloseClosesStatements(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, Config{Path: filepath.Join(t.TempDir(), "test.db")})
	if err != nil {
		t.Fatal(err)
	}
	storebench.Seed(t, s)
	if _, err := s.GetUserBySub(ctx, "pool", "sub"); err != nil {
		t.Fatal(err)
	}
	var cached []*sql.Stmt
	for _, c := range []*stmtCache{s.db.readStmts, s.db.writeStmts} {
		if len(c.stmts) == 0 {
			t.Fatal("a pool has no prepared statement after use")
		}
		for _, st := range c.stmts {
			cached = append(cached, st)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, st := range cached {
		if _, err := st.ExecContext(ctx); err == nil || !strings.Contains(err.Error(), "statement is closed") {
			t.Fatalf("a cached statement still runs after Close: %v", err)
		}
	}
	if st := s.db.readStmts.get(ctx, `SELECT 1`); st != nil {
		t.Error("the cache prepared a statement after Close")
	}
	if _, err := s.GetUserBySub(ctx, "pool", "sub"); err == nil {
		t.Error("GetUserBySub succeeded after Close")
	}
}

// TestStmtCacheBound checks that past maxStmts texts run unprepared, with
// the same results.
func TestStmtCacheBound(t *testing.T) {
	ctx := t.Context()
	s := open(t, Config{Path: filepath.Join(t.TempDir(), "test.db")})
	q := s.db.q
	for i := range maxStmts + 10 {
		var got int
		if err := q.QueryRow(ctx, sqlText(fmt.Sprintf("SELECT %d + $1", i)), 1).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != i+1 {
			t.Fatalf("query %d = %d, want %d", i, got, i+1)
		}
	}
	if n := len(s.db.readStmts.stmts); n != maxStmts {
		t.Errorf("the read pool's cache holds %d statements, want %d", n, maxStmts)
	}
}
