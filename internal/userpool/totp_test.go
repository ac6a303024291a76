package userpool

import (
	"testing"
	"time"
)

// RFC 6238 Appendix B's SHA-1 vectors, whose secret is the ASCII string
// "12345678901234567890". The RFC prints eight digits; six-digit codes
// are their last six.
func TestTOTPVectors(t *testing.T) {
	secret := []byte("12345678901234567890")
	for _, tc := range []struct {
		unix int64
		want string
	}{
		{59, "287082"},
		{1111111109, "081804"},
		{1111111111, "050471"},
		{1234567890, "005924"},
		{2000000000, "279037"},
		{20000000000, "353130"},
	} {
		if got := totpCode(secret, totpStepAt(time.Unix(tc.unix, 0))); got != tc.want {
			t.Errorf("code at %d = %s, want %s", tc.unix, got, tc.want)
		}
	}
}

// A code is accepted one step either side of the current one, not two,
// and the step it matched is reported.
func TestTOTPMatchWindow(t *testing.T) {
	secret := []byte("12345678901234567890")
	now := time.Unix(1234567890, 0)
	cur := totpStepAt(now)
	for _, tc := range []struct {
		step int64
		ok   bool
	}{
		{cur - 2, false}, {cur - 1, true}, {cur, true}, {cur + 1, true}, {cur + 2, false},
	} {
		step, ok := totpMatch(secret, totpCode(secret, tc.step), now)
		if ok != tc.ok || (ok && step != tc.step) {
			t.Errorf("code of step %+d: matched %v at %d, want %v", tc.step-cur, ok, step-cur, tc.ok)
		}
	}
	if _, ok := totpMatch(secret, "", now); ok {
		t.Error("an empty code matched")
	}
	if _, ok := totpMatch(secret, totpCode(secret, cur)+"0", now); ok {
		t.Error("a code with a digit more matched")
	}
}

// Secrets are 160 random bits, shown as 32 base32 characters.
func TestTOTPSecret(t *testing.T) {
	a, b := newTOTPSecret(), newTOTPSecret()
	if string(a) == string(b) {
		t.Fatal("two secrets are equal")
	}
	s := totpEncoding.EncodeToString(a)
	if len(s) != 32 {
		t.Errorf("SecretCode %q has %d characters, want 32", s, len(s))
	}
	back, err := totpEncoding.DecodeString(s)
	if err != nil || string(back) != string(a) {
		t.Errorf("SecretCode does not decode to the secret: %v", err)
	}
}
