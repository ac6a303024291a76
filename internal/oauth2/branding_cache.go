package oauth2

import (
	"container/list"
	"sync"

	"github.com/userpool/userpool/internal/userpool"
)

// Compiled managed login styles are kept per node: a style may hold 40
// assets of up to 1 MB each (the model's bounds), and reading and
// decoding it for every page and every asset request cost far more than
// the page itself. A compiled style is used only while it is the stored
// one: every request reads the client's reference to its style
// (userpool.Service.HostedStyle: the domain and a pointer, not the
// style), whose Revision is new on every write. A change made through any
// node is thus on every node's next request: nothing is stale, where the
// pool and client settings cache (userpool's settings_cache.go) allows
// 5 s on the nodes that did not write. Memory is bounded below: at most
// brandingCacheEntries styles and brandingCacheBytes bytes of stylesheets
// and assets.
const (
	// brandingCacheBytes bounds the bytes of stylesheets and assets kept:
	// at least one style of the largest size, and the whole of the styles
	// most servers have (a logo, a background and favicons are tens of
	// kilobytes). A style larger than this is compiled on every request.
	brandingCacheBytes = 64 << 20
	// brandingCacheEntries bounds the styles kept, one per app client;
	// the least recently used goes first.
	brandingCacheEntries = 1_000
	// brandingEntryOverhead is counted for each style besides its bytes:
	// its URLs, maps and list element.
	brandingEntryOverhead = 1 << 10
)

// brandingClient is the app client a compiled style is kept for: the
// URLs in it name its pool and client.
type brandingClient struct{ poolID, clientID string }

// brandingCache keeps the last compiled style of each app client, most
// recently used first, within maxEntries styles and maxBytes bytes.
type brandingCache struct {
	maxEntries int
	maxBytes   int64

	mu      sync.Mutex
	bytes   int64
	order   list.List // of *brandingEntry
	entries map[brandingClient]*list.Element
}

type brandingEntry struct {
	ref   userpool.ManagedLoginRef
	style *compiledBranding
}

func newBrandingCache(maxEntries int, maxBytes int64) *brandingCache {
	return &brandingCache{maxEntries: max(maxEntries, 1), maxBytes: maxBytes, entries: map[brandingClient]*list.Element{}}
}

// get returns the style compiled from the stored style and revision ref
// names, if it is kept.
func (c *brandingCache) get(ref userpool.ManagedLoginRef) (*compiledBranding, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[brandingClient{ref.PoolID, ref.ClientID}]
	if !ok || el.Value.(*brandingEntry).ref != ref {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*brandingEntry).style, true
}

// put keeps style as compiled from what ref names, in place of what its
// client had, evicting the least recently used styles to make room.
func (c *brandingCache) put(ref userpool.ManagedLoginRef, style *compiledBranding) {
	if style.size > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	key := brandingClient{ref.PoolID, ref.ClientID}
	if el, ok := c.entries[key]; ok {
		c.remove(el)
	}
	for c.order.Len() > 0 && (c.order.Len() >= c.maxEntries || c.bytes+style.size > c.maxBytes) {
		c.remove(c.order.Back())
	}
	c.entries[key] = c.order.PushFront(&brandingEntry{ref: ref, style: style})
	c.bytes += style.size
}

// remove drops an element. Called with mu held.
func (c *brandingCache) remove(el *list.Element) {
	e := c.order.Remove(el).(*brandingEntry)
	delete(c.entries, brandingClient{e.ref.PoolID, e.ref.ClientID})
	c.bytes -= e.style.size
}

// usage is the number of styles kept and their bytes.
func (c *brandingCache) usage() (int, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len(), c.bytes
}
