package userpool

import (
	"sync/atomic"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/ttlcache"
)

// Pool and client settings are read on every sign-in, refresh and
// token-authorized call, and decoding a pool's JSON costs more than
// reading it. Each node keeps them decoded for at most settingsTTL:
//
//   - on the node that writes a pool or client, a change is seen at once:
//     every write bumps the settings generation when it returns, and an
//     entry cached under an older generation is never served (so a read
//     that raced with the write cannot put the old settings back);
//   - on other nodes sharing the database, for at most settingsTTL, well
//     within the time Cognito itself documents for configuration changes
//     to take effect (changes are eventually consistent there).
//
// Only settings are cached: users, refresh-token families and revocation
// are read from the store on every request.
const (
	settingsTTL = 5 * time.Second
	// settingsCacheSize bounds the entries per cache; a server with more
	// pools or clients than this only decodes more often.
	settingsCacheSize = 10_000
)

// cached is a cached value and the settings generation it was read in.
type cached[T any] struct {
	v   *T
	gen uint64
}

// settingsCache holds decoded pools and clients.
type settingsCache struct {
	gen     atomic.Uint64
	pools   *ttlcache.Cache[string, cached[cognito.UserPoolType]]
	clients *ttlcache.Cache[string, cached[AppClient]]
}

func newSettingsCache() *settingsCache {
	return &settingsCache{
		pools:   ttlcache.New[string, cached[cognito.UserPoolType]](settingsCacheSize),
		clients: ttlcache.New[string, cached[AppClient]](settingsCacheSize),
	}
}

// changed marks every cached setting stale. Writers call it after their
// write has committed (deferred), whatever its outcome.
func (c *settingsCache) changed() { c.gen.Add(1) }

// lookup returns a copy of the cached value of key, if it is fresh. The
// copy is shallow: callers may set its fields (DescribeUserPool adds the
// computed ones) but must not change what they point to.
func lookup[T any](c *settingsCache, m *ttlcache.Cache[string, cached[T]], key string, now time.Time) (*T, bool) {
	e, ok := m.Get(key, now)
	if !ok || e.gen != c.gen.Load() {
		return nil, false
	}
	v := *e.v
	return &v, true
}

// remember caches v as read in generation gen (loaded before the read).
func remember[T any](m *ttlcache.Cache[string, cached[T]], key string, v *T, gen uint64, now time.Time) *T {
	m.Put(key, cached[T]{v: v, gen: gen}, now.Add(settingsTTL), now)
	c := *v
	return &c
}
