package userpool

import (
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/sqlite"
)

// Helpers for the unit tests of domains, resource servers, groups and tags.
// Pools are written straight to the store, so these tests depend on
// nothing but the store and the files under test.

// resClock is a settable clock.
type resClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *resClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *resClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func resTestService(t *testing.T) (*Service, store.Store, *resClock) {
	t.Helper()
	st, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "test.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := &resClock{t: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)}
	return New(Config{Store: st, Now: clk.now, Region: "us-east-1", AccountID: "123456789012"}), st, clk
}

// resTestPool stores a pool with the given id and returns the id.
func resTestPool(t *testing.T, s *Service, st store.Store, id string) string {
	t.Helper()
	now := s.now()
	settings, err := encodePool(&cognito.UserPoolType{ID: id, Name: "pool-" + id, ARn: s.poolARN(id)})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreatePool(t.Context(), store.Pool{ID: id, Name: "pool-" + id, Settings: settings, CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	return id
}

// resWantErr asserts err is a *cognito.Error of type typ and, when msg is
// not "", with message msg.
func resWantErr(t *testing.T, err error, typ, msg string) {
	t.Helper()
	var ce *cognito.Error
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want %s", err, typ)
	}
	if ce.Type != typ || (msg != "" && ce.Message != msg) {
		t.Fatalf("err = %s %q, want %s %q", ce.Type, ce.Message, typ, msg)
	}
}

func resNoErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func resPtr[T any](v T) *T { return &v }
