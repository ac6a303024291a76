package storetest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/store"
)

func testGroupCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	b := mustPool(t, s, "pool-b")

	g := newGroup(a.ID, "admins")
	g.RoleARN = "arn:aws:iam::123456789012:role/admin"
	g.Precedence = ptr(int64(0)) // zero is a precedence, not "unset"
	mustGroup(t, s, g)
	plain := mustGroup(t, s, newGroup(a.ID, "readers")) // Precedence nil

	for _, want := range []store.Group{g, plain} {
		got, err := s.GetGroup(ctx, a.ID, want.Name)
		noErr(t, "GetGroup", err)
		if d := diff(want, got); d != "" {
			t.Errorf("GetGroup(%q) (-want +got):\n%s", want.Name, d)
		}
	}
	_, err := s.GetGroup(ctx, b.ID, g.Name)
	wantErr(t, "GetGroup(other pool)", err, store.ErrNotFound)
	wantErr(t, "CreateGroup(duplicate)", s.CreateGroup(ctx, newGroup(a.ID, g.Name)), store.ErrAlreadyExists)
	noErr(t, "CreateGroup(same name, other pool)", s.CreateGroup(ctx, newGroup(b.ID, g.Name)))
	wantErr(t, "CreateGroup(missing pool)", s.CreateGroup(ctx, newGroup("pool-missing", "x")), store.ErrNotFound)

	updated, err := s.UpdateGroup(ctx, a.ID, g.Name, func(g *store.Group) error {
		g.Description = "changed"
		g.Precedence = nil
		return nil
	})
	noErr(t, "UpdateGroup", err)
	want := g
	want.Description, want.Precedence = "changed", nil
	if d := diff(want, updated); d != "" {
		t.Errorf("UpdateGroup result (-want +got):\n%s", d)
	}
	got, err := s.GetGroup(ctx, a.ID, g.Name)
	noErr(t, "GetGroup after update", err)
	if d := diff(want, got); d != "" {
		t.Errorf("GetGroup after update (-want +got):\n%s", d)
	}
	updated, err = s.UpdateGroup(ctx, a.ID, plain.Name, func(g *store.Group) error {
		g.Precedence = ptr(int64(7))
		return nil
	})
	noErr(t, "UpdateGroup(set precedence)", err)
	if updated.Precedence == nil || *updated.Precedence != 7 {
		t.Errorf("UpdateGroup(set precedence) = %v, want 7", updated.Precedence)
	}
	_, err = s.UpdateGroup(ctx, a.ID, "missing", func(*store.Group) error { return nil })
	wantErr(t, "UpdateGroup(missing)", err, store.ErrNotFound)

	for _, name := range []string{"editors", "Zeta", "beta"} {
		mustGroup(t, s, newGroup(a.ID, name))
	}
	pages := pageThrough(t, 2, groupName, func(p store.Page) ([]store.Group, string, error) {
		return s.ListGroups(ctx, a.ID, p)
	})
	wantPages := [][]string{{"Zeta", "admins"}, {"beta", "editors"}, {"readers"}}
	if d := cmp.Diff(wantPages, pages); d != "" {
		t.Errorf("ListGroups pages (-want +got):\n%s", d)
	}

	noErr(t, "DeleteGroup", s.DeleteGroup(ctx, a.ID, g.Name))
	_, err = s.GetGroup(ctx, a.ID, g.Name)
	wantErr(t, "GetGroup after delete", err, store.ErrNotFound)
	wantErr(t, "DeleteGroup(again)", s.DeleteGroup(ctx, a.ID, g.Name), store.ErrNotFound)
	_, err = s.GetGroup(ctx, b.ID, g.Name)
	noErr(t, "GetGroup(other pool's group survives)", err)
}

func testGroupMemberships(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	for _, name := range []string{"g3", "g1", "G2", "g4"} {
		mustGroup(t, s, newGroup(a.ID, name))
	}
	// Usernames whose keys sort differently from their subs, so a listing
	// ordered by the wrong column shows.
	alice := mustUser(t, s, newUser(a.ID, "alice"))
	zed := mustUser(t, s, newUser(a.ID, "Zed"))
	carol := mustUser(t, s, newUser(a.ID, "carol"))
	bob := mustUser(t, s, newUser(a.ID, "bob"))
	bob.Sub = "sub-0-bob" // sorts first by sub
	bob.Username, bob.UsernameKey = "bob2", "bob2"
	bob.Attributes = []store.Attribute{attr("sub", bob.Sub)}
	mustUser(t, s, bob)

	for _, g := range []string{"g1", "G2", "g3", "g4"} {
		noErr(t, "AddUserToGroup alice "+g, s.AddUserToGroup(ctx, a.ID, g, alice.Sub))
	}
	for _, u := range []store.User{zed, carol, bob} {
		noErr(t, "AddUserToGroup g1 "+u.Username, s.AddUserToGroup(ctx, a.ID, "g1", u.Sub))
	}
	noErr(t, "AddUserToGroup(twice)", s.AddUserToGroup(ctx, a.ID, "g1", alice.Sub))
	wantErr(t, "AddUserToGroup(missing group)", s.AddUserToGroup(ctx, a.ID, "nope", alice.Sub), store.ErrNotFound)
	wantErr(t, "AddUserToGroup(missing user)", s.AddUserToGroup(ctx, a.ID, "g1", "sub-nobody"), store.ErrNotFound)
	wantErr(t, "RemoveUserFromGroup(missing group)", s.RemoveUserFromGroup(ctx, a.ID, "nope", alice.Sub), store.ErrNotFound)
	wantErr(t, "RemoveUserFromGroup(missing user)", s.RemoveUserFromGroup(ctx, a.ID, "g1", "sub-nobody"), store.ErrNotFound)
	// Group names are case-sensitive: "g2" is not "G2".
	wantErr(t, "RemoveUserFromGroup(other case)", s.RemoveUserFromGroup(ctx, a.ID, "g2", carol.Sub), store.ErrNotFound)
	noErr(t, "RemoveUserFromGroup(non-member)", s.RemoveUserFromGroup(ctx, a.ID, "G2", carol.Sub))

	groupsOf := func(sub string, limit int) [][]string {
		t.Helper()
		return pageThrough(t, limit, groupName, func(p store.Page) ([]store.Group, string, error) {
			return s.ListGroupsForUser(ctx, a.ID, sub, p)
		})
	}
	membersOf := func(group string, limit int) [][]string {
		t.Helper()
		return pageThrough(t, limit, usernameKey, func(p store.Page) ([]store.User, string, error) {
			return s.ListUsersInGroup(ctx, a.ID, group, p)
		})
	}

	if d := cmp.Diff([][]string{{"G2", "g1", "g3"}, {"g4"}}, groupsOf(alice.Sub, 3)); d != "" {
		t.Errorf("ListGroupsForUser(alice) (-want +got):\n%s", d)
	}
	if d := cmp.Diff([][]string{{"g1"}}, groupsOf(carol.Sub, 3)); d != "" {
		t.Errorf("ListGroupsForUser(carol) (-want +got):\n%s", d)
	}
	if d := cmp.Diff([][]string{{"alice", "bob2"}, {"carol", "zed"}}, membersOf("g1", 2)); d != "" {
		t.Errorf("ListUsersInGroup(g1) (-want +got):\n%s", d)
	}
	// Members come back whole, attributes included.
	members, _, err := s.ListUsersInGroup(ctx, a.ID, "g1", store.Page{Limit: 1})
	noErr(t, "ListUsersInGroup", err)
	if len(members) != 1 {
		t.Fatalf("ListUsersInGroup(limit 1) = %d users", len(members))
	}
	if d := diff(alice, members[0]); d != "" {
		t.Errorf("ListUsersInGroup member (-want +got):\n%s", d)
	}

	noErr(t, "RemoveUserFromGroup", s.RemoveUserFromGroup(ctx, a.ID, "g1", carol.Sub))
	if d := cmp.Diff([][]string{{"alice", "bob2", "zed"}}, membersOf("g1", 10)); d != "" {
		t.Errorf("ListUsersInGroup after remove (-want +got):\n%s", d)
	}
	if d := cmp.Diff([][]string{nil}, groupsOf(carol.Sub, 10)); d != "" {
		t.Errorf("ListGroupsForUser(carol) after remove (-want +got):\n%s", d)
	}

	// Deleting a user ends its memberships...
	noErr(t, "DeleteUser", s.DeleteUser(ctx, a.ID, zed.Sub))
	if d := cmp.Diff([][]string{{"alice", "bob2"}}, membersOf("g1", 10)); d != "" {
		t.Errorf("ListUsersInGroup after DeleteUser (-want +got):\n%s", d)
	}
	// ...and deleting a group ends its.
	noErr(t, "DeleteGroup", s.DeleteGroup(ctx, a.ID, "g1"))
	if d := cmp.Diff([][]string{{"G2", "g3", "g4"}}, groupsOf(alice.Sub, 10)); d != "" {
		t.Errorf("ListGroupsForUser(alice) after DeleteGroup (-want +got):\n%s", d)
	}
	if d := cmp.Diff([][]string{nil}, groupsOf(bob.Sub, 10)); d != "" {
		t.Errorf("ListGroupsForUser(bob) after DeleteGroup (-want +got):\n%s", d)
	}
	// A group of the same name starts empty, and the deleted user's
	// username and sub can be used again without a stale membership.
	mustGroup(t, s, newGroup(a.ID, "g1"))
	if d := cmp.Diff([][]string{nil}, membersOf("g1", 10)); d != "" {
		t.Errorf("ListUsersInGroup(recreated g1) (-want +got):\n%s", d)
	}
	mustUser(t, s, zed)
	if d := cmp.Diff([][]string{nil}, groupsOf(zed.Sub, 10)); d != "" {
		t.Errorf("ListGroupsForUser(recreated zed) (-want +got):\n%s", d)
	}
}
