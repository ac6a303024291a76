package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/userpool/userpool/internal/store/storebench"
)

// benchStore is a seeded store in a temporary directory.
func benchStore(b *testing.B) *Store {
	s, err := Open(context.Background(), Config{Path: filepath.Join(b.TempDir(), "bench.db")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	storebench.Seed(b, s)
	return s
}

func BenchmarkGetUserBySub(b *testing.B) { storebench.GetUserBySub(b, benchStore(b)) }

func BenchmarkRotateRefreshToken(b *testing.B) { storebench.RotateRefreshToken(b, benchStore(b)) }

func BenchmarkConsumeSAMLAssertion(b *testing.B) {
	storebench.ConsumeSAMLAssertion(b, benchStore(b))
}
