package store

import (
	"context"
	"time"
)

// PoolSetting is one named configuration document of a pool that the pool
// record has no place for (a risk configuration, for the pool or for one
// of its clients). Value is JSON owned by the userpool package.
type PoolSetting struct {
	PoolID    string
	Name      string
	Value     []byte
	UpdatedAt time.Time
}

// PoolSettings keeps a pool's named configuration documents. They go with
// their pool.
type PoolSettings interface {
	// PutPoolSetting creates or replaces a setting. ErrNotFound when the
	// pool does not exist.
	PutPoolSetting(ctx context.Context, s PoolSetting) error
	// GetPoolSetting returns a setting. ErrNotFound when there is none.
	GetPoolSetting(ctx context.Context, poolID, name string) (PoolSetting, error)
	// DeletePoolSetting deletes a setting. ErrNotFound when there is none.
	DeletePoolSetting(ctx context.Context, poolID, name string) error
}
