package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// KeySize is the length of a data key: AES-256.
const KeySize = 32

// Sealer encrypts small secrets with AES-256-GCM under one data key.
type Sealer struct {
	aead cipher.AEAD
	// macKey is derived from the data key for MAC, so that no value
	// sealed and no value authenticated share a key.
	macKey []byte
}

// New returns a Sealer for a KeySize-byte key.
func New(key []byte) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("seal: key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	macKey, err := hkdf.Key(sha256.New, key, nil, "userpool mac v1", sha256.Size)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return &Sealer{aead: aead, macKey: macKey}, nil
}

// Seal encrypts plaintext. The additional data binds the result to its
// record (for example a client id), so a sealed value copied onto another
// record does not open.
func (s *Sealer) Seal(plaintext, additional []byte) []byte {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plaintext)+s.aead.Overhead())
	rand.Read(nonce)
	return s.aead.Seal(nonce, nonce, plaintext, additional)
}

// ErrOpen means a sealed value was altered, or sealed under another key or
// for another record.
var ErrOpen = errors.New("seal: cannot open sealed value")

// Open decrypts what Seal produced with the same additional data.
func (s *Sealer) Open(sealed, additional []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n+s.aead.Overhead() {
		return nil, ErrOpen
	}
	out, err := s.aead.Open(nil, sealed[:n], sealed[n:], additional)
	if err != nil {
		return nil, ErrOpen
	}
	return out, nil
}

// MAC returns an HMAC-SHA256 of msg for a purpose ("csrf", ...) under a
// key derived from the data key: for values that need not be secret but
// must come from this server (any node that shares the data key). The
// purpose keeps a MAC made for one use from passing for another.
func (s *Sealer) MAC(purpose string, msg []byte) []byte {
	m := hmac.New(sha256.New, s.macKey)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write(msg)
	return m.Sum(nil)
}
