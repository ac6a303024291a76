package ttlcache

import (
	"sync"
	"time"
)

// Cache maps keys to values until each value's expiry. It holds at most
// Max entries: a Put into a full cache first drops the expired entries
// and, when none had expired, an arbitrary one (Go's map order), which is
// enough for caches whose misses are merely slower.
type Cache[K comparable, V any] struct {
	max int

	mu      sync.RWMutex
	entries map[K]entry[V]
}

type entry[V any] struct {
	v       V
	expires time.Time
}

// New returns a cache of at most size entries (at least 1).
func New[K comparable, V any](size int) *Cache[K, V] {
	return &Cache[K, V]{max: max(size, 1), entries: map[K]entry[V]{}}
}

// Get returns the value of k if it has not expired at now.
func (c *Cache[K, V]) Get(k K, now time.Time) (V, bool) {
	c.mu.RLock()
	e, ok := c.entries[k]
	c.mu.RUnlock()
	if !ok || !now.Before(e.expires) {
		var zero V
		return zero, false
	}
	return e.v, true
}

// Put keeps v for k until expires; now is the time of the call, used to
// drop expired entries when the cache is full.
func (c *Cache[K, V]) Put(k K, v V, expires, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[k]; !ok && len(c.entries) >= c.max {
		c.evict(now)
	}
	c.entries[k] = entry[V]{v: v, expires: expires}
}

// evict makes room for one entry. Called with mu held.
func (c *Cache[K, V]) evict(now time.Time) {
	for k, e := range c.entries {
		if !now.Before(e.expires) {
			delete(c.entries, k)
		}
	}
	if len(c.entries) < c.max {
		return
	}
	for k := range c.entries {
		delete(c.entries, k)
		return
	}
}

// Delete drops k, so that the next Get misses.
func (c *Cache[K, V]) Delete(k K) {
	c.mu.Lock()
	delete(c.entries, k)
	c.mu.Unlock()
}

// DeleteFunc drops every entry whose key and value match.
func (c *Cache[K, V]) DeleteFunc(match func(K, V) bool) {
	c.mu.Lock()
	for k, e := range c.entries {
		if match(k, e.v) {
			delete(c.entries, k)
		}
	}
	c.mu.Unlock()
}

// Len is the number of entries held, expired ones included.
func (c *Cache[K, V]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}
