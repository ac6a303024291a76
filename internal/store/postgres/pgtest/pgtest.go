package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultDSN is the database the tests use when TEST_POSTGRES_DSN is
// unset, as in the store's own tests.
const DefaultDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Schema creates an empty schema in the test database and returns the
// database's URL and the schema's name; the schema is dropped, with
// everything in it, when the test ends.
func Schema(t testing.TB) (dsn, schema string) {
	t.Helper()
	dsn = os.Getenv("TEST_POSTGRES_DSN")
	if dsn == "" {
		dsn = DefaultDSN
	}
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		fail(t, "TEST_POSTGRES_DSN is not a postgres:// URL")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, dsn)
	if err == nil {
		err = c.Ping(ctx)
	}
	if err != nil {
		fail(t, "PostgreSQL at "+u.Redacted()+" is not reachable (set TEST_POSTGRES_DSN): "+err.Error())
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	b := make([]byte, 8)
	rand.Read(b)
	schema = "t_" + hex.EncodeToString(b)
	if _, err := c.Exec(t.Context(), `CREATE SCHEMA `+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := c.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return dsn, schema
}

// fail skips the test, or fails it under CI.
func fail(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(why)
	}
	t.Skip(why)
}
