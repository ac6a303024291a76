package auth

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/srp"
	"github.com/userpool/userpool/internal/userpool"
)

// The fake challenge of a user who cannot pass SRP must look like a real
// one to whoever probes: the same salt on every attempt, different salts
// for different users, nothing an outsider can compute.
func TestFakeVerifier(t *testing.T) {
	key := bytes.Repeat([]byte{9}, 32)
	e := New(Config{SecretKey: key})
	salt, verifier := e.fakeVerifier("us-east-1_AAA", "nobody")
	if len(salt) != 16 || srp.CheckVerifier(verifier) != nil {
		t.Fatalf("fake salt %x, verifier usable: %v", salt, srp.CheckVerifier(verifier))
	}
	again, againV := New(Config{SecretKey: bytes.Clone(key)}).fakeVerifier("us-east-1_AAA", "nobody")
	if !bytes.Equal(salt, again) || !bytes.Equal(verifier, againV) {
		t.Error("two engines with the same SecretKey answer differently: nodes would disagree")
	}
	for _, other := range []struct {
		e          *Engine
		pool, user string
	}{
		{e, "us-east-1_AAA", "somebody"},
		{e, "us-east-1_BBB", "nobody"},
		{New(Config{SecretKey: bytes.Repeat([]byte{8}, 32)}), "us-east-1_AAA", "nobody"},
		{New(Config{}), "us-east-1_AAA", "nobody"},
	} {
		if s, _ := other.e.fakeVerifier(other.pool, other.user); bytes.Equal(s, salt) {
			t.Errorf("fake salt of %s/%s repeats another's", other.pool, other.user)
		}
	}
	// Without a SecretKey the process's key is used, stable within it.
	a, _ := New(Config{}).fakeVerifier("us-east-1_AAA", "x")
	b, _ := New(Config{}).fakeVerifier("us-east-1_AAA", "x")
	if !bytes.Equal(a, b) {
		t.Error("fake salt changes within a process without a SecretKey")
	}
}

func TestOpenBlock(t *testing.T) {
	now := testT0
	e := New(Config{Sealer: testSealer(t), Now: func() time.Time { return now }})
	pool := &cognito.UserPoolType{ID: "us-east-1_AAA"}
	client := &userpool.AppClient{Config: &cognito.UserPoolClientType{ClientID: "client-a"}}
	other := &userpool.AppClient{Config: &cognito.UserPoolClientType{ClientID: "client-b"}}
	raw := e.sealBlock(srpBlock{Kind: blockUser, Pool: pool.ID, Client: "client-a", Sub: "sub", Username: "alice", SRPA: "ab", B: []byte{1}})

	b, sealed, err := e.openBlock(raw, pool, client, blockUser)
	if err != nil || b.Username != "alice" || len(sealed) == 0 {
		t.Fatalf("openBlock = %+v, %v", b, err)
	}
	for _, tc := range []struct {
		name   string
		pool   *cognito.UserPoolType
		client *userpool.AppClient
		kind   string
	}{
		{"another kind", pool, client, blockDevice},
		{"another pool", &cognito.UserPoolType{ID: "us-east-1_BBB"}, client, blockUser},
		{"another client", pool, other, blockUser},
	} {
		if _, _, err := e.openBlock(raw, tc.pool, tc.client, tc.kind); !errors.Is(err, cognito.NotAuthorized("")) {
			t.Errorf("%s: err = %v, want NotAuthorizedException", tc.name, err)
		}
	}
	// A session sealed with the same key is no block: the additional data
	// differs.
	if _, _, err := e.openBlock(e.newSession(session{Pool: pool.ID, Client: "client-a"}, time.Minute), pool, client, blockUser); err == nil {
		t.Error("a challenge session opened as a secret block")
	}
	now = now.Add(3 * time.Minute)
	var ce *cognito.Error
	if _, _, err := e.openBlock(raw, pool, client, blockUser); !errors.As(err, &ce) || ce.Message != msgSessionExpired {
		t.Errorf("block after AuthSessionValidity: %v", err)
	}
}
