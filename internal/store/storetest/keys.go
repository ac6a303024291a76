package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/store"
)

func newSigningKey(poolID, id, use string, created time.Time) store.SigningKey {
	return store.SigningKey{
		PoolID:    poolID,
		ID:        id,
		Use:       use,
		Sealed:    []byte("sealed:" + poolID + ":" + id + "\x00\xff"),
		Public:    []byte(`{"kty":"RSA","kid":"` + id + `","e":"AQAB","n":"xyz"}`),
		CreatedAt: created,
		ActiveAt:  created.Add(time.Hour),
	}
}

func signingKeyID(k store.SigningKey) string { return k.ID }

func testSigningKeyCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	b := mustPool(t, s, "pool-b")

	list := func(poolID string) []store.SigningKey {
		t.Helper()
		ks, err := s.ListSigningKeys(ctx, poolID)
		if err != nil {
			t.Fatalf("ListSigningKeys(%s): %v", poolID, err)
		}
		return ks
	}
	if ks := list(a.ID); len(ks) != 0 {
		t.Errorf("ListSigningKeys(empty pool) = %d keys", len(ks))
	}
	if ks := list("pool-missing"); len(ks) != 0 {
		t.Errorf("ListSigningKeys(missing pool) = %d keys", len(ks))
	}

	// Created out of order, and with ids whose order is not the age
	// order: the list is oldest first, not by id or insertion.
	newest := newSigningKey(a.ID, "k-a", "id", t0.Add(2*time.Minute))
	oldest := newSigningKey(a.ID, "k-z", "access", t0)
	middle := newSigningKey(a.ID, "k-m", "id", t0.Add(time.Minute))
	middle.ExpiresAt = t0.Add(48 * time.Hour)
	for _, k := range []store.SigningKey{newest, oldest, middle} {
		noErr(t, "CreateSigningKey("+k.ID+")", s.CreateSigningKey(ctx, k))
	}
	// The same kid in another pool is another key.
	elsewhere := newSigningKey(b.ID, "k-a", "access", t0.Add(-time.Hour))
	noErr(t, "CreateSigningKey(other pool)", s.CreateSigningKey(ctx, elsewhere))

	if d := diff([]store.SigningKey{oldest, middle, newest}, list(a.ID)); d != "" {
		t.Errorf("ListSigningKeys (-want +got):\n%s", d)
	}
	if d := diff([]store.SigningKey{elsewhere}, list(b.ID)); d != "" {
		t.Errorf("ListSigningKeys(other pool) (-want +got):\n%s", d)
	}

	dup := newSigningKey(a.ID, "k-a", "access", t0.Add(time.Hour))
	wantErr(t, "CreateSigningKey(duplicate)", s.CreateSigningKey(ctx, dup), store.ErrAlreadyExists)
	wantErr(t, "CreateSigningKey(missing pool)",
		s.CreateSigningKey(ctx, newSigningKey("pool-missing", "k", "id", t0)), store.ErrNotFound)
	if d := cmp.Diff([]string{"k-z", "k-m", "k-a"}, keys(list(a.ID), signingKeyID)); d != "" {
		t.Errorf("keys after rejected creates (-want +got):\n%s", d)
	}

	// Retiring a key: the update is written and read back whole.
	retired, err := s.UpdateSigningKey(ctx, a.ID, oldest.ID, func(k *store.SigningKey) error {
		k.ExpiresAt = t0.Add(24 * time.Hour)
		k.ActiveAt = t0.Add(30 * time.Minute)
		k.Sealed = []byte("resealed")
		return nil
	})
	noErr(t, "UpdateSigningKey", err)
	wantOldest := oldest
	wantOldest.ExpiresAt, wantOldest.ActiveAt, wantOldest.Sealed = t0.Add(24*time.Hour), t0.Add(30*time.Minute), []byte("resealed")
	if d := diff(wantOldest, retired); d != "" {
		t.Errorf("UpdateSigningKey result (-want +got):\n%s", d)
	}
	// A zero ExpiresAt written back stays zero: "may still sign".
	unretired, err := s.UpdateSigningKey(ctx, a.ID, middle.ID, func(k *store.SigningKey) error {
		k.ExpiresAt = time.Time{}
		return nil
	})
	noErr(t, "UpdateSigningKey(clear ExpiresAt)", err)
	if !unretired.ExpiresAt.IsZero() {
		t.Errorf("ExpiresAt after clearing = %v, want zero", unretired.ExpiresAt)
	}
	wantMiddle := middle
	wantMiddle.ExpiresAt = time.Time{}
	if d := diff([]store.SigningKey{wantOldest, wantMiddle, newest}, list(a.ID)); d != "" {
		t.Errorf("ListSigningKeys after updates (-want +got):\n%s", d)
	}

	called := false
	_, err = s.UpdateSigningKey(ctx, a.ID, "k-missing", func(*store.SigningKey) error { called = true; return nil })
	wantErr(t, "UpdateSigningKey(missing)", err, store.ErrNotFound)
	_, err = s.UpdateSigningKey(ctx, b.ID, middle.ID, func(*store.SigningKey) error { called = true; return nil })
	wantErr(t, "UpdateSigningKey(other pool)", err, store.ErrNotFound)
	if called {
		t.Error("UpdateSigningKey(missing) called fn")
	}
	_, err = s.UpdateSigningKey(ctx, a.ID, newest.ID, func(k *store.SigningKey) error {
		k.ExpiresAt = t0
		return errBoom
	})
	if err != errBoom {
		t.Errorf("UpdateSigningKey(abort): err = %v, want fn's error as is", err)
	}
	_, err = s.UpdateSigningKey(ctx, a.ID, newest.ID, func(k *store.SigningKey) error {
		k.ID = "k-renamed"
		return nil
	})
	if err == nil {
		t.Error("UpdateSigningKey accepted a change of the key's id")
	}
	if d := diff([]store.SigningKey{wantOldest, wantMiddle, newest}, list(a.ID)); d != "" {
		t.Errorf("ListSigningKeys after refused updates (-want +got):\n%s", d)
	}

	noErr(t, "DeleteSigningKey", s.DeleteSigningKey(ctx, a.ID, middle.ID))
	wantErr(t, "DeleteSigningKey(again)", s.DeleteSigningKey(ctx, a.ID, middle.ID), store.ErrNotFound)
	wantErr(t, "DeleteSigningKey(other pool)", s.DeleteSigningKey(ctx, b.ID, oldest.ID), store.ErrNotFound)
	if d := cmp.Diff([]string{"k-z", "k-a"}, keys(list(a.ID), signingKeyID)); d != "" {
		t.Errorf("keys after delete (-want +got):\n%s", d)
	}
	// Deleting pool-a's k-a left pool-b's alone, and the reverse.
	noErr(t, "DeleteSigningKey(k-a)", s.DeleteSigningKey(ctx, a.ID, newest.ID))
	if d := diff([]store.SigningKey{elsewhere}, list(b.ID)); d != "" {
		t.Errorf("other pool's keys after delete (-want +got):\n%s", d)
	}

	// Deleting the pool deletes its keys, and leaves no trace that would
	// stop a new pool of the same id from using the same kid.
	noErr(t, "DeletePool", s.DeletePool(ctx, a.ID))
	if ks := list(a.ID); len(ks) != 0 {
		t.Errorf("ListSigningKeys after DeletePool = %d keys", len(ks))
	}
	if d := diff([]store.SigningKey{elsewhere}, list(b.ID)); d != "" {
		t.Errorf("other pool's keys after DeletePool (-want +got):\n%s", d)
	}
	mustPool(t, s, a.ID)
	noErr(t, "CreateSigningKey(recreated pool)", s.CreateSigningKey(ctx, oldest))
}
