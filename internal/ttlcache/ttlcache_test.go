package ttlcache

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

func TestExpiry(t *testing.T) {
	c := New[string, int](10)
	c.Put("a", 1, t0.Add(time.Second), t0)
	if v, ok := c.Get("a", t0); !ok || v != 1 {
		t.Fatalf("Get = %d, %v; want 1, true", v, ok)
	}
	if _, ok := c.Get("a", t0.Add(time.Second)); ok {
		t.Fatal("an entry is returned at its expiry")
	}
	if _, ok := c.Get("b", t0); ok {
		t.Fatal("a missing key is found")
	}
	c.Delete("a")
	if _, ok := c.Get("a", t0); ok {
		t.Fatal("a deleted entry is found")
	}
}

func TestBounded(t *testing.T) {
	c := New[int, int](3)
	c.Put(1, 1, t0.Add(time.Second), t0)
	c.Put(2, 2, t0.Add(time.Hour), t0)
	c.Put(3, 3, t0.Add(time.Hour), t0)
	// Full: the expired entry goes first.
	later := t0.Add(2 * time.Second)
	c.Put(4, 4, t0.Add(time.Hour), later)
	if c.Len() != 3 {
		t.Fatalf("Len = %d, want 3", c.Len())
	}
	for _, k := range []int{2, 3, 4} {
		if _, ok := c.Get(k, later); !ok {
			t.Errorf("live entry %d was evicted while an expired one was there", k)
		}
	}
	// Full of live entries: one of them goes, and the new one is kept.
	c.Put(5, 5, t0.Add(time.Hour), later)
	if c.Len() != 3 {
		t.Fatalf("Len = %d, want 3", c.Len())
	}
	if _, ok := c.Get(5, later); !ok {
		t.Error("the new entry was not kept")
	}
	// Replacing a key in a full cache evicts nothing.
	c.Put(5, 50, t0.Add(time.Hour), later)
	if c.Len() != 3 {
		t.Fatalf("Len after replace = %d, want 3", c.Len())
	}
}

func TestDeleteFunc(t *testing.T) {
	c := New[string, string](10)
	for i := range 4 {
		c.Put(fmt.Sprint(i), fmt.Sprint("pool", i%2), t0.Add(time.Hour), t0)
	}
	c.DeleteFunc(func(_, v string) bool { return v == "pool0" })
	if c.Len() != 2 {
		t.Fatalf("Len = %d, want 2", c.Len())
	}
	if _, ok := c.Get("1", t0); !ok {
		t.Error("a non-matching entry was dropped")
	}
}

func TestConcurrent(t *testing.T) {
	c := New[int, int](50)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				c.Put(i%100, g, t0.Add(time.Minute), t0)
				c.Get((i+g)%100, t0)
				if i%97 == 0 {
					c.Delete(i % 100)
				}
			}
		})
	}
	wg.Wait()
	if c.Len() > 50 {
		t.Fatalf("Len = %d over the bound", c.Len())
	}
}
