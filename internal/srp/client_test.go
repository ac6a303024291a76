package srp

import (
	"crypto/rand"
	"testing"
	"time"
)

// TestClientAgainstServer runs the package's own client half against its
// server half: the right password verifies, a wrong one and a changed
// block do not. The server half is checked against independent clients in
// handshake_test.go, so agreeing with it ties the client to them too.
func TestClientAgainstServer(t *testing.T) {
	salt, verifier, err := NewVerifier("LocalDev01", "user-id-1", "Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	block := make([]byte, 64)
	rand.Read(block)
	ts := FormatTimestamp(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))
	for _, tc := range []struct {
		name, password string
		block          []byte
		want           bool
	}{
		{"right password", "Passw0rd!", block, true},
		{"wrong password", "Passw0rd?", block, false},
		{"other block", "Passw0rd!", append([]byte{1}, block...), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewClient()
			if err != nil {
				t.Fatal(err)
			}
			s, err := NewServer(c.A(), verifier)
			if err != nil {
				t.Fatal(err)
			}
			sig, err := c.Sign("LocalDev01", "user-id-1", tc.password, SaltHex(salt), s.B(), tc.block, ts)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Verify("LocalDev01", "user-id-1", block, ts, sig); got != tc.want {
				t.Fatalf("Verify = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestClientRefusesBadChallenge(t *testing.T) {
	c, err := NewClient()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, salt, b string }{
		{"B zero", "01", "0"},
		{"B is N", "01", nHex},
		{"B not hex", "01", "xyz"},
		{"B negative", "01", "-5"},
		{"salt not hex", "zz", "05"},
	} {
		if _, err := c.Sign("p", "u", "pw", tc.salt, tc.b, nil, "t"); err != ErrInvalidChallenge {
			t.Errorf("%s: err = %v, want ErrInvalidChallenge", tc.name, err)
		}
	}
}
