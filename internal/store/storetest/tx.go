package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/store"
)

// testUpdaterAbort checks that every updater returns fn's error as is and
// writes nothing, even though fn changed the record before failing.
func testUpdaterAbort(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustPool(t, s, "pool-a")
	c := newClient(p.ID, "client1")
	noErr(t, "CreateClient", s.CreateClient(ctx, c))
	d := newDomain(p.ID, "auth-a")
	noErr(t, "CreateDomain", s.CreateDomain(ctx, d))
	rs := store.ResourceServer{PoolID: p.ID, Identifier: "api", Name: "API", Scopes: []store.Scope{{Name: "read"}}}
	noErr(t, "CreateResourceServer", s.CreateResourceServer(ctx, rs))
	g := mustGroup(t, s, newGroup(p.ID, "g"))
	u := newUser(p.ID, "alice", attr("email", "alice@example.com"))
	u.AliasEmail = "alice@example.com"
	mustUser(t, s, u)

	abort := func(what string, err error) {
		t.Helper()
		// ==, not errors.Is: the contract is "as is", not merely wrapped.
		if err != errBoom {
			t.Errorf("%s: err = %v, want fn's error as is", what, err)
		}
	}
	_, err := s.UpdatePool(ctx, p.ID, func(p *store.Pool) error { p.Name = "x"; p.Settings = nil; return errBoom })
	abort("UpdatePool", err)
	_, err = s.UpdateClient(ctx, c.ID, func(c *store.Client) error { c.Name = "x"; c.SecretHash = []byte{1}; return errBoom })
	abort("UpdateClient", err)
	_, err = s.UpdateDomain(ctx, d.Domain, func(d *store.Domain) error { d.Settings = []byte("{}"); return errBoom })
	abort("UpdateDomain", err)
	_, err = s.UpdateResourceServer(ctx, p.ID, rs.Identifier, func(rs *store.ResourceServer) error {
		rs.Name, rs.Scopes = "x", nil
		return errBoom
	})
	abort("UpdateResourceServer", err)
	_, err = s.UpdateGroup(ctx, p.ID, g.Name, func(g *store.Group) error { g.Precedence = ptr(int64(1)); return errBoom })
	abort("UpdateGroup", err)
	_, err = s.UpdateUser(ctx, p.ID, u.Sub, func(u *store.User) error {
		u.Attributes = append(u.Attributes, attr("given_name", "x"))
		u.AliasEmail, u.Status = "", "x"
		return errBoom
	})
	abort("UpdateUser", err)

	gotP, err := s.GetPool(ctx, p.ID)
	noErr(t, "GetPool", err)
	gotC, err := s.GetClient(ctx, c.ID)
	noErr(t, "GetClient", err)
	gotD, err := s.GetDomain(ctx, d.Domain)
	noErr(t, "GetDomain", err)
	gotRS, err := s.GetResourceServer(ctx, p.ID, rs.Identifier)
	noErr(t, "GetResourceServer", err)
	gotG, err := s.GetGroup(ctx, p.ID, g.Name)
	noErr(t, "GetGroup", err)
	gotU, err := s.GetUserBySub(ctx, p.ID, u.Sub)
	noErr(t, "GetUserBySub", err)
	for _, c := range []struct {
		what      string
		want, got any
	}{{"pool", p, gotP}, {"client", c, gotC}, {"domain", d, gotD}, {"resource server", rs, gotRS}, {"group", g, gotG}, {"user", u, gotU}} {
		if df := diff(c.want, c.got); df != "" {
			t.Errorf("%s after aborted update (-want +got):\n%s", c.what, df)
		}
	}
}

// testConcurrentUpdates proves the updaters' read-modify-write is atomic:
// were it not, concurrent appends would overwrite each other.
func testConcurrentUpdates(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustPool(t, s, "pool-a")
	u := mustUser(t, s, newUser(p.ID, "alice"))
	g := mustGroup(t, s, newGroup(p.ID, "g"))

	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := s.UpdateUser(ctx, p.ID, u.Sub, func(u *store.User) error {
				u.Attributes = append(u.Attributes, attr(fmt.Sprintf("custom:n%02d", i), strconv.Itoa(i)))
				return nil
			})
			if err != nil {
				t.Errorf("UpdateUser %d: %v", i, err)
			}
		})
		wg.Go(func() {
			_, err := s.UpdateGroup(ctx, p.ID, g.Name, func(g *store.Group) error {
				g.Description += "+"
				return nil
			})
			if err != nil {
				t.Errorf("UpdateGroup %d: %v", i, err)
			}
		})
	}
	wg.Wait()

	got, err := s.GetUserBySub(ctx, p.ID, u.Sub)
	noErr(t, "GetUserBySub", err)
	var names []string
	for _, a := range got.Attributes[1:] {
		names = append(names, a.Name)
	}
	slices.Sort(names)
	var want []string
	for i := range n {
		want = append(want, fmt.Sprintf("custom:n%02d", i))
	}
	if !slices.Equal(want, names) || got.Attributes[0].Name != "sub" {
		t.Errorf("attributes after %d concurrent appends: %v", n, got.Attributes)
	}
	gotG, err := s.GetGroup(ctx, p.ID, g.Name)
	noErr(t, "GetGroup", err)
	if want := g.Description + fmt.Sprintf("%0*d", n, 0); len(gotG.Description) != len(want) {
		t.Errorf("group description after %d concurrent appends = %q", n, gotG.Description)
	}
}

// testConcurrentTransactions runs read-then-write transactions that would
// lose updates without isolation. A backend may give up on some with
// ErrConflict after its retries, but every transaction that succeeded must
// have counted.
func testConcurrentTransactions(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := newPool("pool-a")
	p.Name = "0"
	noErr(t, "CreatePool", s.CreatePool(ctx, p))

	const n = 20
	var (
		wg sync.WaitGroup
		mu sync.Mutex
		ok int
	)
	for i := range n {
		wg.Go(func() {
			err := s.InTx(ctx, func(tx store.Store) error {
				cur, err := tx.GetPool(ctx, p.ID)
				if err != nil {
					return err
				}
				v, err := strconv.Atoi(cur.Name)
				if err != nil {
					return err
				}
				_, err = tx.UpdatePool(ctx, p.ID, func(p *store.Pool) error {
					p.Name = strconv.Itoa(v + 1)
					return nil
				})
				return err
			})
			switch {
			case err == nil:
				mu.Lock()
				ok++
				mu.Unlock()
			case errors.Is(err, store.ErrConflict):
			default:
				t.Errorf("InTx %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	got, err := s.GetPool(ctx, p.ID)
	noErr(t, "GetPool", err)
	if ok == 0 {
		t.Error("no transaction succeeded")
	}
	if got.Name != strconv.Itoa(ok) {
		t.Errorf("counter = %s after %d successful increments", got.Name, ok)
	}
}

func testTxRollback(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	keep := mustUser(t, s, newUser(a.ID, "keep"))
	mustGroup(t, s, newGroup(a.ID, "g"))
	noErr(t, "CreateClient", s.CreateClient(ctx, newClient(a.ID, "client-keep")))

	// writes does one of every kind of write and checks, through tx, that
	// the transaction sees its own writes.
	writes := func(tx store.Store) error {
		noErr(t, "CreatePool", tx.CreatePool(ctx, newPool("pool-new")))
		noErr(t, "CreateClient", tx.CreateClient(ctx, newClient("pool-new", "client-new")))
		noErr(t, "CreateDomain", tx.CreateDomain(ctx, newDomain("pool-new", "auth-new")))
		newbie := newUser(a.ID, "newbie")
		newbie.AliasEmail = "newbie@example.com"
		noErr(t, "CreateUser", tx.CreateUser(ctx, newbie))
		noErr(t, "AddUserToGroup", tx.AddUserToGroup(ctx, a.ID, "g", newbie.Sub))
		_, err := tx.UpdatePool(ctx, a.ID, func(p *store.Pool) error { p.Name = "changed"; return nil })
		noErr(t, "UpdatePool", err)
		_, err = tx.UpdateUser(ctx, a.ID, keep.Sub, func(u *store.User) error {
			u.Attributes = append(u.Attributes, attr("given_name", "Changed"))
			return nil
		})
		noErr(t, "UpdateUser", err)
		noErr(t, "DeleteClient", tx.DeleteClient(ctx, "client-keep"))

		_, err = tx.GetPool(ctx, "pool-new")
		noErr(t, "GetPool(pool-new) inside tx", err)
		_, err = tx.GetUserByAlias(ctx, a.ID, store.AliasEmail, "newbie@example.com")
		noErr(t, "GetUserByAlias(newbie) inside tx", err)
		members, _, err := tx.ListUsersInGroup(ctx, a.ID, "g", store.Page{})
		noErr(t, "ListUsersInGroup inside tx", err)
		if len(members) != 1 {
			t.Errorf("ListUsersInGroup inside tx = %d members, want 1", len(members))
		}
		_, err = tx.GetClient(ctx, "client-keep")
		wantErr(t, "GetClient(deleted) inside tx", err, store.ErrNotFound)
		n, err := tx.CountUsers(ctx, a.ID)
		noErr(t, "CountUsers inside tx", err)
		if n != 2 {
			t.Errorf("CountUsers inside tx = %d, want 2", n)
		}
		return nil
	}

	err := s.InTx(ctx, func(tx store.Store) error {
		if err := writes(tx); err != nil {
			return err
		}
		return fmt.Errorf("late failure: %w", errBoom)
	})
	wantErr(t, "InTx", err, errBoom)

	_, err = s.GetPool(ctx, "pool-new")
	wantErr(t, "GetPool(pool-new) after rollback", err, store.ErrNotFound)
	_, err = s.GetClient(ctx, "client-new")
	wantErr(t, "GetClient(client-new) after rollback", err, store.ErrNotFound)
	_, err = s.GetDomain(ctx, "auth-new")
	wantErr(t, "GetDomain(auth-new) after rollback", err, store.ErrNotFound)
	_, err = s.GetUser(ctx, a.ID, "newbie")
	wantErr(t, "GetUser(newbie) after rollback", err, store.ErrNotFound)
	_, err = s.GetClient(ctx, "client-keep")
	noErr(t, "GetClient(client-keep) after rollback", err)
	gotPool, err := s.GetPool(ctx, a.ID)
	noErr(t, "GetPool after rollback", err)
	if d := diff(a, gotPool); d != "" {
		t.Errorf("pool after rollback (-want +got):\n%s", d)
	}
	gotKeep, err := s.GetUserBySub(ctx, a.ID, keep.Sub)
	noErr(t, "GetUserBySub after rollback", err)
	if d := diff(keep, gotKeep); d != "" {
		t.Errorf("user after rollback (-want +got):\n%s", d)
	}
	members, _, err := s.ListUsersInGroup(ctx, a.ID, "g", store.Page{})
	noErr(t, "ListUsersInGroup after rollback", err)
	if len(members) != 0 {
		t.Errorf("ListUsersInGroup after rollback = %d members", len(members))
	}

	// The same writes commit when fn succeeds.
	noErr(t, "InTx(commit)", s.InTx(ctx, writes))
	_, err = s.GetDomain(ctx, "auth-new")
	noErr(t, "GetDomain(auth-new) after commit", err)
	_, err = s.GetClient(ctx, "client-keep")
	wantErr(t, "GetClient(client-keep) after commit", err, store.ErrNotFound)
	gotPool, err = s.GetPool(ctx, a.ID)
	noErr(t, "GetPool after commit", err)
	if gotPool.Name != "changed" {
		t.Errorf("pool name after commit = %q", gotPool.Name)
	}
	members, _, err = s.ListUsersInGroup(ctx, a.ID, "g", store.Page{})
	noErr(t, "ListUsersInGroup after commit", err)
	if len(members) != 1 {
		t.Errorf("ListUsersInGroup after commit = %d members, want 1", len(members))
	}
}

// testTxNested checks that an InTx on the Store of a transaction joins it:
// its writes commit and roll back with the outer transaction.
func testTxNested(t *testing.T, s store.Store) {
	ctx := t.Context()
	err := s.InTx(ctx, func(tx store.Store) error {
		noErr(t, "CreatePool(outer)", tx.CreatePool(ctx, newPool("p-outer")))
		noErr(t, "InTx(inner)", tx.InTx(ctx, func(tx store.Store) error {
			_, err := tx.GetPool(ctx, "p-outer")
			noErr(t, "GetPool(outer) from inner", err)
			return tx.CreatePool(ctx, newPool("p-inner"))
		}))
		_, err := tx.GetPool(ctx, "p-inner")
		noErr(t, "GetPool(inner) from outer", err)
		return errBoom
	})
	wantErr(t, "InTx", err, errBoom)
	for _, id := range []string{"p-outer", "p-inner"} {
		_, err := s.GetPool(ctx, id)
		wantErr(t, "GetPool("+id+") after outer rollback", err, store.ErrNotFound)
	}

	err = s.InTx(ctx, func(tx store.Store) error {
		if err := tx.CreatePool(ctx, newPool("p-outer")); err != nil {
			return err
		}
		return tx.InTx(ctx, func(tx store.Store) error { return tx.CreatePool(ctx, newPool("p-inner")) })
	})
	noErr(t, "InTx(commit)", err)
	for _, id := range []string{"p-outer", "p-inner"} {
		_, err := s.GetPool(ctx, id)
		noErr(t, "GetPool("+id+") after commit", err)
	}

	// An inner error reaches the outer fn unchanged.
	err = s.InTx(ctx, func(tx store.Store) error {
		return tx.InTx(ctx, func(store.Store) error { return errBoom })
	})
	wantErr(t, "InTx(inner error)", err, errBoom)
}

// testTxSurvivesFailedStatement checks that a store method failing inside
// a transaction (a conflict, a missing record, an aborted updater) leaves
// the transaction usable and its earlier writes intact, so a service can
// handle the error and carry on. Backends whose databases abort the whole
// transaction on an error (PostgreSQL) need a savepoint per method.
func testTxSurvivesFailedStatement(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	alice := newUser(a.ID, "alice")
	alice.AliasEmail = "alice@example.com"
	mustUser(t, s, alice)
	bob := mustUser(t, s, newUser(a.ID, "bob"))

	err := s.InTx(ctx, func(tx store.Store) error {
		noErr(t, "CreatePool(before)", tx.CreatePool(ctx, newPool("p-before")))
		wantConflict(t, "CreateUser(taken)", tx.CreateUser(ctx, newUser(a.ID, "alice")), "username")
		_, err := tx.UpdateUser(ctx, a.ID, bob.Sub, func(u *store.User) error {
			u.AliasEmail = "alice@example.com"
			u.Status = "CHANGED"
			return nil
		})
		wantConflict(t, "UpdateUser(taken alias)", err, "email")
		_, err = tx.UpdatePool(ctx, "p-missing", func(*store.Pool) error { return nil })
		wantErr(t, "UpdatePool(missing)", err, store.ErrNotFound)
		wantErr(t, "CreatePool(taken)", tx.CreatePool(ctx, newPool(a.ID)), store.ErrAlreadyExists)
		_, err = tx.UpdateUser(ctx, a.ID, bob.Sub, func(u *store.User) error { u.Status = "ABORTED"; return errBoom })
		wantErr(t, "UpdateUser(aborted)", err, errBoom)
		return tx.CreatePool(ctx, newPool("p-after"))
	})
	noErr(t, "InTx", err)
	for _, id := range []string{"p-before", "p-after"} {
		_, err := s.GetPool(ctx, id)
		noErr(t, "GetPool("+id+")", err)
	}
	got, err := s.GetUserBySub(ctx, a.ID, bob.Sub)
	noErr(t, "GetUserBySub(bob)", err)
	if d := diff(bob, got); d != "" {
		t.Errorf("bob after failed updates (-want +got):\n%s", d)
	}
}

// testTimezoneRoundTrip writes times in a zone other than UTC and with
// nanoseconds, and expects them back in UTC, the same instant to the
// millisecond. The zero time (a user who never set a password) must stay
// zero.
func testTimezoneRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	zone := time.FixedZone("IST", 5*3600+1800)
	created := time.Date(2024, 2, 29, 23, 59, 59, 987_654_321, zone)
	updated := time.Date(2030, 12, 31, 1, 2, 3, 4_567_890, time.FixedZone("PST", -8*3600))

	check := func(what string, got, want time.Time) {
		t.Helper()
		if got.Location() != time.UTC {
			t.Errorf("%s: location %v, want UTC", what, got.Location())
		}
		if d := got.Sub(want); d <= -time.Millisecond || d >= time.Millisecond {
			t.Errorf("%s = %v, want %v to the millisecond", what, got, want.UTC())
		}
	}

	p := newPool("pool-a")
	p.CreatedAt, p.UpdatedAt = created, updated
	noErr(t, "CreatePool", s.CreatePool(ctx, p))
	gotP, err := s.GetPool(ctx, p.ID)
	noErr(t, "GetPool", err)
	check("pool CreatedAt", gotP.CreatedAt, created)
	check("pool UpdatedAt", gotP.UpdatedAt, updated)
	pools, _, err := s.ListPools(ctx, store.Page{})
	noErr(t, "ListPools", err)
	check("listed pool CreatedAt", pools[0].CreatedAt, created)

	c := newClient(p.ID, "client1")
	c.CreatedAt, c.UpdatedAt = created, updated
	noErr(t, "CreateClient", s.CreateClient(ctx, c))
	gotC, err := s.GetClient(ctx, c.ID)
	noErr(t, "GetClient", err)
	check("client CreatedAt", gotC.CreatedAt, created)
	check("client UpdatedAt", gotC.UpdatedAt, updated)

	d := newDomain(p.ID, "auth-a")
	d.CreatedAt, d.UpdatedAt = created, updated
	noErr(t, "CreateDomain", s.CreateDomain(ctx, d))
	gotD, err := s.GetDomain(ctx, d.Domain)
	noErr(t, "GetDomain", err)
	check("domain CreatedAt", gotD.CreatedAt, created)
	check("domain UpdatedAt", gotD.UpdatedAt, updated)

	g := newGroup(p.ID, "g")
	g.CreatedAt, g.UpdatedAt = created, updated
	mustGroup(t, s, g)
	gotG, err := s.GetGroup(ctx, p.ID, g.Name)
	noErr(t, "GetGroup", err)
	check("group CreatedAt", gotG.CreatedAt, created)
	check("group UpdatedAt", gotG.UpdatedAt, updated)

	u := newUser(p.ID, "alice")
	u.CreatedAt, u.UpdatedAt, u.PasswordUpdatedAt = created, updated, time.Time{}
	mustUser(t, s, u)
	gotU, err := s.GetUserBySub(ctx, p.ID, u.Sub)
	noErr(t, "GetUserBySub", err)
	check("user CreatedAt", gotU.CreatedAt, created)
	check("user UpdatedAt", gotU.UpdatedAt, updated)
	if !gotU.PasswordUpdatedAt.IsZero() {
		t.Errorf("user PasswordUpdatedAt = %v, want the zero time", gotU.PasswordUpdatedAt)
	}

	// Times written by an updater come back the same way, in its result
	// and from a later read.
	pwSet := time.Date(2025, 7, 1, 12, 0, 0, 999_999_999, zone)
	res, err := s.UpdateUser(ctx, p.ID, u.Sub, func(u *store.User) error { u.PasswordUpdatedAt = pwSet; return nil })
	noErr(t, "UpdateUser", err)
	check("UpdateUser result PasswordUpdatedAt", res.PasswordUpdatedAt, pwSet)
	users, _, err := s.ListUsers(ctx, p.ID, nil, store.Page{})
	noErr(t, "ListUsers", err)
	check("listed user PasswordUpdatedAt", users[0].PasswordUpdatedAt, pwSet)
	check("listed user CreatedAt", users[0].CreatedAt, created)
}
