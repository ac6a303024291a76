package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/userpool/userpool/internal/config"
	"github.com/userpool/userpool/internal/password"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/postgres"
	"github.com/userpool/userpool/internal/store/sqlite"
)

// Seeded users are named so that a load run can filter on them without
// asking the store: user0000042, user0000042@example.com, +15550000042.
func seededUsername(i int) string { return fmt.Sprintf("user%07d", i) }
func seededEmail(i int) string    { return seededUsername(i) + "@example.com" }
func seededPhone(i int) string    { return fmt.Sprintf("+1555%07d", i) }

// seedBatch is the users (or refresh tokens) written per transaction:
// large enough that commits do not dominate, small enough that a
// transaction does not hold the SQLite writer for long.
const seedBatch = 2000

// seedPassword is every seeded user's password.
const seedPassword = "Seeded-password-1"

// runSeed is `userpool-load seed`: it sets up the load pool, client and
// user through the API of a running server, then writes N users and M
// refresh tokens (each its own sign-in) straight into the store that
// server uses, so that a later load run (-pool-id, -client-id) measures a
// full pool.
func runSeed(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	fs := flag.NewFlagSet("userpool-load seed", flag.ContinueOnError)
	endpoint := fs.String("endpoint", "http://127.0.0.1:9229", "the running server whose store is seeded")
	dsn := fs.String("store", "", "the server's store: a SQLite path or a postgres:// URL (required)")
	users := fs.Int("users", 1000, "users to add")
	tokens := fs.Int("tokens", 5000, "live refresh tokens to add, spread over the users")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dsn == "" || *users < 1 || *tokens < 0 {
		return errors.New("seed needs -store, and -users of at least 1")
	}
	var (
		st  store.Store
		err error
	)
	if strings.HasPrefix(*dsn, "postgres://") || strings.HasPrefix(*dsn, "postgresql://") {
		st, err = postgres.Open(ctx, postgres.Config{URL: *dsn})
	} else {
		st, err = sqlite.Open(ctx, sqlite.Config{Path: *dsn})
	}
	if err != nil {
		return err
	}
	defer st.Close()

	f, err := setUp(ctx, newClient(*endpoint, getenv, 4), false)
	if err != nil {
		return fmt.Errorf("set up: %w", err)
	}
	if err := seed(ctx, st, f, *users, *tokens, out); err != nil {
		return err
	}
	fmt.Fprintf(out, "pool-id=%s client-id=%s\n", f.pool, f.client)
	return nil
}

// seed writes users users and tokens refresh tokens of f's pool and
// client into st. Users get a real argon2id hash of --dev's cost (one
// hash, computed once, shared: the store cannot tell, and a million
// hashes would be the seed's whole time) and verified e-mail and phone
// aliases. Both go in through the store's bulk writes (ImportUsers,
// CreateRefreshFamilies), so the rows are the store's own, a batch a
// transaction and many rows a statement: a statement per user or token,
// a round trip each, is what made a seed of PostgreSQL slow.
func seed(ctx context.Context, st store.Store, f *fixture, users, tokens int, out io.Writer) error {
	hash, err := password.Hasher{MemoryKiB: config.DevArgon2MemoryKiB, Iterations: config.DevArgon2Iterations}.Hash(seedPassword)
	if err != nil {
		return err
	}
	start := time.Now()
	subs := make([]string, 0, users)
	now := time.Now().UTC().Truncate(time.Millisecond)
	batch := make([]store.User, 0, seedBatch)
	for lo := 0; lo < users; lo += seedBatch {
		hi := min(lo+seedBatch, users)
		batch = batch[:0]
		for i := lo; i < hi; i++ {
			sub := uuid.NewString()
			batch = append(batch, store.User{
				PoolID: f.pool, Sub: sub, Username: seededUsername(i), UsernameKey: seededUsername(i),
				Status: "CONFIRMED", Enabled: true, PasswordHash: hash,
				Attributes: []store.Attribute{
					{Name: "sub", Value: sub},
					{Name: "email", Value: seededEmail(i)}, {Name: "email_verified", Value: "true"},
					{Name: "phone_number", Value: seededPhone(i)}, {Name: "phone_number_verified", Value: "true"},
				},
				AliasEmail: seededEmail(i), AliasPhone: seededPhone(i),
				CreatedAt: now, UpdatedAt: now, PasswordUpdatedAt: now,
			})
			subs = append(subs, sub)
		}
		conflicts, err := st.ImportUsers(ctx, batch)
		if err != nil {
			return fmt.Errorf("users %d to %d: %w", lo, hi-1, err)
		}
		for i, c := range conflicts {
			if c != "" {
				return fmt.Errorf("user %s: its %s is taken (is the pool seeded already?)", batch[i].Username, c)
			}
		}
		if hi%100_000 == 0 || hi == users {
			fmt.Fprintf(out, "users %d/%d after %s\n", hi, users, time.Since(start).Round(time.Second))
		}
	}
	usersTook := time.Since(start)
	start = time.Now()
	fams := make([]store.RefreshFamily, 0, seedBatch)
	firsts := make([]store.RefreshToken, 0, seedBatch)
	for lo := 0; lo < tokens; lo += seedBatch {
		hi := min(lo+seedBatch, tokens)
		fams, firsts = fams[:0], firsts[:0]
		for i := lo; i < hi; i++ {
			var secret [32]byte
			rand.Read(secret[:])
			sum := sha256.Sum256(secret[:])
			fam := store.RefreshFamily{
				ID: uuid.NewString(), PoolID: f.pool, ClientID: f.client, Sub: subs[i%len(subs)],
				AuthTime: now, Scopes: []string{"aws.cognito.signin.user.admin"},
				CreatedAt: now, ExpiresAt: now.Add(30 * 24 * time.Hour),
			}
			fams = append(fams, fam)
			firsts = append(firsts, store.RefreshToken{ID: uuid.NewString(), FamilyID: fam.ID, SecretHash: sum[:], CreatedAt: now, ExpiresAt: fam.ExpiresAt})
		}
		if err := st.CreateRefreshFamilies(ctx, fams, firsts); err != nil {
			return fmt.Errorf("refresh tokens %d to %d: %w", lo, hi-1, err)
		}
		if hi%500_000 == 0 || hi == tokens {
			fmt.Fprintf(out, "refresh tokens %d/%d after %s\n", hi, tokens, time.Since(start).Round(time.Second))
		}
	}
	tokensTook := time.Since(start)
	fmt.Fprintf(out, "seeded users=%d in %s (%.0f/s), refresh_tokens=%d in %s (%.0f/s)\n",
		users, usersTook.Round(time.Millisecond), float64(users)/usersTook.Seconds(),
		tokens, tokensTook.Round(time.Millisecond), float64(tokens)/tokensTook.Seconds())
	return nil
}
