package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/userpool/userpool/internal/store"
)

// Run runs the suite. open must return an empty, migrated store that the
// suite may close; each subtest gets its own and may run in parallel with
// the others.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, s store.Store)
	}{
		{"PoolCRUD", testPoolCRUD},
		{"ClientCRUD", testClientCRUD},
		{"ClientSecrets", testClientSecrets},
		{"PoolSettings", testPoolSettings},
		{"AuthEvents", testAuthEvents},
		{"ImportJobs", testImportJobs},
		{"ImportUsers", testImportUsers},
		{"DomainCRUD", testDomainCRUD},
		{"ResourceServerCRUD", testResourceServerCRUD},
		{"IdentityProviderCRUD", testIdentityProviderCRUD},
		{"SAMLSigningKey", testSAMLSigningKey},
		{"SAMLAssertions", testSAMLAssertions},
		{"ProviderLinks", testProviderLinks},
		{"GroupCRUD", testGroupCRUD},
		{"GroupMemberships", testGroupMemberships},
		{"UserCRUD", testUserCRUD},
		{"UsernameUniquePerPool", testUsernameUniquePerPool},
		{"AliasUniqueness", testAliasUniqueness},
		{"ListUsersFilter", testListUsersFilter},
		{"CountUsers", testCountUsers},
		{"DeletePoolCascades", testDeletePoolCascades},
		{"UpdaterAbort", testUpdaterAbort},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"ConcurrentTransactions", testConcurrentTransactions},
		{"TxRollback", testTxRollback},
		{"TxNested", testTxNested},
		{"TxSurvivesFailedStatement", testTxSurvivesFailedStatement},
		{"TimezoneRoundTrip", testTimezoneRoundTrip},
		{"UserLockoutFieldsRoundTrip", testUserLockoutFieldsRoundTrip},
		{"ClearSignInFailures", testClearSignInFailures},
		{"SigningKeyCRUD", testSigningKeyCRUD},
		{"RefreshFamilyLifecycle", testRefreshFamilyLifecycle},
		{"CreateRefreshFamilies", testCreateRefreshFamilies},
		{"RefreshRotation", testRefreshRotation},
		{"RefreshRotationRace", testRefreshRotationRace},
		{"RefreshConcurrentReads", testRefreshConcurrentReads},
		{"UserAndFamily", testUserAndFamily},
		{"GarbageCollect", testGarbageCollect},
		{"RotateCollectsRotatedOut", testRotateCollectsRotatedOut},
		{"AuthCodes", testAuthCodes},
		{"Codes", testCodes},
		{"Devices", testDevices},
		{"WebAuthn", testWebAuthn},
		{"UserMFARoundTrip", testUserMFARoundTrip},
		{"PoolMFARoundTrip", testPoolMFARoundTrip},
		{"Meta", testMeta},
		{"MetaConcurrentAdd", testMetaConcurrentAdd},
		{"MetaTx", testMetaTx},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, open(t))
		})
	}
}

// t0 is the base of every time the suite writes. It has whole
// milliseconds, the precision backends promise, so records compare equal
// after a round trip.
var t0 = time.Date(2025, 3, 14, 15, 9, 26, 535_000_000, time.UTC)

// errBoom is the error callbacks return to abort.
var errBoom = errors.New("boom")

// cmpOpts treats nil and empty slices alike: whether an absent secret or
// an empty attribute list comes back as nil is not part of the contract.
var cmpOpts = []cmp.Option{cmpopts.EquateEmpty()}

func diff(want, got any) string { return cmp.Diff(want, got, cmpOpts...) }

func newPool(id string) store.Pool {
	return store.Pool{
		ID:        id,
		Name:      "pool " + id,
		Settings:  []byte(`{"MfaConfiguration":"OFF"}`),
		CreatedAt: t0,
		UpdatedAt: t0,
	}
}

func newClient(poolID, id string) store.Client {
	return store.Client{
		ID:        id,
		PoolID:    poolID,
		Name:      "client " + id,
		Settings:  []byte(`{"ExplicitAuthFlows":["ALLOW_USER_SRP_AUTH"]}`),
		CreatedAt: t0,
		UpdatedAt: t0,
	}
}

func newGroup(poolID, name string) store.Group {
	return store.Group{
		PoolID:      poolID,
		Name:        name,
		Description: "group " + name,
		CreatedAt:   t0,
		UpdatedAt:   t0,
	}
}

// newUser returns a user whose username key is the username lower-cased
// and whose sub is derived from the pool and username.
func newUser(poolID, username string, attrs ...store.Attribute) store.User {
	sub := "sub-" + poolID + "-" + username
	return store.User{
		PoolID:            poolID,
		Sub:               sub,
		Username:          username,
		UsernameKey:       strings.ToLower(username),
		Status:            "CONFIRMED",
		Enabled:           true,
		PasswordHash:      "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
		Attributes:        append([]store.Attribute{{Name: "sub", Value: sub}}, attrs...),
		CreatedAt:         t0,
		UpdatedAt:         t0,
		PasswordUpdatedAt: t0,
	}
}

func attr(name, value string) store.Attribute { return store.Attribute{Name: name, Value: value} }

func ptr[T any](v T) *T { return &v }

func mustPool(t *testing.T, s store.Store, id string) store.Pool {
	t.Helper()
	p := newPool(id)
	if err := s.CreatePool(t.Context(), p); err != nil {
		t.Fatalf("CreatePool(%q): %v", id, err)
	}
	return p
}

func mustUser(t *testing.T, s store.Store, u store.User) store.User {
	t.Helper()
	if err := s.CreateUser(t.Context(), u); err != nil {
		t.Fatalf("CreateUser(%q): %v", u.Username, err)
	}
	return u
}

func mustGroup(t *testing.T, s store.Store, g store.Group) store.Group {
	t.Helper()
	if err := s.CreateGroup(t.Context(), g); err != nil {
		t.Fatalf("CreateGroup(%q): %v", g.Name, err)
	}
	return g
}

// wantErr fails unless errors.Is(err, target).
func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: err = %v, want %v", what, err, target)
	}
}

func errorsIsNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

func noErr(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// wantConflict fails unless err is a *store.ConflictError on field that
// also matches store.ErrAlreadyExists.
func wantConflict(t *testing.T, what string, err error, field string) {
	t.Helper()
	var ce *store.ConflictError
	if !errors.As(err, &ce) {
		t.Errorf("%s: err = %v, want a *store.ConflictError on %q", what, err, field)
		return
	}
	if ce.Field != field {
		t.Errorf("%s: conflict on %q, want %q", what, ce.Field, field)
	}
	if !errors.Is(err, store.ErrAlreadyExists) {
		t.Errorf("%s: errors.Is(%v, ErrAlreadyExists) = false", what, err)
	}
}

// pageThrough lists every page of size limit and returns the keys of each
// page, checking that next is empty exactly on the last one.
func pageThrough[T any](t *testing.T, limit int, key func(T) string,
	list func(page store.Page) ([]T, string, error),
) [][]string {
	t.Helper()
	var pages [][]string
	page := store.Page{Limit: limit}
	for range 100 {
		items, next, err := list(page)
		if err != nil {
			t.Fatalf("list after %q: %v", page.After, err)
		}
		var keys []string
		for _, it := range items {
			keys = append(keys, key(it))
		}
		pages = append(pages, keys)
		if next == "" {
			return pages
		}
		if len(items) == 0 {
			t.Fatalf("list after %q: empty page with next %q", page.After, next)
		}
		if last := keys[len(keys)-1]; next != last {
			t.Fatalf("list after %q: next = %q, want the last key %q", page.After, next, last)
		}
		page.After = next
	}
	t.Fatal("listing did not end after 100 pages")
	return nil
}

func poolID(p store.Pool) string          { return p.ID }
func clientID(c store.Client) string      { return c.ID }
func rsID(rs store.ResourceServer) string { return rs.Identifier }
func groupName(g store.Group) string      { return g.Name }
func usernameKey(u store.User) string     { return u.UsernameKey }

func flatten(pages [][]string) []string {
	var out []string
	for _, p := range pages {
		out = append(out, p...)
	}
	return out
}
