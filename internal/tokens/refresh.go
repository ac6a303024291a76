package tokens

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
)

// Refresh tokens are opaque to clients, as Cognito's are. Each is a real
// compact JWE (alg "dir", enc "A256GCM") whose plaintext is a random token
// id, a random 256-bit secret and the id of the token's family (version
// 2; version 1 tokens, without the family, still open): the five-part
// shape keeps libraries that sniff Cognito's format happy, the encryption
// keeps the id private, and the store keeps only the id and a SHA-256 of
// the secret, so a copy of the database cannot be replayed as tokens.
// The sealed family id lets a rotated-out token whose row has been
// collected still be told apart as reused (Issuer.Redeem): only this
// server could have sealed it.
const (
	refreshV1      = 1
	refreshVersion = 2
	refreshIDLen   = 16
	// RefreshSecretLen is the secret's size: 256 random bits, well over
	// the 128 the design asks for.
	RefreshSecretLen = 32
	// maxFamilyIDLen bounds the family id a token carries (they are
	// UUIDs, 36 bytes).
	maxFamilyIDLen = 128
)

// refreshHeader is the JWE protected header, encoded once.
var refreshHeader = b64.EncodeToString([]byte(`{"alg":"dir","enc":"A256GCM"}`))

// ErrInvalidRefreshToken means the string is not a refresh token this
// server issued.
var ErrInvalidRefreshToken = errors.New("tokens: invalid refresh token")

// RefreshCodec seals and opens refresh tokens.
type RefreshCodec struct {
	aead cipher.AEAD
}

// NewRefreshCodec derives the refresh-token key from the data key, so
// every node that shares the data key reads every node's tokens.
func NewRefreshCodec(dataKey []byte) (*RefreshCodec, error) {
	key, err := hkdf.Key(sha256.New, dataKey, nil, "userpool refresh token v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &RefreshCodec{aead: aead}, nil
}

// NewRefresh returns a new token of the family familyID with its id and
// the hash of its secret, which is all the store keeps.
func (c *RefreshCodec) NewRefresh(familyID string) (token, id string, secretHash []byte) {
	if len(familyID) > maxFamilyIDLen {
		panic("tokens: refresh family id longer than maxFamilyIDLen")
	}
	plain := make([]byte, 1+refreshIDLen+RefreshSecretLen, 1+refreshIDLen+RefreshSecretLen+len(familyID))
	plain[0] = refreshVersion
	rand.Read(plain[1:])
	id = hex.EncodeToString(plain[1 : 1+refreshIDLen])
	sum := sha256.Sum256(plain[1+refreshIDLen:])
	plain = append(plain, familyID...)
	nonce := make([]byte, c.aead.NonceSize())
	rand.Read(nonce)
	sealed := c.aead.Seal(nil, nonce, plain, []byte(refreshHeader))
	ct, tag := sealed[:len(sealed)-c.aead.Overhead()], sealed[len(sealed)-c.aead.Overhead():]
	token = refreshHeader + ".." + b64.EncodeToString(nonce) + "." + b64.EncodeToString(ct) + "." + b64.EncodeToString(tag)
	return token, id, sum[:]
}

// OpenRefresh returns the id of a token, the hash of its secret, for the
// store to compare with what it kept, and the id of its family ("" for a
// version 1 token).
func (c *RefreshCodec) OpenRefresh(token string) (id string, secretHash []byte, familyID string, err error) {
	parts := strings.Split(token, ".")
	if len(parts) != 5 || parts[0] != refreshHeader || parts[1] != "" {
		return "", nil, "", ErrInvalidRefreshToken
	}
	nonce, err1 := b64.DecodeString(parts[2])
	ct, err2 := b64.DecodeString(parts[3])
	tag, err3 := b64.DecodeString(parts[4])
	if err1 != nil || err2 != nil || err3 != nil || len(nonce) != c.aead.NonceSize() || len(tag) != c.aead.Overhead() {
		return "", nil, "", ErrInvalidRefreshToken
	}
	plain, err := c.aead.Open(nil, nonce, append(ct, tag...), []byte(refreshHeader))
	const fixed = 1 + refreshIDLen + RefreshSecretLen
	if err != nil || len(plain) < fixed {
		return "", nil, "", ErrInvalidRefreshToken
	}
	switch {
	case plain[0] == refreshV1 && len(plain) == fixed:
	case plain[0] == refreshVersion && len(plain) > fixed && len(plain) <= fixed+maxFamilyIDLen:
		familyID = string(plain[fixed:])
	default:
		return "", nil, "", ErrInvalidRefreshToken
	}
	sum := sha256.Sum256(plain[1+refreshIDLen : fixed])
	return hex.EncodeToString(plain[1 : 1+refreshIDLen]), sum[:], familyID, nil
}
