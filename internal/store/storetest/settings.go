package storetest

import (
	"testing"
	"time"

	"github.com/userpool/userpool/internal/store"
)

// testPoolSettings checks a pool's named settings: put creates and
// replaces, get and delete find them by pool and name, a missing pool is
// refused, and deleting the pool deletes them.
func testPoolSettings(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	b := mustPool(t, s, "pool-b")

	ps := store.PoolSetting{PoolID: a.ID, Name: "risk", Value: []byte(`{"x":1}`), UpdatedAt: t0}
	noErr(t, "PutPoolSetting", s.PutPoolSetting(ctx, ps))
	noErr(t, "PutPoolSetting(other pool)", s.PutPoolSetting(ctx, store.PoolSetting{PoolID: b.ID, Name: "risk", Value: []byte(`{}`), UpdatedAt: t0}))
	got, err := s.GetPoolSetting(ctx, a.ID, "risk")
	noErr(t, "GetPoolSetting", err)
	if d := diff(ps, got); d != "" {
		t.Errorf("GetPoolSetting (-want +got):\n%s", d)
	}

	ps.Value, ps.UpdatedAt = []byte(`{"x":2}`), t0.Add(time.Hour)
	noErr(t, "PutPoolSetting(replace)", s.PutPoolSetting(ctx, ps))
	got, err = s.GetPoolSetting(ctx, a.ID, "risk")
	noErr(t, "GetPoolSetting(replaced)", err)
	if d := diff(ps, got); d != "" {
		t.Errorf("GetPoolSetting after replace (-want +got):\n%s", d)
	}

	_, err = s.GetPoolSetting(ctx, a.ID, "risk/client")
	wantErr(t, "GetPoolSetting(other name)", err, store.ErrNotFound)
	wantErr(t, "PutPoolSetting(missing pool)", s.PutPoolSetting(ctx, store.PoolSetting{PoolID: "pool-missing", Name: "risk", UpdatedAt: t0}), store.ErrNotFound)

	noErr(t, "DeletePoolSetting", s.DeletePoolSetting(ctx, a.ID, "risk"))
	_, err = s.GetPoolSetting(ctx, a.ID, "risk")
	wantErr(t, "GetPoolSetting(deleted)", err, store.ErrNotFound)
	wantErr(t, "DeletePoolSetting(again)", s.DeletePoolSetting(ctx, a.ID, "risk"), store.ErrNotFound)

	noErr(t, "DeletePool(b)", s.DeletePool(ctx, b.ID))
	noErr(t, "CreatePool(b again)", s.CreatePool(ctx, newPool(b.ID)))
	_, err = s.GetPoolSetting(ctx, b.ID, "risk")
	wantErr(t, "GetPoolSetting(after its pool was deleted)", err, store.ErrNotFound)
}
