package userpool

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"time"
)

// TOTP as authenticator apps compute it (RFC 6238 over RFC 4226's HOTP):
// HMAC-SHA1, 30-second steps from the Unix epoch, six digits. That is all
// Cognito's software tokens use, and a few lines of the standard library
// do it, so this needs no dependency.
const (
	totpStep   = 30 * time.Second
	totpDigits = 6
	// totpSkew is how many steps either side of the current one a code
	// may be from: RFC 6238 recommends one, to allow for clock drift and
	// the time a user takes to type, and Cognito accepts codes that
	// recently changed in the app.
	totpSkew = 1
	// totpSecretBytes is the secret's length: 160 bits, RFC 4226's
	// recommended size, which is 32 characters of base32 with no padding,
	// the length of Cognito's SecretCode.
	totpSecretBytes = 20
)

// totpEncoding is how the secret is shown to users (SecretCode): base32
// without padding, as authenticator apps and otpauth:// URIs take it.
var totpEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newTOTPSecret draws a secret from crypto/rand.
func newTOTPSecret() []byte {
	b := make([]byte, totpSecretBytes)
	rand.Read(b)
	return b
}

// totpStepAt is the time step t falls in.
func totpStepAt(t time.Time) int64 {
	return t.Unix() / int64(totpStep/time.Second)
}

// totpCode is the code of a secret for one time step (RFC 4226 §5.3:
// dynamic truncation of the HMAC, then the last six decimal digits).
func totpCode(secret []byte, step int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	mac := hmac.New(sha1.New, secret)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", totpDigits, v%1_000_000)
}

// totpMatch returns the time step, within totpSkew of now's, whose code
// is code, and whether there is one. Every step is compared, in constant
// time, so the time taken says nothing about which matched.
func totpMatch(secret []byte, code string, now time.Time) (int64, bool) {
	cur := totpStepAt(now)
	var found int64
	ok := 0
	for step := cur - totpSkew; step <= cur+totpSkew; step++ {
		if subtle.ConstantTimeCompare([]byte(totpCode(secret, step)), []byte(code)) == 1 {
			found, ok = step, 1
		}
	}
	return found, ok == 1
}
