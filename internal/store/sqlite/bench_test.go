package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/store"
)

var epoch = time.UnixMilli(1700000000000).UTC()

// seed creates a pool, a user with an attribute and a refresh family
// whose first token is "tok-0".
func seed(t testing.TB, s *Store) {
	t.Helper()
	ctx := context.Background()
	if err := s.CreatePool(ctx, store.Pool{ID: "pool", Name: "p", CreatedAt: epoch, UpdatedAt: epoch}); err != nil {
		t.Fatal(err)
	}
	u := store.User{PoolID: "pool", Sub: "sub", Username: "alice", UsernameKey: "alice", Status: "CONFIRMED", Enabled: true,
		Attributes: []store.Attribute{{Name: "email", Value: "a@example.com"}}}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	f := store.RefreshFamily{ID: "fam", PoolID: "pool", ClientID: "client", Sub: "sub", AuthTime: epoch,
		CreatedAt: epoch, ExpiresAt: epoch.Add(time.Hour)}
	if err := s.CreateRefreshFamily(ctx, f, store.RefreshToken{ID: "tok-0", SecretHash: []byte{0}, CreatedAt: epoch, ExpiresAt: epoch.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
}

// rotate rotates "tok-<i-1>" to "tok-<i>".
func rotate(t testing.TB, s store.Store, i int) {
	t.Helper()
	at := epoch.Add(time.Duration(i) * time.Second)
	next := store.RefreshToken{ID: fmt.Sprintf("tok-%d", i), SecretHash: []byte{0}, CreatedAt: at, ExpiresAt: at.Add(time.Hour)}
	if err := s.RotateRefreshToken(context.Background(), fmt.Sprintf("tok-%d", i-1), at, at, next); err != nil {
		t.Fatal(err)
	}
}

// benchStore is a seeded store in a temporary directory.
func benchStore(b *testing.B) *Store {
	s, err := Open(context.Background(), Config{Path: filepath.Join(b.TempDir(), "bench.db")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	seed(b, s)
	return s
}

// BenchmarkGetUserBySub is the store's most frequent read: every refresh
// and every token-authorised call loads the user.
func BenchmarkGetUserBySub(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.GetUserBySub(ctx, "pool", "sub"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRotateRefreshToken is the write transaction of a rotation.
func BenchmarkRotateRefreshToken(b *testing.B) {
	s := benchStore(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		rotate(b, s, i)
	}
}
