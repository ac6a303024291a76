package storetest

import (
	"testing"
	"time"

	"github.com/userpool/userpool/internal/store"
)

func testProviderLinks(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	b := mustPool(t, s, "pool-b")
	carlos := mustUser(t, s, newUser(a.ID, "carlos"))
	other := mustUser(t, s, newUser(b.ID, "carlos"))
	for _, p := range []store.IdentityProvider{newIDP(a.ID, "Google"), newIDP(a.ID, "Corp"), newIDP(a.ID, "Gone"), newIDP(b.ID, "Google")} {
		noErr(t, "CreateIdentityProvider", s.CreateIdentityProvider(ctx, p))
	}

	l1 := store.ProviderLink{PoolID: a.ID, ProviderName: "Google", AttributeName: "Cognito_Subject",
		AttributeValue: "1173002060", Sub: carlos.Sub, CreatedAt: t0}
	l2 := store.ProviderLink{PoolID: a.ID, ProviderName: "Corp", AttributeName: "email",
		AttributeValue: "carlos@example.com", Sub: carlos.Sub, CreatedAt: t0.Add(time.Second)}
	noErr(t, "CreateProviderLink", s.CreateProviderLink(ctx, l1))
	noErr(t, "CreateProviderLink", s.CreateProviderLink(ctx, l2))
	// The same identity in another pool is another identity.
	noErr(t, "CreateProviderLink(other pool)", s.CreateProviderLink(ctx, store.ProviderLink{PoolID: b.ID,
		ProviderName: "Google", AttributeName: "Cognito_Subject", AttributeValue: "1173002060", Sub: other.Sub, CreatedAt: t0}))

	dup := l1
	dup.Sub = carlos.Sub
	wantErr(t, "CreateProviderLink(linked already)", s.CreateProviderLink(ctx, dup), store.ErrAlreadyExists)
	ghost := l1
	ghost.AttributeValue, ghost.Sub = "42", "no-such-sub"
	wantErr(t, "CreateProviderLink(no user)", s.CreateProviderLink(ctx, ghost), store.ErrNotFound)
	ghost = l1
	ghost.ProviderName, ghost.AttributeValue = "Okta", "42"
	wantErr(t, "CreateProviderLink(no provider)", s.CreateProviderLink(ctx, ghost), store.ErrNotFound)

	// A provider's links go with it.
	gone := store.ProviderLink{PoolID: a.ID, ProviderName: "Gone", AttributeName: "Cognito_Subject", AttributeValue: "1", Sub: carlos.Sub, CreatedAt: t0}
	noErr(t, "CreateProviderLink(Gone)", s.CreateProviderLink(ctx, gone))
	noErr(t, "DeleteIdentityProvider", s.DeleteIdentityProvider(ctx, a.ID, "Gone"))
	_, err := s.GetProviderLink(ctx, a.ID, "Gone", "Cognito_Subject", "1")
	wantErr(t, "GetProviderLink(provider deleted)", err, store.ErrNotFound)

	got, err := s.GetProviderLink(ctx, a.ID, "Google", "Cognito_Subject", "1173002060")
	noErr(t, "GetProviderLink", err)
	if d := diff(l1, got); d != "" {
		t.Errorf("GetProviderLink (-want +got):\n%s", d)
	}
	_, err = s.GetProviderLink(ctx, a.ID, "Google", "Cognito_Subject", "other")
	wantErr(t, "GetProviderLink(missing)", err, store.ErrNotFound)

	list, err := s.ListProviderLinks(ctx, a.ID, carlos.Sub)
	noErr(t, "ListProviderLinks", err)
	if d := diff([]store.ProviderLink{l1, l2}, list); d != "" {
		t.Errorf("ListProviderLinks (-want +got):\n%s", d)
	}

	noErr(t, "DeleteProviderLink", s.DeleteProviderLink(ctx, a.ID, "Corp", "email", "carlos@example.com"))
	wantErr(t, "DeleteProviderLink(again)", s.DeleteProviderLink(ctx, a.ID, "Corp", "email", "carlos@example.com"), store.ErrNotFound)

	// A user's links go with it.
	noErr(t, "DeleteUser", s.DeleteUser(ctx, a.ID, carlos.Sub))
	_, err = s.GetProviderLink(ctx, a.ID, "Google", "Cognito_Subject", "1173002060")
	wantErr(t, "GetProviderLink(user deleted)", err, store.ErrNotFound)
	if _, err := s.GetProviderLink(ctx, b.ID, "Google", "Cognito_Subject", "1173002060"); err != nil {
		t.Errorf("GetProviderLink(other pool) after the user's deletion: %v", err)
	}
}
