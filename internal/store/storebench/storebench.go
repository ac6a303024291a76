package storebench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/store"
)

var epoch = time.UnixMilli(1700000000000).UTC()

// Seed creates a pool, a user with an attribute and a refresh family
// whose first token is "tok-0".
func Seed(tb testing.TB, s store.Store) {
	tb.Helper()
	ctx := context.Background()
	if err := s.CreatePool(ctx, store.Pool{ID: "pool", Name: "p", CreatedAt: epoch, UpdatedAt: epoch}); err != nil {
		tb.Fatal(err)
	}
	u := store.User{PoolID: "pool", Sub: "sub", Username: "alice", UsernameKey: "alice", Status: "CONFIRMED", Enabled: true,
		Attributes: []store.Attribute{{Name: "email", Value: "a@example.com"}}}
	if err := s.CreateUser(ctx, u); err != nil {
		tb.Fatal(err)
	}
	f := store.RefreshFamily{ID: "fam", PoolID: "pool", ClientID: "client", Sub: "sub", AuthTime: epoch,
		CreatedAt: epoch, ExpiresAt: epoch.Add(time.Hour)}
	if err := s.CreateRefreshFamily(ctx, f, store.RefreshToken{ID: "tok-0", SecretHash: []byte{0}, CreatedAt: epoch, ExpiresAt: epoch.Add(time.Hour)}); err != nil {
		tb.Fatal(err)
	}
}

// Rotate rotates "tok-<i-1>" of the seeded family to "tok-<i>".
func Rotate(tb testing.TB, s store.Store, i int) {
	tb.Helper()
	at := epoch.Add(time.Duration(i) * time.Second)
	next := store.RefreshToken{ID: fmt.Sprintf("tok-%d", i), SecretHash: []byte{0}, CreatedAt: at, ExpiresAt: at.Add(time.Hour)}
	if err := s.RotateRefreshToken(context.Background(), fmt.Sprintf("tok-%d", i-1), at, at, time.Time{}, next); err != nil {
		tb.Fatal(err)
	}
}

// GetUserBySub benchmarks the store's most frequent read, on a seeded
// store: every refresh and every token-authorised call loads the user.
func GetUserBySub(b *testing.B, s store.Store) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.GetUserBySub(ctx, "pool", "sub"); err != nil {
			b.Fatal(err)
		}
	}
}

// RotateRefreshToken benchmarks the write transaction of a rotation, on a
// seeded store.
func RotateRefreshToken(b *testing.B, s store.Store) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		Rotate(b, s, i)
	}
}

// ConsumeSAMLAssertion benchmarks the write every SAML sign-in makes to
// record its assertion, each a new one, on a seeded store.
func ConsumeSAMLAssertion(b *testing.B, s store.Store) {
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		a := store.SAMLAssertion{PoolID: "pool", Provider: "Corp", IDHash: fmt.Sprintf("%064x", i), ExpiresAt: epoch.Add(5 * time.Minute)}
		if err := s.ConsumeSAMLAssertion(ctx, a, epoch); err != nil {
			b.Fatal(err)
		}
	}
}
