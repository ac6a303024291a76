package seal

import (
	"bytes"
	"errors"
	"testing"
)

func TestSealOpen(t *testing.T) {
	key := bytes.Repeat([]byte{7}, KeySize)
	s, err := New(key)
	if err != nil {
		t.Fatal(err)
	}
	sealed := s.Seal([]byte("secret"), []byte("client-a"))
	if bytes.Contains(sealed, []byte("secret")) {
		t.Fatal("sealed value contains the plaintext")
	}
	got, err := s.Open(sealed, []byte("client-a"))
	if err != nil || string(got) != "secret" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := s.Open(sealed, []byte("client-b")); !errors.Is(err, ErrOpen) {
		t.Errorf("other record: err = %v, want ErrOpen", err)
	}
	other, _ := New(bytes.Repeat([]byte{8}, KeySize))
	if _, err := other.Open(sealed, []byte("client-a")); !errors.Is(err, ErrOpen) {
		t.Errorf("other key: err = %v, want ErrOpen", err)
	}
	if _, err := s.Open(sealed[:5], nil); !errors.Is(err, ErrOpen) {
		t.Errorf("short: err = %v, want ErrOpen", err)
	}
	if _, err := New(key[:5]); err == nil {
		t.Error("New accepted a short key")
	}
}

// A MAC is the same for one key, purpose and message, on any node, and
// differs when any of the three does; the purpose is not just prefixed
// onto the message.
func TestMAC(t *testing.T) {
	s, _ := New(bytes.Repeat([]byte{7}, KeySize))
	again, _ := New(bytes.Repeat([]byte{7}, KeySize))
	other, _ := New(bytes.Repeat([]byte{8}, KeySize))
	m := s.MAC("csrf", []byte("nonce"))
	if len(m) != 32 || !bytes.Equal(m, again.MAC("csrf", []byte("nonce"))) {
		t.Fatalf("MAC = %x, not stable across sealers of one key", m)
	}
	for name, diff := range map[string][]byte{
		"other key":     other.MAC("csrf", []byte("nonce")),
		"other purpose": s.MAC("csrg", []byte("nonce")),
		"other message": s.MAC("csrf", []byte("nonce2")),
		"shifted":       s.MAC("csrfn", []byte("once")),
	} {
		if bytes.Equal(m, diff) {
			t.Errorf("%s: same MAC", name)
		}
	}
}
