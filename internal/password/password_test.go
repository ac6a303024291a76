package password

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
)

var cheap = Hasher{MemoryKiB: 64, Iterations: 1}

func TestHashVerify(t *testing.T) {
	h, err := cheap.Hash("Correct-Horse-1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash = %q", h)
	}
	if ok, err := cheap.Verify(h, "Correct-Horse-1"); !ok || err != nil {
		t.Errorf("right password: %v %v", ok, err)
	}
	if ok, err := cheap.Verify(h, "correct-horse-1"); ok || err != nil {
		t.Errorf("wrong password: %v %v", ok, err)
	}
	// Another cost verifies hashes made at the old one.
	if ok, _ := (Hasher{MemoryKiB: 128, Iterations: 2}).Verify(h, "Correct-Horse-1"); !ok {
		t.Error("cost change broke verification")
	}
	h2, _ := cheap.Hash("Correct-Horse-1")
	if h == h2 {
		t.Error("two hashes of one password are equal: salt not random")
	}
}

// TestKnownAnswer pins the PHC layout to the argon2id function itself.
func TestKnownAnswer(t *testing.T) {
	salt := []byte("0123456789abcdef")
	key := argon2.IDKey([]byte("password"), salt, 1, 64, 1, 32)
	h := "$argon2id$v=19$m=64,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$" + b64(key)
	if ok, err := cheap.Verify(h, "password"); !ok || err != nil {
		t.Fatalf("Verify = %v, %v", ok, err)
	}
}

func TestMalformed(t *testing.T) {
	for _, h := range []string{
		"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=18$m=64,t=1,p=1$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=x,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=64,t=1,p=1$!!$aGFzaA",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$",
		"$argon2id$v=19$m=1,t=1,p=1$MDEyMzQ1Njc$00",
		"$argon2id$v=19$m=64,t=1,p=1$MDEy$MDEyMzQ1Njc4OWFiY2RlZg",
	} {
		if _, err := cheap.Verify(h, "x"); !errors.Is(err, ErrMalformed) {
			t.Errorf("Verify(%q) err = %v, want ErrMalformed", h, err)
		}
	}
}

// TestCostBound: a stored hash may claim up to costHeadroom times the
// configured cost (an operator lowering the cost keeps old hashes working)
// and no more; above it the hash is refused without running argon2, so a
// row claiming 4 GiB costs nothing.
func TestCostBound(t *testing.T) {
	server := Hasher{MemoryKiB: 19456, Iterations: 2}
	old, _ := Hasher{MemoryKiB: 4 * 19456, Iterations: 8, Parallelism: 4}.Hash("pw")
	if ok, err := server.Verify(old, "pw"); !ok || err != nil {
		t.Errorf("hash at 4x the cost: %v %v", ok, err)
	}
	for _, h := range []string{
		"$argon2id$v=19$m=4194304,t=64,p=1$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=77825,t=1,p=1$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=64,t=9,p=1$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=64,t=1,p=255$c2FsdA$aGFzaA",
	} {
		if _, err := server.Verify(h, "pw"); !errors.Is(err, ErrTooCostly) || !errors.Is(err, ErrMalformed) {
			t.Errorf("Verify(%q) err = %v, want ErrTooCostly", h, err)
		}
	}
}

// FuzzVerify: whatever the stored hash, Verify answers a known error or a
// result, never matches a password other than the one hashed (no hash of
// another password can be forged without the argon2 work the fuzzer never
// does), and answers the same twice.
func FuzzVerify(f *testing.F) {
	good, _ := cheap.Hash("pw")
	f.Add(good, "pw")
	f.Add(good, "pW")
	f.Add("$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", "x")
	f.Fuzz(func(t *testing.T, hash, pw string) {
		ok, err := cheap.Verify(hash, pw)
		if err != nil && (ok || !errors.Is(err, ErrMalformed)) {
			t.Fatalf("Verify(%q) = %v, %v", hash, ok, err)
		}
		if ok && pw != "pw" {
			t.Fatalf("Verify(%q, %q) matched a password never hashed", hash, pw)
		}
		if ok2, err2 := cheap.Verify(hash, pw); ok2 != ok || !errors.Is(err2, err) {
			t.Fatalf("Verify(%q) not deterministic", hash)
		}
	})
}

func b64(b []byte) string {
	const enc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	var s strings.Builder
	for i := 0; i < len(b); i += 3 {
		var n uint32
		k := 0
		for j := 0; j < 3; j++ {
			n <<= 8
			if i+j < len(b) {
				n |= uint32(b[i+j])
				k++
			}
		}
		for j := 0; j <= k; j++ {
			s.WriteByte(enc[(n>>(18-6*j))&63])
		}
	}
	return s.String()
}
