package auth

import (
	"sync"
	"time"
)

// tokenCache remembers, for a short while, which principal a token hash
// belongs to. Every API request authenticates, and without it each one
// spends a PostgreSQL round trip and a pool connection on the lookup
// before its real work: under load from 50 scanners that is half the
// queries of a single scan (issue 15). Only found tokens are kept, so a
// new token works at once; a revocation through this process clears the
// cache, one made by another process (tongpei token revoke) takes effect
// within the cache's TTL.
type tokenCache struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[[32]byte]cachedPrincipal
}

type cachedPrincipal struct {
	p       Principal
	expires time.Time
}

// maxCachedTokens bounds the cache's memory; past it the cache starts
// over, which costs one lookup per token.
const maxCachedTokens = 4096

// CacheTokens makes Authenticate remember found tokens for ttl (0 or less:
// ask PostgreSQL every time, the default). serve sets it; one-shot
// commands and tests do not.
func (s *Store) CacheTokens(ttl time.Duration) {
	if ttl <= 0 {
		s.cache = nil
		return
	}
	s.cache = &tokenCache{ttl: ttl, m: map[[32]byte]cachedPrincipal{}}
}

func (c *tokenCache) get(h []byte) (Principal, bool) {
	if c == nil {
		return Principal{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[[32]byte(h)]
	if !ok || time.Now().After(e.expires) {
		return Principal{}, false
	}
	return e.p, true
}

func (c *tokenCache) put(h []byte, p Principal) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxCachedTokens {
		clear(c.m)
	}
	c.m[[32]byte(h)] = cachedPrincipal{p: p, expires: time.Now().Add(c.ttl)}
}

func (c *tokenCache) clear() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.m)
}
