package srp

import (
	"bytes"
	"errors"
	"math/big"
	"strconv"
	"strings"
	"testing"
	"time"
)

// testVerifier is a fixed, valid verifier for tests that only need one.
var testVerifier = VerifierWithSalt("pxAHZcSSX", "alice", "Correct-Horse-1", []byte("0123456789abcdef"))

func TestNewVerifier(t *testing.T) {
	salt, verifier, err := NewVerifier("pxAHZcSSX", "alice", "Correct-Horse-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(salt) != saltBytes || len(verifier) != groupBytes {
		t.Errorf("salt %d bytes, verifier %d bytes", len(salt), len(verifier))
	}
	if !bytes.Equal(verifier, VerifierWithSalt("pxAHZcSSX", "alice", "Correct-Horse-1", salt)) {
		t.Error("NewVerifier disagrees with VerifierWithSalt on its own salt")
	}
	if err := CheckVerifier(verifier); err != nil {
		t.Errorf("CheckVerifier = %v", err)
	}
	salt2, verifier2, _ := NewVerifier("pxAHZcSSX", "alice", "Correct-Horse-1")
	if bytes.Equal(salt, salt2) || bytes.Equal(verifier, verifier2) {
		t.Error("two verifiers of one password are equal: salt not random")
	}
}

func TestSaltHex(t *testing.T) {
	for _, c := range []struct {
		salt []byte
		want string
	}{
		{nil, "00"},
		{[]byte{0}, "00"},
		{[]byte{0, 0, 0x12}, "12"},
		{[]byte{0x0a, 0xbc}, "0abc"},
		{[]byte{0x7f, 0xff}, "7fff"},
		{[]byte{0x80}, "0080"},
		{[]byte{0, 0x9a}, "009a"},
	} {
		if got := SaltHex(c.salt); got != c.want {
			t.Errorf("SaltHex(%x) = %s, want %s", c.salt, got, c.want)
		}
	}
	// The salt counts as a number: leading zero bytes change nothing.
	if !bytes.Equal(VerifierWithSalt("p", "u", "pw", []byte{0, 0, 0x12}), VerifierWithSalt("p", "u", "pw", []byte{0x12})) {
		t.Error("leading zero bytes of the salt changed the verifier")
	}
}

func TestNewServerRejectsA(t *testing.T) {
	n := groupN.Text(16)
	for _, a := range []string{
		"", "0", "00", "0000", n, strings.ToUpper(n), new(big.Int).Add(groupN, big.NewInt(1)).Text(16),
		new(big.Int).Mul(groupN, big.NewInt(2)).Text(16), "-1", "+1", "0x12", "zz", " 12", "12 ", "1_2",
		strings.Repeat("0", maxAHexLen) + "1", strings.Repeat("f", 2000),
	} {
		if _, err := NewServer(a, testVerifier); !errors.Is(err, ErrInvalidA) {
			t.Errorf("NewServer(%.40q) err = %v, want ErrInvalidA", a, err)
		}
		if _, err := NewServerWithB(a, testVerifier, []byte{1}); !errors.Is(err, ErrInvalidA) {
			t.Errorf("NewServerWithB(%.40q) err = %v, want ErrInvalidA", a, err)
		}
	}
	for _, a := range []string{"1", "01", "ABCdef", "0" + new(big.Int).Sub(groupN, big.NewInt(1)).Text(16), strings.Repeat("0", maxAHexLen-1) + "2"} {
		s, err := NewServer(a, testVerifier)
		if err != nil {
			t.Errorf("NewServer(%.40q) = %v", a, err)
			continue
		}
		if b, ok := new(big.Int).SetString(s.B(), 16); !ok || b.Sign() <= 0 || b.Cmp(groupN) >= 0 {
			t.Errorf("B = %s is not in [1, N-1]", s.B())
		}
	}
}

func TestVerifierChecks(t *testing.T) {
	bad := [][]byte{
		nil, {}, {0}, {1}, {0, 0, 1},
		new(big.Int).Sub(groupN, big.NewInt(1)).Bytes(), groupN.Bytes(),
		new(big.Int).Add(groupN, big.NewInt(2)).Bytes(), bytes.Repeat([]byte{0xff}, groupBytes),
		append(make([]byte, groupBytes+1), 2),
	}
	for _, v := range bad {
		if err := CheckVerifier(v); !errors.Is(err, ErrInvalidVerifier) {
			t.Errorf("CheckVerifier(%.16x…) = %v, want ErrInvalidVerifier", v, err)
		}
		if _, err := NewServer("2", v); !errors.Is(err, ErrInvalidVerifier) {
			t.Errorf("NewServer with verifier %.16x… err = %v", v, err)
		}
	}
	for _, v := range [][]byte{{2}, new(big.Int).Sub(groupN, big.NewInt(2)).Bytes(), append([]byte{0}, testVerifier...)} {
		if err := CheckVerifier(v); err != nil {
			t.Errorf("CheckVerifier(%.16x…) = %v", v, err)
		}
	}
}

func TestNewServerWithBChecks(t *testing.T) {
	for _, b := range [][]byte{nil, {}, {0, 0}, make([]byte, groupBytes+1)} {
		if _, err := NewServerWithB("2", testVerifier, b); !errors.Is(err, ErrInvalidB) {
			t.Errorf("NewServerWithB(b=%x) err = %v, want ErrInvalidB", b, err)
		}
	}
	s, err := NewServer("2", testVerifier)
	if err != nil {
		t.Fatal(err)
	}
	b := s.SecretB()
	if len(b) != secretBytes {
		t.Errorf("SecretB is %d bytes", len(b))
	}
	s2, err := NewServerWithB("2", testVerifier, b)
	if err != nil || s2.B() != s.B() {
		t.Errorf("rebuilt: %v, B equal %v", err, err == nil && s2.B() == s.B())
	}
	// A longer b (from a future size) survives SecretB unchanged, a shorter
	// one (from an older size) as the same number.
	long := bytes.Repeat([]byte{0xab}, secretBytes+16)
	s3, err := NewServerWithB("2", testVerifier, long)
	if err != nil || !bytes.Equal(s3.SecretB(), long) {
		t.Errorf("SecretB of a %d-byte b = %x, %v", len(long), s3.SecretB(), err)
	}
	short := bytes.Repeat([]byte{0xcd}, 32)
	s4, err := NewServerWithB("2", testVerifier, short)
	if err != nil {
		t.Fatal(err)
	}
	if s5, err := NewServerWithB("2", testVerifier, s4.SecretB()); err != nil || s5.B() != s4.B() {
		t.Errorf("short b did not survive SecretB: %v", err)
	}
	other, _ := NewServer("2", testVerifier)
	if other.B() == s.B() || bytes.Equal(other.SecretB(), b) {
		t.Error("two servers drew the same b")
	}
}

func TestTimestamp(t *testing.T) {
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), "Tue Jan 2 03:04:05 UTC 2024"},
		{time.Date(2024, 1, 2, 15, 4, 5, 999, time.UTC), "Tue Jan 2 15:04:05 UTC 2024"},
		{time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC), "Sun Dec 31 00:00:00 UTC 2023"},
		// Other zones are written in UTC.
		{time.Date(2024, 3, 1, 1, 30, 0, 0, time.FixedZone("CET", 3600)), "Fri Mar 1 00:30:00 UTC 2024"},
	} {
		if got := FormatTimestamp(c.at); got != c.want {
			t.Errorf("FormatTimestamp(%v) = %q, want %q", c.at, got, c.want)
		}
		got, err := ParseTimestamp(c.want)
		if err != nil || !got.Equal(c.at.Truncate(time.Second)) || got.Location() != time.UTC {
			t.Errorf("ParseTimestamp(%q) = %v, %v", c.want, got, err)
		}
	}
	for _, s := range []string{
		"", "Tue Jan 02 03:04:05 UTC 2024", "Wed Jan 2 03:04:05 UTC 2024", "Tue Jan  2 03:04:05 UTC 2024",
		"Tue Jan _2 03:04:05 UTC 2024", "tue jan 2 03:04:05 UTC 2024", "Tue Jan 2 3:04:05 UTC 2024",
		"Tue Jan 2 03:04:05 GMT 2024", "Tue Jan 2 03:04:05 MST 2024", "Tue Jan 2 03:04:05 UTC 2024 ",
		"Tue Jan 2 03:04:05 UTC 24", "Tuesday Jan 2 03:04:05 UTC 2024", "Tue January 2 03:04:05 UTC 2024",
		"Tue Jan 2 24:04:05 UTC 2024", "Thu Feb 30 03:04:05 UTC 2024", "2024-01-02T03:04:05Z",
		"Tue Jan 2 03:04:05 +0000 2024",
	} {
		if _, err := ParseTimestamp(s); !errors.Is(err, ErrTimestamp) {
			t.Errorf("ParseTimestamp(%q) err = %v, want ErrTimestamp", s, err)
		}
	}
}

// FuzzNewServer feeds arbitrary SRP_A strings: NewServer must never panic,
// must accept only hex numbers in [1, N-1], and then produce a B in range.
func FuzzNewServer(f *testing.F) {
	for _, s := range []string{"", "0", "1", "2", "-1", "+5", "0x10", "ff", "FF", groupN.Text(16), "g", "\x00", "٣", strings.Repeat("f", 768)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, srpA string) {
		s, err := NewServer(srpA, testVerifier)
		a, ok := new(big.Int).SetString(srpA, 16)
		hexOnly := strings.Trim(srpA, "0123456789abcdefABCDEF") == ""
		valid := ok && hexOnly && len(srpA) <= maxAHexLen && a.Sign() > 0 && a.Cmp(groupN) < 0
		if err != nil {
			if valid {
				t.Fatalf("NewServer(%q) = %v for a valid A", srpA, err)
			}
			if !errors.Is(err, ErrInvalidA) {
				t.Fatalf("NewServer(%q) err = %v, want ErrInvalidA", srpA, err)
			}
			return
		}
		if !valid {
			t.Fatalf("NewServer(%q) accepted an invalid A", srpA)
		}
		b, ok := new(big.Int).SetString(s.B(), 16)
		if !ok || b.Sign() <= 0 || b.Cmp(groupN) >= 0 {
			t.Fatalf("B = %q out of range", s.B())
		}
		if s.Verify("p", "u", nil, "t", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=") {
			t.Fatal("Verify accepted a junk signature")
		}
	})
}

// BenchmarkNewServer is InitiateAuth's cost: one g^b.
func BenchmarkNewServer(b *testing.B) {
	srpA := new(big.Int).Exp(generator, big.NewInt(0).SetBytes(bytes.Repeat([]byte{0x5a}, 128)), groupN).Text(16)
	for b.Loop() {
		if _, err := NewServer(srpA, testVerifier); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify is RespondToAuthChallenge's cost on a node that did not
// run InitiateAuth: rebuild (g^b again) and Verify (v^u, then ^b).
func BenchmarkVerify(b *testing.B) {
	srpA := new(big.Int).Exp(generator, big.NewInt(0).SetBytes(bytes.Repeat([]byte{0x5a}, 128)), groupN).Text(16)
	s, err := NewServer(srpA, testVerifier)
	if err != nil {
		b.Fatal(err)
	}
	secret := s.SecretB()
	block := bytes.Repeat([]byte{1}, 64)
	for b.Loop() {
		s, err := NewServerWithB(srpA, testVerifier, secret)
		if err != nil {
			b.Fatal(err)
		}
		s.Verify("pxAHZcSSX", "alice", block, "Tue Jan 2 03:04:05 UTC 2024", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
	}
}

// BenchmarkHandshake is the server's whole share of one sign-in: NewServer,
// then NewServerWithB and Verify as on another node.
func BenchmarkHandshake(b *testing.B) {
	srpA := new(big.Int).Exp(generator, big.NewInt(0).SetBytes(bytes.Repeat([]byte{0x5a}, 128)), groupN).Text(16)
	block := bytes.Repeat([]byte{1}, 64)
	for b.Loop() {
		s, err := NewServer(srpA, testVerifier)
		if err != nil {
			b.Fatal(err)
		}
		s2, err := NewServerWithB(srpA, testVerifier, s.SecretB())
		if err != nil {
			b.Fatal(err)
		}
		s2.Verify("pxAHZcSSX", "alice", block, "Tue Jan 2 03:04:05 UTC 2024", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
	}
}

// BenchmarkNewVerifier is the extra cost of setting a password: one g^x
// with a 256-bit x.
func BenchmarkNewVerifier(b *testing.B) {
	for b.Loop() {
		if _, _, err := NewVerifier("pxAHZcSSX", "alice", "Correct-Horse-1"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExp measures one 3072-bit modexp by exponent length, the figure
// behind secretBytes.
func BenchmarkExp(b *testing.B) {
	for _, bits := range []int{256, 512, 1024, 3072} {
		e := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(bits)), big.NewInt(12345))
		b.Run(strconv.Itoa(bits)+"bit", func(b *testing.B) {
			z := new(big.Int)
			for b.Loop() {
				z.Exp(generator, e, groupN)
			}
		})
	}
}
