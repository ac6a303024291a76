package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Hasher hashes passwords with argon2id at a fixed cost.
type Hasher struct {
	MemoryKiB   uint32
	Iterations  uint32
	Parallelism uint8
}

const (
	saltLen = 16
	keyLen  = 32

	// minSaltLen and minKeyLen bound what Verify accepts from storage: a
	// row with a 1-byte key would match one password in 256.
	minSaltLen = 8
	minKeyLen  = 16
)

// ErrMalformed is returned for a stored hash this package cannot read.
var ErrMalformed = errors.New("password: malformed hash")

// ErrTooCostly is returned, without running argon2, for a stored hash whose
// cost is far above the hasher's own. It is a kind of ErrMalformed: a
// tampered row must not make one sign-in spend gigabytes or seconds.
var ErrTooCostly = fmt.Errorf("%w: cost far above the configured one", ErrMalformed)

// costHeadroom is how far above the configured cost a stored hash may be
// and still run: room for an operator to lower the cost (hashes made at
// the old one keep working) without letting a row claim an arbitrary cost.
const costHeadroom = 4

// Hash returns the PHC string of password:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func (h Hasher) Hash(password string) (string, error) {
	if h.MemoryKiB == 0 || h.Iterations == 0 {
		return "", errors.New("password: hasher has no cost set")
	}
	p := h.Parallelism
	if p == 0 {
		p = 1
	}
	salt := make([]byte, saltLen)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, h.Iterations, h.MemoryKiB, p, keyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.MemoryKiB, h.Iterations, p, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// affords reports whether a stored hash's cost is within costHeadroom of
// the hasher's configured cost.
func (h Hasher) affords(memoryKiB, iterations uint32, parallelism uint8) bool {
	hp := uint64(h.Parallelism)
	if hp == 0 {
		hp = 1
	}
	return uint64(memoryKiB) <= costHeadroom*uint64(h.MemoryKiB) &&
		uint64(iterations) <= costHeadroom*uint64(h.Iterations) &&
		uint64(parallelism) <= costHeadroom*hp
}

// Verify reports whether password matches hash. The cost is read from the
// hash, so hashes made at an older cost keep working after it changes, up
// to costHeadroom times the hasher's own (ErrTooCostly above it).
func (h Hasher) Verify(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false, ErrMalformed
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrMalformed
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 {
		return false, ErrMalformed
	}
	if !h.affords(m, t, p) {
		return false, ErrTooCostly
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil || len(salt) < minSaltLen {
		return false, ErrMalformed
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) < minKeyLen {
		return false, ErrMalformed
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
