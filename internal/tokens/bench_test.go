package tokens

import (
	"context"
	"encoding/json"
	"testing"
)

// BenchmarkMint is the cost of one sign-in's or refresh's ID and access
// tokens: two RS256 signatures and the claims around them.
func BenchmarkMint(b *testing.B) {
	k := key(b)
	idKey := NewKey(k.ID, UseID, k.Private)
	ev := testEvent()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := signJWS(ctx, RSASigner{}, idKey, ev.idClaims()); err != nil {
			b.Fatal(err)
		}
		if _, err := signJWS(ctx, RSASigner{}, k, mustJSON(ev.accessClaims())); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyAccess is the signature check of a token-authorized call.
func BenchmarkVerifyAccess(b *testing.B) {
	k := key(b)
	tok, _ := signJWS(context.Background(), RSASigner{}, k, mustJSON(testEvent().accessClaims()))
	look := lookup(k)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := verifyJWS(tok, look); err != nil {
			b.Fatal(err)
		}
	}
}

func mustJSON(c *AccessClaims) []byte {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err)
	}
	return b
}
