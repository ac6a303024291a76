package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/store"
)

func testUserCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	b := mustPool(t, s, "pool-b")

	// Attributes in no particular order, with a repeated-looking value and
	// characters that need quoting: the order and bytes must survive.
	u := newUser(a.ID, "Alice",
		attr("email", "alice@example.com"),
		attr("custom:zeta", "z"),
		attr("address", `{"street":"1 Main St","note":"a \"quote\", 'apostrophe' & <tag>"}`),
		attr("email_verified", "true"),
		attr("custom:alpha", ""),
		attr("given_name", "Alice 🚀 Ünïcode"),
		attr("phone_number", "+15555550100"),
		attr("preferred_username", "ally"),
	)
	u.AliasEmail = "alice@example.com"
	u.AliasPhone = "+15555550100"
	u.AliasPreferredUsername = "ally"
	u.Status = "FORCE_CHANGE_PASSWORD"
	mustUser(t, s, u)

	check := func(what string, got store.User, err error, want store.User) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", what, err)
			return
		}
		if d := diff(want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", what, d)
		}
	}
	got, err := s.GetUser(ctx, a.ID, "alice")
	check("GetUser", got, err, u)
	got, err = s.GetUserBySub(ctx, a.ID, u.Sub)
	check("GetUserBySub", got, err, u)
	got, err = s.GetUserByAlias(ctx, a.ID, store.AliasEmail, "alice@example.com")
	check("GetUserByAlias(email)", got, err, u)
	got, err = s.GetUserByAlias(ctx, a.ID, store.AliasPhone, "+15555550100")
	check("GetUserByAlias(phone)", got, err, u)
	got, err = s.GetUserByAlias(ctx, a.ID, store.AliasPreferredUsername, "ally")
	check("GetUserByAlias(preferred_username)", got, err, u)

	// Lookups are by the normalised key, exactly, and within the pool.
	_, err = s.GetUser(ctx, a.ID, "Alice")
	wantErr(t, "GetUser(not the key)", err, store.ErrNotFound)
	_, err = s.GetUser(ctx, b.ID, "alice")
	wantErr(t, "GetUser(other pool)", err, store.ErrNotFound)
	_, err = s.GetUserBySub(ctx, b.ID, u.Sub)
	wantErr(t, "GetUserBySub(other pool)", err, store.ErrNotFound)
	_, err = s.GetUserByAlias(ctx, b.ID, store.AliasEmail, "alice@example.com")
	wantErr(t, "GetUserByAlias(other pool)", err, store.ErrNotFound)
	_, err = s.GetUserByAlias(ctx, a.ID, store.AliasPhone, "alice@example.com")
	wantErr(t, "GetUserByAlias(wrong kind)", err, store.ErrNotFound)
	wantErr(t, "CreateUser(missing pool)", s.CreateUser(ctx, newUser("pool-missing", "x")), store.ErrNotFound)

	// A user without aliases or attributes beyond sub, without a password.
	plain := newUser(a.ID, "plain")
	plain.Attributes = nil
	plain.PasswordHash = ""
	plain.PasswordUpdatedAt = time.Time{}
	plain.Enabled = false
	mustUser(t, s, plain)
	got, err = s.GetUser(ctx, a.ID, "plain")
	check("GetUser(plain)", got, err, plain)
	// The empty alias is "no alias": it finds nobody, although plain has it.
	_, err = s.GetUserByAlias(ctx, a.ID, store.AliasEmail, "")
	wantErr(t, "GetUserByAlias(empty)", err, store.ErrNotFound)

	later := t0.Add(time.Hour)
	updated, err := s.UpdateUser(ctx, a.ID, u.Sub, func(u *store.User) error {
		// Reorder, drop, change and add attributes.
		u.Attributes = []store.Attribute{
			attr("sub", u.Sub),
			attr("given_name", "Alicia"),
			attr("email", "alicia@example.com"),
			attr("custom:new", "1"),
		}
		u.AliasEmail = "alicia@example.com"
		u.AliasPhone = ""
		u.Status = "CONFIRMED"
		u.Enabled = false
		u.PasswordHash = "$argon2id$new"
		u.PasswordUpdatedAt = later
		u.UpdatedAt = later
		return nil
	})
	want := u
	want.Attributes = []store.Attribute{
		attr("sub", u.Sub), attr("given_name", "Alicia"), attr("email", "alicia@example.com"), attr("custom:new", "1"),
	}
	want.AliasEmail, want.AliasPhone = "alicia@example.com", ""
	want.Status, want.Enabled, want.PasswordHash = "CONFIRMED", false, "$argon2id$new"
	want.PasswordUpdatedAt, want.UpdatedAt = later, later
	check("UpdateUser result", updated, err, want)
	got, err = s.GetUserBySub(ctx, a.ID, u.Sub)
	check("GetUserBySub after update", got, err, want)
	got, err = s.GetUserByAlias(ctx, a.ID, store.AliasEmail, "alicia@example.com")
	check("GetUserByAlias(new email)", got, err, want)
	_, err = s.GetUserByAlias(ctx, a.ID, store.AliasEmail, "alice@example.com")
	wantErr(t, "GetUserByAlias(old email)", err, store.ErrNotFound)
	_, err = s.GetUserByAlias(ctx, a.ID, store.AliasPhone, "+15555550100")
	wantErr(t, "GetUserByAlias(removed phone)", err, store.ErrNotFound)

	called := false
	_, err = s.UpdateUser(ctx, a.ID, "sub-missing", func(*store.User) error { called = true; return nil })
	wantErr(t, "UpdateUser(missing)", err, store.ErrNotFound)
	_, err = s.UpdateUser(ctx, b.ID, u.Sub, func(*store.User) error { called = true; return nil })
	wantErr(t, "UpdateUser(other pool)", err, store.ErrNotFound)
	if called {
		t.Error("UpdateUser(missing) called fn")
	}

	// Listing without a filter: ordered by username key in byte order.
	for _, name := range []string{"dave", "Bob", "carol", "erin"} {
		mustUser(t, s, newUser(a.ID, name))
	}
	zed := newUser(a.ID, "Zed")
	zed.UsernameKey = "Zed" // a case-sensitive pool keeps the case
	mustUser(t, s, zed)
	mustUser(t, s, newUser(b.ID, "frank"))
	pages := pageThrough(t, 3, usernameKey, func(p store.Page) ([]store.User, string, error) {
		return s.ListUsers(ctx, a.ID, nil, p)
	})
	wantPages := [][]string{{"Zed", "alice", "bob"}, {"carol", "dave", "erin"}, {"plain"}}
	if d := cmp.Diff(wantPages, pages); d != "" {
		t.Errorf("ListUsers pages (-want +got):\n%s", d)
	}
	users, _, err := s.ListUsers(ctx, a.ID, nil, store.Page{Limit: 2})
	noErr(t, "ListUsers", err)
	if len(users) != 2 {
		t.Fatalf("ListUsers(limit 2) = %d users", len(users))
	}
	if d := diff(want, users[1]); d != "" {
		t.Errorf("ListUsers returns whole users (-want +got):\n%s", d)
	}

	noErr(t, "DeleteUser", s.DeleteUser(ctx, a.ID, u.Sub))
	_, err = s.GetUserBySub(ctx, a.ID, u.Sub)
	wantErr(t, "GetUserBySub after delete", err, store.ErrNotFound)
	_, err = s.GetUserByAlias(ctx, a.ID, store.AliasEmail, "alicia@example.com")
	wantErr(t, "GetUserByAlias after delete", err, store.ErrNotFound)
	wantErr(t, "DeleteUser(again)", s.DeleteUser(ctx, a.ID, u.Sub), store.ErrNotFound)
	wantErr(t, "DeleteUser(other pool)", s.DeleteUser(ctx, b.ID, zed.Sub), store.ErrNotFound)
	// Its username, sub and aliases are free again.
	mustUser(t, s, u)
}

func testUsernameUniquePerPool(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	b := mustPool(t, s, "pool-b")

	first := mustUser(t, s, newUser(a.ID, "alice"))
	// Another user (new sub) whose key is the same: the key, not the
	// username as typed, is what must be unique.
	dup := newUser(a.ID, "ALICE")
	dup.Sub = "sub-other"
	dup.Attributes = []store.Attribute{attr("sub", dup.Sub)}
	wantConflict(t, "CreateUser(same key)", s.CreateUser(ctx, dup), "username")
	_, err := s.GetUserBySub(ctx, a.ID, dup.Sub)
	wantErr(t, "GetUserBySub(rejected user)", err, store.ErrNotFound)

	// The same sub under another username is a conflict on sub.
	sameSub := newUser(a.ID, "alice2")
	sameSub.Sub = first.Sub
	wantConflict(t, "CreateUser(same sub)", s.CreateUser(ctx, sameSub), "sub")

	// The same username (and sub) in another pool is another user.
	other := newUser(b.ID, "alice")
	other.Sub = first.Sub
	noErr(t, "CreateUser(other pool)", s.CreateUser(ctx, other))

	// Renaming into a taken key conflicts too, and changes nothing.
	bob := mustUser(t, s, newUser(a.ID, "bob"))
	_, err = s.UpdateUser(ctx, a.ID, bob.Sub, func(u *store.User) error {
		u.Username, u.UsernameKey = "alice", "alice"
		u.Status = "CHANGED"
		return nil
	})
	wantConflict(t, "UpdateUser(taken key)", err, "username")
	got, err := s.GetUserBySub(ctx, a.ID, bob.Sub)
	noErr(t, "GetUserBySub(bob)", err)
	if d := diff(bob, got); d != "" {
		t.Errorf("bob after failed update (-want +got):\n%s", d)
	}
	n, err := s.CountUsers(ctx, a.ID)
	noErr(t, "CountUsers", err)
	if n != 2 {
		t.Errorf("CountUsers = %d, want 2", n)
	}
}

func testAliasUniqueness(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	b := mustPool(t, s, "pool-b")

	for _, tc := range []struct {
		field string
		set   func(u *store.User, v string)
		value string
	}{
		{"email", func(u *store.User, v string) { u.AliasEmail = v }, "shared@example.com"},
		{"phone_number", func(u *store.User, v string) { u.AliasPhone = v }, "+15555550123"},
		{"preferred_username", func(u *store.User, v string) { u.AliasPreferredUsername = v }, "shared"},
	} {
		holder := newUser(a.ID, "holder-"+tc.field)
		tc.set(&holder, tc.value)
		mustUser(t, s, holder)

		taker := newUser(a.ID, "taker-"+tc.field)
		tc.set(&taker, tc.value)
		wantConflict(t, "CreateUser(same "+tc.field+")", s.CreateUser(ctx, taker), tc.field)
		_, err := s.GetUserBySub(ctx, a.ID, taker.Sub)
		wantErr(t, "GetUserBySub(rejected "+tc.field+")", err, store.ErrNotFound)

		// Another pool has its own aliases.
		elsewhere := newUser(b.ID, "holder-"+tc.field)
		tc.set(&elsewhere, tc.value)
		noErr(t, "CreateUser(same "+tc.field+", other pool)", s.CreateUser(ctx, elsewhere))

		// Taking the alias by update conflicts and leaves the user as it was.
		taker = mustUser(t, s, newUser(a.ID, "taker-"+tc.field))
		_, err = s.UpdateUser(ctx, a.ID, taker.Sub, func(u *store.User) error {
			tc.set(u, tc.value)
			u.Status = "CHANGED"
			u.Attributes = append(u.Attributes, attr("custom:changed", "yes"))
			return nil
		})
		wantConflict(t, "UpdateUser(take "+tc.field+")", err, tc.field)
		got, err := s.GetUserBySub(ctx, a.ID, taker.Sub)
		noErr(t, "GetUserBySub(taker)", err)
		if d := diff(taker, got); d != "" {
			t.Errorf("taker after failed update of %s (-want +got):\n%s", tc.field, d)
		}
		got, err = s.GetUserByAlias(ctx, a.ID, aliasKind(tc.field), tc.value)
		noErr(t, "GetUserByAlias", err)
		if got.Sub != holder.Sub {
			t.Errorf("GetUserByAlias(%s) = %q, want the holder %q", tc.field, got.Sub, holder.Sub)
		}

		// Once the holder lets go, the alias can be taken.
		_, err = s.UpdateUser(ctx, a.ID, holder.Sub, func(u *store.User) error { tc.set(u, ""); return nil })
		noErr(t, "UpdateUser(release "+tc.field+")", err)
		_, err = s.UpdateUser(ctx, a.ID, taker.Sub, func(u *store.User) error { tc.set(u, tc.value); return nil })
		noErr(t, "UpdateUser(take released "+tc.field+")", err)
		got, err = s.GetUserByAlias(ctx, a.ID, aliasKind(tc.field), tc.value)
		noErr(t, "GetUserByAlias after handover", err)
		if got.Sub != taker.Sub {
			t.Errorf("GetUserByAlias(%s) after handover = %q, want %q", tc.field, got.Sub, taker.Sub)
		}
	}

	// Empty aliases never conflict: many users have none.
	for i := range 3 {
		mustUser(t, s, newUser(a.ID, fmt.Sprintf("noalias%d", i)))
	}
	// A user keeping its own alias through an update is no conflict.
	self := newUser(a.ID, "self")
	self.AliasEmail = "self@example.com"
	mustUser(t, s, self)
	_, err := s.UpdateUser(ctx, a.ID, self.Sub, func(u *store.User) error { u.Status = "CONFIRMED"; return nil })
	noErr(t, "UpdateUser(keep own alias)", err)
	// Different kinds of alias with the same value do not collide.
	cross := newUser(a.ID, "cross")
	cross.AliasPreferredUsername = "self@example.com"
	noErr(t, "CreateUser(same value, other alias kind)", s.CreateUser(ctx, cross))
}

func aliasKind(field string) store.AliasKind {
	switch field {
	case "email":
		return store.AliasEmail
	case "phone_number":
		return store.AliasPhone
	default:
		return store.AliasPreferredUsername
	}
}

func testListUsersFilter(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	b := mustPool(t, s, "pool-b")

	add := func(poolID, username, status string, enabled bool, attrs ...store.Attribute) {
		u := newUser(poolID, username, attrs...)
		u.Status, u.Enabled = status, enabled
		mustUser(t, s, u)
	}
	add(a.ID, "alice", "CONFIRMED", true, attr("email", "alice@example.com"), attr("given_name", "Alice"), attr("custom:code", "a%b"))
	add(a.ID, "albert", "CONFIRMED", false, attr("email", "albert@example.com"), attr("custom:code", "a_b"))
	add(a.ID, "bob", "UNCONFIRMED", true, attr("email", "bob@example.com"), attr("custom:code", "axb"), attr("given_name", "¿Qué?"))
	add(a.ID, "carol", "FORCE_CHANGE_PASSWORD", true, attr("custom:code", "A%b"), attr("given_name", "Élodie"))
	add(a.ID, "dave", "RESET_REQUIRED", false, attr("email", "dave@example.org"), attr("given_name", "Eve"))
	add(a.ID, "al_x", "CONFIRMED", true, attr("custom:code", "a%"))
	// Another pool with lookalikes that must never show up.
	add(b.ID, "alice", "CONFIRMED", true, attr("email", "alice@example.com"), attr("custom:code", "a%b"))

	for _, tc := range []struct {
		name   string
		filter store.UserFilter
		want   []string
	}{
		{"email equals", store.UserFilter{Field: "email", Value: "bob@example.com"}, []string{"bob"}},
		{"email equals nobody", store.UserFilter{Field: "email", Value: "BOB@example.com"}, nil},
		{"email prefix", store.UserFilter{Field: "email", Value: "al", Prefix: true}, []string{"albert", "alice"}},
		{"email prefix is case-sensitive", store.UserFilter{Field: "email", Value: "Al", Prefix: true}, nil},
		{"email suffix is not a prefix", store.UserFilter{Field: "email", Value: "example.com", Prefix: true}, nil},
		{"empty prefix: everyone with the attribute", store.UserFilter{Field: "email", Prefix: true}, []string{"albert", "alice", "bob", "dave"}},
		{"% is literal in a prefix", store.UserFilter{Field: "custom:code", Value: "a%", Prefix: true}, []string{"al_x", "alice"}},
		{"_ is literal in a prefix", store.UserFilter{Field: "custom:code", Value: "a_", Prefix: true}, []string{"albert"}},
		{"% is literal in equality", store.UserFilter{Field: "custom:code", Value: "a%"}, []string{"al_x"}},
		{"prefix", store.UserFilter{Field: "custom:code", Value: "a", Prefix: true}, []string{"al_x", "albert", "alice", "bob"}},
		{"multi-byte prefix", store.UserFilter{Field: "given_name", Value: "É", Prefix: true}, []string{"carol"}},
		// "¿" ends in the byte 0xbf: a backend computing the end of the
		// prefix range by incrementing bytes must cope with the result not
		// being UTF-8.
		{"prefix ending in a continuation byte", store.UserFilter{Field: "given_name", Value: "¿", Prefix: true}, []string{"bob"}},
		{"ascii is not its accented letter", store.UserFilter{Field: "given_name", Value: "E", Prefix: true}, []string{"dave"}},
		{"attribute nobody has", store.UserFilter{Field: "family_name", Value: "x"}, nil},
		{"sub", store.UserFilter{Field: "sub", Value: "sub-pool-a-bob"}, []string{"bob"}},
		{"sub prefix", store.UserFilter{Field: "sub", Value: "sub-pool-a-al", Prefix: true}, []string{"al_x", "albert", "alice"}},
		{"username equals", store.UserFilter{Field: store.FieldUsername, Value: "alice"}, []string{"alice"}},
		{"username prefix", store.UserFilter{Field: store.FieldUsername, Value: "al", Prefix: true}, []string{"al_x", "albert", "alice"}},
		{"username prefix with _", store.UserFilter{Field: store.FieldUsername, Value: "al_", Prefix: true}, []string{"al_x"}},
		{"status equals", store.UserFilter{Field: store.FieldStatus, Value: "CONFIRMED"}, []string{"al_x", "albert", "alice"}},
		{"status prefix", store.UserFilter{Field: store.FieldStatus, Value: "RESET", Prefix: true}, []string{"dave"}},
		{"status matches no attribute", store.UserFilter{Field: store.FieldStatus, Value: "UNCONFIRMED"}, []string{"bob"}},
		{"enabled", store.UserFilter{Field: store.FieldEnabled, Value: "Enabled"}, []string{"al_x", "alice", "bob", "carol"}},
		{"disabled", store.UserFilter{Field: store.FieldEnabled, Value: "Disabled"}, []string{"albert", "dave"}},
		{"enabled prefix", store.UserFilter{Field: store.FieldEnabled, Value: "Dis", Prefix: true}, []string{"albert", "dave"}},
		{"enabled, other value", store.UserFilter{Field: store.FieldEnabled, Value: "enabled"}, nil},
	} {
		f := tc.filter
		users, next, err := s.ListUsers(ctx, a.ID, &f, store.Page{})
		if err != nil {
			t.Errorf("%s: ListUsers(%+v): %v", tc.name, f, err)
			continue
		}
		if d := cmp.Diff(tc.want, keys(users, usernameKey), cmpOpts...); d != "" || next != "" {
			t.Errorf("%s: ListUsers(%+v) next %q (-want +got):\n%s", tc.name, f, next, d)
		}
	}

	// Paging with a filter: matches are interleaved with non-matching
	// users, so the page boundaries must come from matches alone.
	c := mustPool(t, s, "pool-c")
	var want []string
	for i := range 12 {
		name := fmt.Sprintf("user%02d", i)
		if i%3 == 0 {
			add(c.ID, name, "CONFIRMED", true, attr("email", name+"@other.example"))
			continue
		}
		add(c.ID, name, "CONFIRMED", true, attr("email", name+"@team.example"), attr("custom:team", "blue"))
		want = append(want, name)
	}
	pages := pageThrough(t, 3, usernameKey, func(p store.Page) ([]store.User, string, error) {
		return s.ListUsers(ctx, c.ID, &store.UserFilter{Field: "custom:team", Value: "blue"}, p)
	})
	wantPages := [][]string{want[0:3], want[3:6], want[6:8]}
	if d := cmp.Diff(wantPages, pages); d != "" {
		t.Errorf("filtered pages (-want +got):\n%s", d)
	}
	pages = pageThrough(t, 4, usernameKey, func(p store.Page) ([]store.User, string, error) {
		return s.ListUsers(ctx, c.ID, &store.UserFilter{Field: "email", Value: "user0", Prefix: true}, p)
	})
	if d := cmp.Diff([][]string{{"user00", "user01", "user02", "user03"}, {"user04", "user05", "user06", "user07"}, {"user08", "user09"}}, pages); d != "" {
		t.Errorf("filtered prefix pages (-want +got):\n%s", d)
	}
	// Filtered listings return whole users.
	users, _, err := s.ListUsers(ctx, c.ID, &store.UserFilter{Field: "email", Value: "user01@team.example"}, store.Page{})
	noErr(t, "ListUsers", err)
	wantUser := newUser(c.ID, "user01", attr("email", "user01@team.example"), attr("custom:team", "blue"))
	if len(users) != 1 {
		t.Fatalf("ListUsers(user01) = %d users", len(users))
	}
	if d := diff(wantUser, users[0]); d != "" {
		t.Errorf("filtered user (-want +got):\n%s", d)
	}
}

func testCountUsers(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	b := mustPool(t, s, "pool-b")
	count := func(poolID string, want int64) {
		t.Helper()
		n, err := s.CountUsers(ctx, poolID)
		if err != nil {
			t.Fatalf("CountUsers(%s): %v", poolID, err)
		}
		if n != want {
			t.Errorf("CountUsers(%s) = %d, want %d", poolID, n, want)
		}
	}
	count(a.ID, 0)
	var subs []string
	for i := range 5 {
		subs = append(subs, mustUser(t, s, newUser(a.ID, fmt.Sprintf("user%d", i))).Sub)
	}
	mustUser(t, s, newUser(b.ID, "other"))
	count(a.ID, 5)
	count(b.ID, 1)
	// A rejected user is not counted.
	_ = s.CreateUser(ctx, newUser(a.ID, "user0"))
	count(a.ID, 5)
	noErr(t, "DeleteUser", s.DeleteUser(ctx, a.ID, subs[0]))
	count(a.ID, 4)
}

// testUserLockoutFieldsRoundTrip checks the sign-in lockout and global
// sign-out fields: they are written by CreateUser and UpdateUser, read by
// every lookup, and zero means "never".
func testUserLockoutFieldsRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustPool(t, s, "pool-a")
	zone := time.FixedZone("ACST", 9*3600+1800)

	plain := mustUser(t, s, newUser(p.ID, "plain"))
	got, err := s.GetUserBySub(ctx, p.ID, plain.Sub)
	noErr(t, "GetUserBySub(plain)", err)
	if got.FailedSignIns != 0 || !got.LockedUntil.IsZero() || !got.SignedOutAt.IsZero() {
		t.Errorf("new user: FailedSignIns %d, LockedUntil %v, SignedOutAt %v; want 0 and zero times",
			got.FailedSignIns, got.LockedUntil, got.SignedOutAt)
	}

	locked := newUser(p.ID, "locked")
	locked.FailedSignIns = 5
	locked.LockedUntil = time.Date(2025, 3, 15, 1, 0, 0, 250_999_999, zone)
	locked.SignedOutAt = t0.Add(-time.Hour)
	mustUser(t, s, locked)
	want := locked
	want.LockedUntil = locked.LockedUntil.Truncate(time.Millisecond)
	got, err = s.GetUserBySub(ctx, p.ID, locked.Sub)
	noErr(t, "GetUserBySub(locked)", err)
	if d := diff(want, got); d != "" {
		t.Errorf("created locked user (-want +got):\n%s", d)
	}
	if got.LockedUntil.Location() != time.UTC || got.SignedOutAt.Location() != time.UTC {
		t.Errorf("LockedUntil in %v, SignedOutAt in %v; want UTC", got.LockedUntil.Location(), got.SignedOutAt.Location())
	}

	// A wrong password on an unlocked user, then the lockout.
	wrong := func(until time.Time) func(*store.User) error {
		return func(u *store.User) error {
			u.FailedSignIns++
			u.LockedUntil = until
			return nil
		}
	}
	res, err := s.UpdateUser(ctx, p.ID, plain.Sub, wrong(time.Time{}))
	noErr(t, "UpdateUser(one failure)", err)
	if res.FailedSignIns != 1 || !res.LockedUntil.IsZero() {
		t.Errorf("after one failure: FailedSignIns %d, LockedUntil %v", res.FailedSignIns, res.LockedUntil)
	}
	until := t0.Add(15 * time.Minute)
	res, err = s.UpdateUser(ctx, p.ID, plain.Sub, wrong(until))
	noErr(t, "UpdateUser(lock)", err)
	wantPlain := plain
	wantPlain.FailedSignIns, wantPlain.LockedUntil = 2, until
	if d := diff(wantPlain, res); d != "" {
		t.Errorf("UpdateUser(lock) result (-want +got):\n%s", d)
	}
	byName, err := s.GetUser(ctx, p.ID, plain.UsernameKey)
	noErr(t, "GetUser(plain)", err)
	if d := diff(wantPlain, byName); d != "" {
		t.Errorf("GetUser after lock (-want +got):\n%s", d)
	}

	// An update of something else keeps the fields.
	res, err = s.UpdateUser(ctx, p.ID, plain.Sub, func(u *store.User) error {
		u.Attributes = append(u.Attributes, attr("given_name", "Plain"))
		return nil
	})
	noErr(t, "UpdateUser(attribute)", err)
	if res.FailedSignIns != 2 || !res.LockedUntil.Equal(until) {
		t.Errorf("after an unrelated update: FailedSignIns %d, LockedUntil %v", res.FailedSignIns, res.LockedUntil)
	}

	// A successful sign-in clears the lockout; a global sign-out sets the
	// watermark.
	signedOut := t0.Add(20 * time.Minute)
	_, err = s.UpdateUser(ctx, p.ID, plain.Sub, func(u *store.User) error {
		u.FailedSignIns, u.LockedUntil, u.SignedOutAt = 0, time.Time{}, signedOut
		return nil
	})
	noErr(t, "UpdateUser(clear)", err)
	users, _, err := s.ListUsers(ctx, p.ID, &store.UserFilter{Field: store.FieldUsername, Value: plain.UsernameKey}, store.Page{})
	noErr(t, "ListUsers", err)
	if len(users) != 1 {
		t.Fatalf("ListUsers(plain) = %d users", len(users))
	}
	if u := users[0]; u.FailedSignIns != 0 || !u.LockedUntil.IsZero() || !u.SignedOutAt.Equal(signedOut) {
		t.Errorf("listed after clear: FailedSignIns %d, LockedUntil %v, SignedOutAt %v; want 0, zero, %v",
			u.FailedSignIns, u.LockedUntil, u.SignedOutAt, signedOut)
	}
	// And the other user's fields were never touched.
	got, err = s.GetUserBySub(ctx, p.ID, locked.Sub)
	noErr(t, "GetUserBySub(locked) at the end", err)
	if d := diff(want, got); d != "" {
		t.Errorf("locked user at the end (-want +got):\n%s", d)
	}
}

// testClearSignInFailures checks the one-statement reset of the lockout
// counters: it clears FailedSignIns and LockedUntil of that user only,
// leaves every other field as it was, and refuses a user that is not
// there.
func testClearSignInFailures(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustPool(t, s, "pool-a")
	u := newUser(p.ID, "counted")
	u.FailedSignIns = 6
	u.LockedUntil = t0.Add(2 * time.Minute)
	u.SignedOutAt = t0.Add(-time.Hour)
	u.Attributes = append(u.Attributes, attr("given_name", "Counted"))
	mustUser(t, s, u)
	other := newUser(p.ID, "other")
	other.FailedSignIns = 3
	other.LockedUntil = t0
	mustUser(t, s, other)
	wantOther, err := s.GetUserBySub(ctx, p.ID, other.Sub)
	noErr(t, "GetUserBySub(other)", err)
	before, err := s.GetUserBySub(ctx, p.ID, u.Sub)
	noErr(t, "GetUserBySub(counted)", err)

	noErr(t, "ClearSignInFailures", s.ClearSignInFailures(ctx, p.ID, u.Sub))
	got, err := s.GetUserBySub(ctx, p.ID, u.Sub)
	noErr(t, "GetUserBySub after clear", err)
	want := before
	want.FailedSignIns, want.LockedUntil = 0, time.Time{}
	if d := diff(want, got); d != "" {
		t.Errorf("after ClearSignInFailures (-want +got):\n%s", d)
	}
	if got, err := s.GetUserBySub(ctx, p.ID, other.Sub); err != nil || diff(wantOther, got) != "" {
		t.Errorf("the other user changed: %v (-want +got):\n%s", err, diff(wantOther, got))
	}
	// Clearing what is already clear is no error.
	noErr(t, "ClearSignInFailures again", s.ClearSignInFailures(ctx, p.ID, u.Sub))

	if err := s.ClearSignInFailures(ctx, p.ID, "no-such-sub"); !errorsIsNotFound(err) {
		t.Errorf("ClearSignInFailures(unknown sub) = %v, want ErrNotFound", err)
	}
	if err := s.ClearSignInFailures(ctx, "us-east-1_NoSuchPool", u.Sub); !errorsIsNotFound(err) {
		t.Errorf("ClearSignInFailures(unknown pool) = %v, want ErrNotFound", err)
	}
}
