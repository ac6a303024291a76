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
