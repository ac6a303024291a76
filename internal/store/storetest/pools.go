package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/store"
)

func testPoolCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()

	_, err := s.GetPool(ctx, "us-east-1_missing")
	wantErr(t, "GetPool(missing)", err, store.ErrNotFound)

	p := mustPool(t, s, "us-east-1_A")
	got, err := s.GetPool(ctx, p.ID)
	noErr(t, "GetPool", err)
	if d := diff(p, got); d != "" {
		t.Errorf("GetPool (-want +got):\n%s", d)
	}
	wantErr(t, "CreatePool(duplicate)", s.CreatePool(ctx, newPool(p.ID)), store.ErrAlreadyExists)

	later := t0.Add(90 * time.Second)
	updated, err := s.UpdatePool(ctx, p.ID, func(p *store.Pool) error {
		p.Name = "renamed"
		p.Settings = []byte(`{"MfaConfiguration":"ON"}`)
		p.UpdatedAt = later
		return nil
	})
	noErr(t, "UpdatePool", err)
	want := p
	want.Name, want.Settings, want.UpdatedAt = "renamed", []byte(`{"MfaConfiguration":"ON"}`), later
	if d := diff(want, updated); d != "" {
		t.Errorf("UpdatePool result (-want +got):\n%s", d)
	}
	got, err = s.GetPool(ctx, p.ID)
	noErr(t, "GetPool after update", err)
	if d := diff(want, got); d != "" {
		t.Errorf("GetPool after update (-want +got):\n%s", d)
	}

	called := false
	_, err = s.UpdatePool(ctx, "us-east-1_missing", func(*store.Pool) error { called = true; return nil })
	wantErr(t, "UpdatePool(missing)", err, store.ErrNotFound)
	if called {
		t.Error("UpdatePool(missing) called fn")
	}

	noErr(t, "DeletePool", s.DeletePool(ctx, p.ID))
	_, err = s.GetPool(ctx, p.ID)
	wantErr(t, "GetPool after delete", err, store.ErrNotFound)
	wantErr(t, "DeletePool(again)", s.DeletePool(ctx, p.ID), store.ErrNotFound)

	// Listing. The ids mix cases on purpose: the order is byte order
	// ("Z" < "a"), the one every backend can reproduce.
	ids := []string{"eu-west-1_c", "eu-west-1_B", "us-east-1_a", "eu-west-1_A", "us-east-1_Z", "ap-south-1_x", "eu-west-1_b"}
	for _, id := range ids {
		mustPool(t, s, id)
	}
	wantOrder := []string{"ap-south-1_x", "eu-west-1_A", "eu-west-1_B", "eu-west-1_b", "eu-west-1_c", "us-east-1_Z", "us-east-1_a"}
	list := func(page store.Page) ([]store.Pool, string, error) { return s.ListPools(ctx, page) }

	pages := pageThrough(t, 3, poolID, list)
	wantPages := [][]string{wantOrder[:3], wantOrder[3:6], wantOrder[6:]}
	if d := cmp.Diff(wantPages, pages); d != "" {
		t.Errorf("ListPools pages of 3 (-want +got):\n%s", d)
	}
	// A page that is exactly full is the last one: no empty page after it.
	pages = pageThrough(t, 7, poolID, list)
	if d := cmp.Diff([][]string{wantOrder}, pages); d != "" {
		t.Errorf("ListPools page of 7 (-want +got):\n%s", d)
	}
	// Limit <= 0 means the default page of 60.
	pages = pageThrough(t, 0, poolID, list)
	if d := cmp.Diff([][]string{wantOrder}, pages); d != "" {
		t.Errorf("ListPools default limit (-want +got):\n%s", d)
	}
	// After need not be a key that exists.
	pools, next, err := s.ListPools(ctx, store.Page{After: "eu-west-1_Bz"})
	noErr(t, "ListPools after a gap", err)
	if got := keys(pools, poolID); next != "" || cmp.Diff(wantOrder[3:], got) != "" {
		t.Errorf("ListPools after a gap = %q, next %q; want %q, next \"\"", got, next, wantOrder[3:])
	}
}

func keys[T any](items []T, key func(T) string) []string {
	var out []string
	for _, it := range items {
		out = append(out, key(it))
	}
	return out
}

func testClientCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	b := mustPool(t, s, "pool-b")

	c := newClient(a.ID, "client1")
	c.SecretHash = []byte{0x00, 0x01, 0xfe, 0xff, 0x80}
	c.SecretSealed = []byte("sealed\x00secret")
	noErr(t, "CreateClient", s.CreateClient(ctx, c))
	got, err := s.GetClient(ctx, c.ID)
	noErr(t, "GetClient", err)
	if d := diff(c, got); d != "" {
		t.Errorf("GetClient (-want +got):\n%s", d)
	}

	// Client ids are unique across pools.
	wantErr(t, "CreateClient(same id, same pool)", s.CreateClient(ctx, newClient(a.ID, c.ID)), store.ErrAlreadyExists)
	wantErr(t, "CreateClient(same id, other pool)", s.CreateClient(ctx, newClient(b.ID, c.ID)), store.ErrAlreadyExists)
	wantErr(t, "CreateClient(missing pool)", s.CreateClient(ctx, newClient("pool-missing", "client9")), store.ErrNotFound)
	_, err = s.GetClient(ctx, "client9")
	wantErr(t, "GetClient(never created)", err, store.ErrNotFound)

	for _, id := range []string{"client4", "client2", "client3"} {
		noErr(t, "CreateClient "+id, s.CreateClient(ctx, newClient(a.ID, id)))
	}
	noErr(t, "CreateClient in b", s.CreateClient(ctx, newClient(b.ID, "client0")))
	pages := pageThrough(t, 3, clientID, func(p store.Page) ([]store.Client, string, error) {
		return s.ListClients(ctx, a.ID, p)
	})
	if d := cmp.Diff([][]string{{"client1", "client2", "client3"}, {"client4"}}, pages); d != "" {
		t.Errorf("ListClients(a) pages (-want +got):\n%s", d)
	}
	clients, next, err := s.ListClients(ctx, b.ID, store.Page{})
	noErr(t, "ListClients(b)", err)
	if d := cmp.Diff([]string{"client0"}, keys(clients, clientID)); d != "" || next != "" {
		t.Errorf("ListClients(b) next %q (-want +got):\n%s", next, d)
	}

	// Removing the secret must really remove it.
	updated, err := s.UpdateClient(ctx, c.ID, func(c *store.Client) error {
		c.Name = "renamed"
		c.SecretHash, c.SecretSealed = nil, nil
		return nil
	})
	noErr(t, "UpdateClient", err)
	want := c
	want.Name, want.SecretHash, want.SecretSealed = "renamed", nil, nil
	if d := diff(want, updated); d != "" {
		t.Errorf("UpdateClient result (-want +got):\n%s", d)
	}
	got, err = s.GetClient(ctx, c.ID)
	noErr(t, "GetClient after update", err)
	if d := diff(want, got); d != "" {
		t.Errorf("GetClient after update (-want +got):\n%s", d)
	}
	_, err = s.UpdateClient(ctx, "client9", func(*store.Client) error { return nil })
	wantErr(t, "UpdateClient(missing)", err, store.ErrNotFound)

	noErr(t, "DeleteClient", s.DeleteClient(ctx, c.ID))
	_, err = s.GetClient(ctx, c.ID)
	wantErr(t, "GetClient after delete", err, store.ErrNotFound)
	wantErr(t, "DeleteClient(again)", s.DeleteClient(ctx, c.ID), store.ErrNotFound)
	// The id is free again, in any pool.
	noErr(t, "CreateClient(reused id)", s.CreateClient(ctx, newClient(b.ID, c.ID)))
}

func newDomain(poolID, domain string) store.Domain {
	return store.Domain{Domain: domain, PoolID: poolID, Settings: []byte(`{"Version":"1"}`), CreatedAt: t0, UpdatedAt: t0}
}

func testDomainCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	b := mustPool(t, s, "pool-b")

	d := newDomain(a.ID, "auth-a")
	noErr(t, "CreateDomain", s.CreateDomain(ctx, d))
	got, err := s.GetDomain(ctx, d.Domain)
	noErr(t, "GetDomain", err)
	if df := diff(d, got); df != "" {
		t.Errorf("GetDomain (-want +got):\n%s", df)
	}
	got, err = s.GetPoolDomain(ctx, a.ID)
	noErr(t, "GetPoolDomain", err)
	if df := diff(d, got); df != "" {
		t.Errorf("GetPoolDomain (-want +got):\n%s", df)
	}
	_, err = s.GetPoolDomain(ctx, b.ID)
	wantErr(t, "GetPoolDomain(no domain)", err, store.ErrNotFound)
	_, err = s.GetDomain(ctx, "auth-missing")
	wantErr(t, "GetDomain(missing)", err, store.ErrNotFound)

	wantErr(t, "CreateDomain(name taken by another pool)", s.CreateDomain(ctx, newDomain(b.ID, d.Domain)), store.ErrAlreadyExists)
	wantErr(t, "CreateDomain(pool already has one)", s.CreateDomain(ctx, newDomain(a.ID, "auth-a2")), store.ErrAlreadyExists)
	wantErr(t, "CreateDomain(missing pool)", s.CreateDomain(ctx, newDomain("pool-missing", "auth-x")), store.ErrNotFound)
	_, err = s.GetDomain(ctx, "auth-a2")
	wantErr(t, "GetDomain(rejected)", err, store.ErrNotFound)

	later := t0.Add(5 * time.Second)
	updated, err := s.UpdateDomain(ctx, d.Domain, func(d *store.Domain) error {
		d.Settings = []byte(`{"Version":"2"}`)
		d.UpdatedAt = later
		return nil
	})
	noErr(t, "UpdateDomain", err)
	want := d
	want.Settings, want.UpdatedAt = []byte(`{"Version":"2"}`), later
	if df := diff(want, updated); df != "" {
		t.Errorf("UpdateDomain result (-want +got):\n%s", df)
	}
	got, err = s.GetDomain(ctx, d.Domain)
	noErr(t, "GetDomain after update", err)
	if df := diff(want, got); df != "" {
		t.Errorf("GetDomain after update (-want +got):\n%s", df)
	}
	_, err = s.UpdateDomain(ctx, "auth-missing", func(*store.Domain) error { return nil })
	wantErr(t, "UpdateDomain(missing)", err, store.ErrNotFound)

	noErr(t, "DeleteDomain", s.DeleteDomain(ctx, d.Domain))
	_, err = s.GetPoolDomain(ctx, a.ID)
	wantErr(t, "GetPoolDomain after delete", err, store.ErrNotFound)
	wantErr(t, "DeleteDomain(again)", s.DeleteDomain(ctx, d.Domain), store.ErrNotFound)
	// Both the name and pool a's slot are free again.
	noErr(t, "CreateDomain(name reused by b)", s.CreateDomain(ctx, newDomain(b.ID, d.Domain)))
	noErr(t, "CreateDomain(a gets another)", s.CreateDomain(ctx, newDomain(a.ID, "auth-a2")))
}

func testResourceServerCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	b := mustPool(t, s, "pool-b")

	rs := store.ResourceServer{
		PoolID:     a.ID,
		Identifier: "https://api.example.com",
		Name:       "API",
		Scopes: []store.Scope{
			{Name: "write", Description: "Write things"},
			{Name: "read", Description: "Read \"things\" é"},
		},
	}
	noErr(t, "CreateResourceServer", s.CreateResourceServer(ctx, rs))
	got, err := s.GetResourceServer(ctx, a.ID, rs.Identifier)
	noErr(t, "GetResourceServer", err)
	if d := diff(rs, got); d != "" {
		t.Errorf("GetResourceServer (-want +got):\n%s", d)
	}
	_, err = s.GetResourceServer(ctx, b.ID, rs.Identifier)
	wantErr(t, "GetResourceServer(other pool)", err, store.ErrNotFound)

	wantErr(t, "CreateResourceServer(duplicate)", s.CreateResourceServer(ctx, rs), store.ErrAlreadyExists)
	other := rs
	other.PoolID = b.ID
	noErr(t, "CreateResourceServer(same identifier, other pool)", s.CreateResourceServer(ctx, other))
	missing := rs
	missing.PoolID = "pool-missing"
	wantErr(t, "CreateResourceServer(missing pool)", s.CreateResourceServer(ctx, missing), store.ErrNotFound)

	updated, err := s.UpdateResourceServer(ctx, a.ID, rs.Identifier, func(rs *store.ResourceServer) error {
		rs.Name = "API v2"
		rs.Scopes = append(rs.Scopes[:1], store.Scope{Name: "admin", Description: "Everything"})
		return nil
	})
	noErr(t, "UpdateResourceServer", err)
	want := rs
	want.Name = "API v2"
	want.Scopes = []store.Scope{{Name: "write", Description: "Write things"}, {Name: "admin", Description: "Everything"}}
	if d := diff(want, updated); d != "" {
		t.Errorf("UpdateResourceServer result (-want +got):\n%s", d)
	}
	got, err = s.GetResourceServer(ctx, a.ID, rs.Identifier)
	noErr(t, "GetResourceServer after update", err)
	if d := diff(want, got); d != "" {
		t.Errorf("GetResourceServer after update (-want +got):\n%s", d)
	}
	// No scopes at all is a valid resource server.
	updated, err = s.UpdateResourceServer(ctx, a.ID, rs.Identifier, func(rs *store.ResourceServer) error {
		rs.Scopes = nil
		return nil
	})
	noErr(t, "UpdateResourceServer(no scopes)", err)
	if len(updated.Scopes) != 0 {
		t.Errorf("UpdateResourceServer(no scopes) = %v", updated.Scopes)
	}
	_, err = s.UpdateResourceServer(ctx, a.ID, "missing", func(*store.ResourceServer) error { return nil })
	wantErr(t, "UpdateResourceServer(missing)", err, store.ErrNotFound)

	for i := range 4 {
		noErr(t, "CreateResourceServer", s.CreateResourceServer(ctx, store.ResourceServer{
			PoolID: a.ID, Identifier: fmt.Sprintf("urn:api:%d", i), Name: "n",
		}))
	}
	pages := pageThrough(t, 2, rsID, func(p store.Page) ([]store.ResourceServer, string, error) {
		return s.ListResourceServers(ctx, a.ID, p)
	})
	wantPages := [][]string{{"https://api.example.com", "urn:api:0"}, {"urn:api:1", "urn:api:2"}, {"urn:api:3"}}
	if d := cmp.Diff(wantPages, pages); d != "" {
		t.Errorf("ListResourceServers pages (-want +got):\n%s", d)
	}

	noErr(t, "DeleteResourceServer", s.DeleteResourceServer(ctx, a.ID, rs.Identifier))
	_, err = s.GetResourceServer(ctx, a.ID, rs.Identifier)
	wantErr(t, "GetResourceServer after delete", err, store.ErrNotFound)
	wantErr(t, "DeleteResourceServer(again)", s.DeleteResourceServer(ctx, a.ID, rs.Identifier), store.ErrNotFound)
	_, err = s.GetResourceServer(ctx, b.ID, rs.Identifier)
	noErr(t, "GetResourceServer(other pool's copy survives)", err)
}

func testDeletePoolCascades(t *testing.T, s store.Store) {
	ctx := t.Context()
	// Two pools with the same content: deleting one must leave the other
	// whole.
	fill := func(poolID string) store.User {
		mustPool(t, s, poolID)
		noErr(t, "CreateClient", s.CreateClient(ctx, newClient(poolID, "client-"+poolID)))
		noErr(t, "CreateDomain", s.CreateDomain(ctx, newDomain(poolID, "auth-"+poolID)))
		noErr(t, "CreateResourceServer", s.CreateResourceServer(ctx, store.ResourceServer{
			PoolID: poolID, Identifier: "api", Name: "API", Scopes: []store.Scope{{Name: "read"}},
		}))
		mustGroup(t, s, newGroup(poolID, "admins"))
		u := newUser(poolID, "alice", attr("email", "alice@example.com"))
		u.AliasEmail = "alice@example.com"
		mustUser(t, s, u)
		mustUser(t, s, newUser(poolID, "bob"))
		noErr(t, "AddUserToGroup", s.AddUserToGroup(ctx, poolID, "admins", u.Sub))
		return u
	}
	alice := fill("pool-a")
	fill("pool-b")

	noErr(t, "DeletePool", s.DeletePool(ctx, "pool-a"))

	_, err := s.GetPool(ctx, "pool-a")
	wantErr(t, "GetPool", err, store.ErrNotFound)
	_, err = s.GetClient(ctx, "client-pool-a")
	wantErr(t, "GetClient", err, store.ErrNotFound)
	_, err = s.GetDomain(ctx, "auth-pool-a")
	wantErr(t, "GetDomain", err, store.ErrNotFound)
	_, err = s.GetResourceServer(ctx, "pool-a", "api")
	wantErr(t, "GetResourceServer", err, store.ErrNotFound)
	_, err = s.GetGroup(ctx, "pool-a", "admins")
	wantErr(t, "GetGroup", err, store.ErrNotFound)
	_, err = s.GetUserBySub(ctx, "pool-a", alice.Sub)
	wantErr(t, "GetUserBySub", err, store.ErrNotFound)
	_, err = s.GetUserByAlias(ctx, "pool-a", store.AliasEmail, "alice@example.com")
	wantErr(t, "GetUserByAlias", err, store.ErrNotFound)
	n, err := s.CountUsers(ctx, "pool-a")
	noErr(t, "CountUsers", err)
	if n != 0 {
		t.Errorf("CountUsers after delete = %d", n)
	}
	for what, list := range map[string]func() (int, error){
		"ListClients": func() (int, error) { l, _, err := s.ListClients(ctx, "pool-a", store.Page{}); return len(l), err },
		"ListResourceServers": func() (int, error) {
			l, _, err := s.ListResourceServers(ctx, "pool-a", store.Page{})
			return len(l), err
		},
		"ListGroups": func() (int, error) { l, _, err := s.ListGroups(ctx, "pool-a", store.Page{}); return len(l), err },
		"ListUsers":  func() (int, error) { l, _, err := s.ListUsers(ctx, "pool-a", nil, store.Page{}); return len(l), err },
		"ListGroupsForUser": func() (int, error) {
			l, _, err := s.ListGroupsForUser(ctx, "pool-a", alice.Sub, store.Page{})
			return len(l), err
		},
		"ListUsersInGroup": func() (int, error) {
			l, _, err := s.ListUsersInGroup(ctx, "pool-a", "admins", store.Page{})
			return len(l), err
		},
	} {
		n, err := list()
		if err != nil && !errorsIsNotFound(err) {
			t.Errorf("%s after delete: %v", what, err)
		} else if n != 0 {
			t.Errorf("%s after delete: %d records left", what, n)
		}
	}

	// The other pool is untouched.
	n, err = s.CountUsers(ctx, "pool-b")
	noErr(t, "CountUsers(pool-b)", err)
	if n != 2 {
		t.Errorf("CountUsers(pool-b) = %d, want 2", n)
	}
	groups, _, err := s.ListGroupsForUser(ctx, "pool-b", "sub-pool-b-alice", store.Page{})
	noErr(t, "ListGroupsForUser(pool-b)", err)
	if len(groups) != 1 {
		t.Errorf("ListGroupsForUser(pool-b) = %d groups, want 1", len(groups))
	}
	_, err = s.GetDomain(ctx, "auth-pool-b")
	noErr(t, "GetDomain(pool-b)", err)

	// Nothing of pool-a lingers in a unique index: recreating it all works.
	fill("pool-a")
}
