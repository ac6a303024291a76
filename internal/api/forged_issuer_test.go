package api_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/testserver"
)

// keyCountingStore counts the signing keys written, in or out of a
// transaction.
type keyCountingStore struct {
	store.Store
	created *atomic.Int32
}

func (s keyCountingStore) CreateSigningKey(ctx context.Context, k store.SigningKey) error {
	s.created.Add(1)
	return s.Store.CreateSigningKey(ctx, k)
}

func (s keyCountingStore) InTx(ctx context.Context, fn func(tx store.Store) error) error {
	return s.Store.InTx(ctx, func(tx store.Store) error { return fn(keyCountingStore{tx, s.created}) })
}

// A token whose issuer names a pool that does not exist, or one that has
// no keys yet, is invalid; checking it never makes keys (two RSA key
// generations per unauthenticated request, before this was fixed).
func TestGetUserForgedIssuerMakesNoKeys(t *testing.T) {
	created := new(atomic.Int32)
	s := testserver.New(t, testserver.WithStore(func(db store.Store) store.Store {
		return keyCountingStore{db, created}
	}))
	e := newEnvFrom(t, s)
	pool, client := tokensSetup(t, e, nil, nil)
	access := aws.ToString(signInUser(t, e, pool, client, "alice", tokensPassword).AccessToken)
	keyless, _ := tokensSetup(t, e, nil, nil)
	before := created.Load()
	for _, target := range []string{usersUnknownPool, keyless} {
		forged := tokensResign(t, access, func(c map[string]any) { c["iss"] = e.URL + "/" + target })
		_, err := tokensGetUser(e, forged)
		wantAPIError(t, err, "NotAuthorizedException", "Invalid Access Token")
	}
	if n := created.Load() - before; n != 0 {
		t.Errorf("verifying forged tokens created %d signing keys", n)
	}
	if keys, err := s.DB.ListSigningKeys(t.Context(), keyless); err != nil || len(keys) != 0 {
		t.Errorf("pool without tokens has %d keys (%v)", len(keys), err)
	}
	tokensWantValid(t, e, access)
}
