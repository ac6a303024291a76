package tokens

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"sync"
)

// Key uses: Cognito signs ID and access tokens with different keys, so
// every pool publishes (at least) two.
const (
	UseID     = "id"
	UseAccess = "access"

	// kindRefresh is the metrics' kind of refresh tokens, beside the
	// key uses above.
	kindRefresh = "refresh"
)

// KeyBits is the size of generated signing keys, as Cognito's.
const KeyBits = 2048

// Key is one RSA signing key of a pool.
type Key struct {
	ID      string
	Use     string
	Private *rsa.PrivateKey
	header  string // the encoded JWS header, made once per key

	// The key in the form a Signer other than crypto/rsa signs with,
	// made at its first signature (Key.prepared).
	prepOnce  sync.Once
	native    any
	nativeErr error
}

// NewKey wraps a private key.
func NewKey(id, use string, priv *rsa.PrivateKey) *Key {
	priv.Precompute()
	return &Key{ID: id, Use: use, Private: priv, header: jwsHeader(id)}
}

// GenerateKey makes a new RSA-2048 key. Its kid is the standard base64 of
// the SHA-256 of the public key, which has the look of Cognito's kids
// ("...=") and is stable for a given key.
func GenerateKey(use string) (*Key, error) {
	priv, err := rsa.GenerateKey(rand.Reader, KeyBits)
	if err != nil {
		return nil, fmt.Errorf("tokens: generate key: %w", err)
	}
	der, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	sum := sha256.Sum256(der)
	return NewKey(base64.StdEncoding.EncodeToString(sum[:]), use, priv), nil
}

// MarshalPrivate encodes the private key for sealing (PKCS#8 DER).
func (k *Key) MarshalPrivate() ([]byte, error) {
	return x509.MarshalPKCS8PrivateKey(k.Private)
}

// ParsePrivate decodes what MarshalPrivate produced.
func ParsePrivate(der []byte) (*rsa.PrivateKey, error) {
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("tokens: parse key: %w", err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("tokens: key is %T, not RSA", k)
	}
	return rk, nil
}

// JWK is one entry of a JWKS document, with Cognito's members in Cognito's
// order.
type JWK struct {
	Alg string `json:"alg"`
	E   string `json:"e"`
	KID string `json:"kid"`
	Kty string `json:"kty"`
	N   string `json:"n"`
	Use string `json:"use"`
}

// JWKS is the document served at /{userPoolId}/.well-known/jwks.json.
type JWKS struct {
	Keys []JWK `json:"keys"`
}

// PublicJWK returns the public half of a key as a JWK.
func PublicJWK(kid string, pub *rsa.PublicKey) JWK {
	return JWK{
		Alg: "RS256",
		E:   b64.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
		KID: kid,
		Kty: "RSA",
		N:   b64.EncodeToString(pub.N.Bytes()),
		Use: "sig",
	}
}

// ParseJWK turns a JWK back into an RSA public key.
func ParseJWK(j JWK) (*rsa.PublicKey, error) {
	if j.Kty != "RSA" {
		return nil, fmt.Errorf("tokens: jwk %s is %s, not RSA", j.KID, j.Kty)
	}
	n, err := b64.DecodeString(j.N)
	if err != nil {
		return nil, fmt.Errorf("tokens: jwk %s: %w", j.KID, err)
	}
	e, err := b64.DecodeString(j.E)
	if err != nil || len(e) > 4 || len(e) == 0 {
		return nil, fmt.Errorf("tokens: jwk %s: bad exponent", j.KID)
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}, nil
}

// MarshalPublic encodes a public JWK for storage.
func MarshalPublic(j JWK) ([]byte, error) { return json.Marshal(j) }
