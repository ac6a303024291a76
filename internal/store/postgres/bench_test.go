package postgres

import (
	"testing"

	"github.com/userpool/userpool/internal/store/storebench"
)

// benchStore is a seeded store in a schema of its own.
func benchStore(b *testing.B) *Store {
	s := open(b, freshSchema(b))
	storebench.Seed(b, s)
	return s
}

func BenchmarkGetUserBySub(b *testing.B) { storebench.GetUserBySub(b, benchStore(b)) }

func BenchmarkRotateRefreshToken(b *testing.B) { storebench.RotateRefreshToken(b, benchStore(b)) }

func BenchmarkConsumeSAMLAssertion(b *testing.B) {
	storebench.ConsumeSAMLAssertion(b, benchStore(b))
}
