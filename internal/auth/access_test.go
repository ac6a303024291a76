package auth

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// readCounter counts the store reads a token-authorized call makes of the
// user and of the token's sign-in.
type readCounter struct {
	store.Store
	bySub, family, both atomic.Int32
}

func (c *readCounter) GetUserBySub(ctx context.Context, poolID, sub string) (store.User, error) {
	c.bySub.Add(1)
	return c.Store.GetUserBySub(ctx, poolID, sub)
}

func (c *readCounter) GetRefreshFamily(ctx context.Context, id string) (store.RefreshFamily, error) {
	c.family.Add(1)
	return c.Store.GetRefreshFamily(ctx, id)
}

func (c *readCounter) GetUserBySubAndFamily(ctx context.Context, poolID, sub, familyID string) (store.User, store.FamilyState, error) {
	c.both.Add(1)
	return c.Store.GetUserBySubAndFamily(ctx, poolID, sub, familyID)
}

// An access token with an origin_jti costs one read of the store, the user
// and its sign-in together, on every call; a revocation or a disable in
// between is seen at the next call.
func TestAuthenticateReadsUserAndFamilyOnce(t *testing.T) {
	var counter *readCounter
	e, _, tok := benchEngineStore(t, false, "", func(s store.Store) store.Store {
		counter = &readCounter{Store: s}
		return counter
	})
	ctx := context.Background()
	for i := range 3 {
		counter.bySub.Store(0)
		counter.family.Store(0)
		counter.both.Store(0)
		c, err := e.Authenticate(ctx, tok.AccessToken)
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		if c.User.Username == "" || c.Claims.OriginJTI == "" {
			t.Fatalf("call %d: caller %+v", i, c)
		}
		if got := [3]int32{counter.both.Load(), counter.bySub.Load(), counter.family.Load()}; got != [3]int32{1, 0, 0} {
			t.Errorf("call %d: reads (user and family, user, family) = %v, want [1 0 0]", i, got)
		}
	}

	c, _ := e.Authenticate(ctx, tok.AccessToken)
	if err := e.cfg.Tokens.RevokeFamily(ctx, c.Claims.OriginJTI); err != nil {
		t.Fatal(err)
	}
	_, err := e.Authenticate(ctx, tok.AccessToken)
	var ce *cognito.Error
	if !errors.As(err, &ce) || ce.Message != msgAccessRevoked {
		t.Errorf("after the revocation: %v, want %q", err, msgAccessRevoked)
	}
}
