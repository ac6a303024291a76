package tokens

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"sync"
)

// Signer makes the RS256 signatures of ID and access tokens. Two RSA-2048
// signatures are almost all of a sign-in's or a refresh's CPU, so this is
// the one seam where a faster implementation slots in without touching
// the callers.
type Signer interface {
	// SignRS256 signs the SHA-256 digest of a JWS signing input with key.
	// Every implementation makes the same bytes: PKCS#1 v1.5 signatures
	// are deterministic.
	SignRS256(ctx context.Context, key *Key, digest []byte) ([]byte, error)
	// Kind names the implementation, for `userpool version`, the start-up
	// log and the metrics.
	Kind() string
}

// Signer kinds.
const (
	SignerGo      = "go"      // crypto/rsa
	SignerOpenSSL = "openssl" // libcrypto 3 through cgo
)

// RSASigner signs with the standard library's crypto/rsa. It is the
// signer of builds without cgo and of machines without libcrypto 3.
type RSASigner struct{}

// SignRS256 implements Signer.
func (RSASigner) SignRS256(_ context.Context, key *Key, digest []byte) ([]byte, error) {
	return rsa.SignPKCS1v15(rand.Reader, key.Private, crypto.SHA256, digest)
}

// Kind implements Signer.
func (RSASigner) Kind() string { return SignerGo }

var (
	defaultOnce   sync.Once
	defaultSigner Signer
	defaultReason string
)

// DefaultSigner returns the fastest signer this process can use: OpenSSL's
// libcrypto 3 when the build has cgo and the library loads, crypto/rsa
// otherwise. Why the fallback was taken, if it was, is in the second
// result (empty when OpenSSL signs). It is decided once per process.
func DefaultSigner() (Signer, string) {
	defaultOnce.Do(func() {
		s, err := newOpenSSLSigner()
		if err != nil {
			defaultSigner, defaultReason = RSASigner{}, err.Error()
			return
		}
		defaultSigner = s
	})
	return defaultSigner, defaultReason
}

// prepared returns what make builds from the key's private half, made
// once per key: a signer that keeps the key in another form (OpenSSL's
// EVP_PKEY) converts it at the first signature, not at every one.
func (k *Key) prepared(make func(*rsa.PrivateKey) (any, error)) (any, error) {
	k.prepOnce.Do(func() { k.native, k.nativeErr = make(k.Private) })
	return k.native, k.nativeErr
}
