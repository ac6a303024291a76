package metrics

import (
	"context"
	"time"

	"github.com/userpool/userpool/internal/store"
)

// Store wraps a store so that the calls a sign-in, a refresh and a
// token-authorized action make are timed; the rest pass through
// untimed. Transactions are timed whole, and the store they hand to
// their function is wrapped too.
func Store(s store.Store) store.Store { return measured{s} }

type measured struct{ store.Store }

func (m measured) InTx(ctx context.Context, fn func(tx store.Store) error) error {
	defer observeStore("tx", time.Now())
	return m.Store.InTx(ctx, func(tx store.Store) error { return fn(measured{tx}) })
}

func (m measured) GetPool(ctx context.Context, id string) (store.Pool, error) {
	defer observeStore("get_pool", time.Now())
	return m.Store.GetPool(ctx, id)
}

func (m measured) GetClient(ctx context.Context, id string) (store.Client, error) {
	defer observeStore("get_client", time.Now())
	return m.Store.GetClient(ctx, id)
}

func (m measured) GetUser(ctx context.Context, poolID, key string) (store.User, error) {
	defer observeStore("get_user", time.Now())
	return m.Store.GetUser(ctx, poolID, key)
}

func (m measured) GetUserBySub(ctx context.Context, poolID, sub string) (store.User, error) {
	defer observeStore("get_user_by_sub", time.Now())
	return m.Store.GetUserBySub(ctx, poolID, sub)
}

func (m measured) GetUserBySubAndFamily(ctx context.Context, poolID, sub, familyID string) (store.User, store.FamilyState, error) {
	defer observeStore("get_user_by_sub_and_family", time.Now())
	return m.Store.GetUserBySubAndFamily(ctx, poolID, sub, familyID)
}

func (m measured) GetUserByAlias(ctx context.Context, poolID string, alias store.AliasKind, key string) (store.User, error) {
	defer observeStore("get_user_by_alias", time.Now())
	return m.Store.GetUserByAlias(ctx, poolID, alias, key)
}

func (m measured) UpdateUser(ctx context.Context, poolID, sub string, fn func(*store.User) error) (store.User, error) {
	defer observeStore("update_user", time.Now())
	return m.Store.UpdateUser(ctx, poolID, sub, fn)
}

func (m measured) ClearSignInFailures(ctx context.Context, poolID, sub string) error {
	defer observeStore("clear_sign_in_failures", time.Now())
	return m.Store.ClearSignInFailures(ctx, poolID, sub)
}

func (m measured) GetRefreshFamily(ctx context.Context, id string) (store.RefreshFamily, error) {
	defer observeStore("get_refresh_family", time.Now())
	return m.Store.GetRefreshFamily(ctx, id)
}

func (m measured) GetRefreshToken(ctx context.Context, id string) (store.RefreshToken, store.RefreshFamily, error) {
	defer observeStore("get_refresh_token", time.Now())
	return m.Store.GetRefreshToken(ctx, id)
}

func (m measured) CreateRefreshFamily(ctx context.Context, f store.RefreshFamily, first store.RefreshToken) error {
	defer observeStore("create_refresh_family", time.Now())
	return m.Store.CreateRefreshFamily(ctx, f, first)
}

func (m measured) RotateRefreshToken(ctx context.Context, oldID string, at, graceStart, collectBefore time.Time, next store.RefreshToken) error {
	defer observeStore("rotate_refresh_token", time.Now())
	return m.Store.RotateRefreshToken(ctx, oldID, at, graceStart, collectBefore, next)
}
