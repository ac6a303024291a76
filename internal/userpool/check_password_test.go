package userpool

import (
	"testing"

	"github.com/userpool/userpool/internal/password"
	"github.com/userpool/userpool/internal/store"
)

// countingHasher counts password checks.
type countingHasher struct {
	password.Hasher
	verifies int
}

func (h *countingHasher) Verify(hash, pw string) (bool, error) {
	h.verifies++
	return h.Hasher.Verify(hash, pw)
}

// A user without a password, and the zero User that stands for an
// unknown one, match no password but cost a check all the same, so the
// time of a sign-in's answer does not tell them from a wrong password.
func TestCheckPasswordWithoutHashCostsACheck(t *testing.T) {
	h := &countingHasher{Hasher: password.Hasher{MemoryKiB: 64, Iterations: 1}}
	s := New(Config{Passwords: h})
	hash, err := h.Hash("Right-1!")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		u    store.User
		pw   string
		want bool
	}{
		{"right", store.User{PasswordHash: hash}, "Right-1!", true},
		{"wrong", store.User{PasswordHash: hash}, "Wrong-1!", false},
		{"no password", store.User{Sub: "s"}, "Right-1!", false},
		{"unknown user", store.User{}, "", false},
	} {
		h.verifies = 0
		if got := s.CheckPassword(tc.u, tc.pw); got != tc.want || h.verifies != 1 {
			t.Errorf("%s: CheckPassword = %v after %d checks, want %v after 1", tc.name, got, h.verifies, tc.want)
		}
	}
}
