//go:build cgo

package tokens

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"fmt"
	"math/big"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/golang-fips/openssl/v2"
	"github.com/golang-fips/openssl/v2/bbig"
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

// The OpenSSL signer reuses its signing contexts: signatures one after
// another use one context, concurrent ones at most one each, and every
// signature is crypto/rsa's.
func TestOpenSSLReusesContexts(t *testing.T) {
	ossl := openSSL(t)
	k := key(t)
	ctx := context.Background()
	digest := sha256.Sum256([]byte("header.payload"))
	want, err := RSASigner{}.SignRS256(ctx, k, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		got, err := ossl.SignRS256(ctx, k, digest[:])
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("signature %x, %v; want crypto/rsa's", got, err)
		}
	}
	p, _ := k.prepared(opensslKey)
	c := p.(*evpKey).c
	if n := len(c.idle); n != 1 {
		t.Fatalf("%d idle contexts after signatures one after another, want 1", n)
	}

	const workers = 8
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range 20 {
				d := sha256.Sum256([]byte(fmt.Sprint(w, i)))
				want, _ := RSASigner{}.SignRS256(ctx, k, d[:])
				got, err := ossl.SignRS256(ctx, k, d[:])
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("worker %d signature %d: %v, or it differs from crypto/rsa's", w, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	c.mu.Lock()
	n := len(c.idle)
	c.mu.Unlock()
	if n < 1 || n > min(workers, c.max) {
		t.Errorf("%d idle contexts after %d concurrent signers, want 1 to %d", n, workers, min(workers, c.max))
	}

	if _, err := ossl.SignRS256(ctx, k, digest[:20]); err == nil {
		t.Error("a 20-byte digest was signed as SHA-256")
	}
}

// BenchmarkSignContexts is one RSA-2048 signature through golang-fips/
// openssl, which makes and sets up a new EVP_PKEY_CTX each time, and
// through the signer's reused contexts.
func BenchmarkSignContexts(b *testing.B) {
	openSSL(b)
	k := key(b)
	digest := sha256.Sum256([]byte("header.payload"))
	pk := k.Private
	fips, err := openssl.NewPrivateKeyRSA(bbig.Enc(pk.N), bbig.Enc(big.NewInt(int64(pk.E))), bbig.Enc(pk.D),
		bbig.Enc(pk.Primes[0]), bbig.Enc(pk.Primes[1]),
		bbig.Enc(pk.Precomputed.Dp), bbig.Enc(pk.Precomputed.Dq), bbig.Enc(pk.Precomputed.Qinv))
	if err != nil {
		b.Fatal(err)
	}
	p, err := k.prepared(opensslKey)
	if err != nil {
		b.Fatal(err)
	}
	reused := p.(*evpKey)
	b.Run("new-context", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			if _, err := openssl.SignRSAPKCS1v15(fips, crypto.SHA256, digest[:]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("reused-context", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			if _, err := reused.signRS256(digest[:]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// reportCPU reports the process's CPU time per operation (cpu-ns/op),
// which other work on a shared machine disturbs far less than the wall
// time of ns/op. Call its result when the loop is done.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() { b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op") }
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
