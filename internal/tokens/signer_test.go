//go:build cgo

package tokens

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"testing"
)

// openSSL returns the OpenSSL signer. A cgo build on a machine without
// libcrypto 3 has nothing to compare; the project's machines and CI have
// it (Debian's libssl3), so there the test fails rather than skips.
func openSSL(t testing.TB) Signer {
	s, reason := DefaultSigner()
	if s.Kind() != SignerOpenSSL {
		t.Fatalf("OpenSSL signer did not load: %s", reason)
	}
	return s
}

// OpenSSL and crypto/rsa must make byte-identical signatures for the same
// key and input (PKCS#1 v1.5 is deterministic), so that which one a node
// runs changes nothing a client can see.
func TestSignersAgree(t *testing.T) {
	ossl := openSSL(t)
	keys := []*Key{key(t)}
	for range 3 {
		k, err := GenerateKey(UseID)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	ctx := context.Background()
	for i, k := range keys {
		for j, in := range []string{"", "a", "header.payload", string(bytes.Repeat([]byte("x"), 4096))} {
			digest := sha256.Sum256([]byte(in))
			want, err := RSASigner{}.SignRS256(ctx, k, digest[:])
			if err != nil {
				t.Fatal(err)
			}
			got, err := ossl.SignRS256(ctx, k, digest[:])
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("key %d input %d: OpenSSL signature differs from crypto/rsa's", i, j)
			}
		}
	}
	// A whole token, too, and it verifies.
	tok1, err := signJWS(ctx, RSASigner{}, keys[0], []byte(`{"sub":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	tok2, err := signJWS(ctx, ossl, keys[0], []byte(`{"sub":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	if tok1 != tok2 {
		t.Errorf("tokens differ:\n%s\n%s", tok1, tok2)
	}
	if _, err := verifyJWS(tok2, lookup(keys[0])); err != nil {
		t.Errorf("OpenSSL-signed token does not verify: %v", err)
	}
}

// BenchmarkSign compares the two signers on one RSA-2048 signature.
func BenchmarkSign(b *testing.B) {
	k := key(b)
	digest := sha256.Sum256([]byte("header.payload"))
	for _, s := range []Signer{RSASigner{}, openSSL(b)} {
		b.Run(fmt.Sprint(s.Kind()), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.SignRS256(context.Background(), k, digest[:]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
