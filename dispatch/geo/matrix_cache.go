package geo

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
)

// CachedMatrix is one computed set of matrices and what the source could not
// reach. Callers must not modify it: it is shared.
type CachedMatrix struct {
	Source      string // "road_network:<id>", "uploaded:<id>" or "great_circle"
	Distances   []int64
	Durations   []int64
	Unreachable []Unreachable
}

// MatrixCache keeps matrices per station set, because a day is re-planned
// and its counterfactual solved over the same stations: shortest paths over
// a county's roads are the slow part worth keeping. Keys include the source
// (and so the road network's id), and Invalidate drops everything when the
// network or an uploaded matrix changes. Safe for concurrent use; the oldest
// entry goes when the cache is full.
type MatrixCache struct {
	mu    sync.Mutex
	max   int
	order []string
	m     map[string]*CachedMatrix
}

// NewMatrixCache holds at most max station sets.
func NewMatrixCache(max int) *MatrixCache {
	return &MatrixCache{max: max, m: map[string]*CachedMatrix{}}
}

// MatrixKey names a station set under a source: the codes in matrix order
// (hub first) matter, since the matrix rows follow them.
func MatrixKey(source string, codes []string) string {
	h := sha256.Sum256([]byte(strings.Join(codes, "\x00")))
	return source + "/" + hex.EncodeToString(h[:12])
}

// Get returns the cached matrix for key, if any.
func (c *MatrixCache) Get(key string) (*CachedMatrix, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.m[key]
	return m, ok
}

// Put stores a matrix under key.
func (c *MatrixCache) Put(key string, m *CachedMatrix) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[key]; !ok {
		c.order = append(c.order, key)
	}
	c.m[key] = m
	for len(c.order) > c.max {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
}

// Invalidate forgets every matrix: the road network or an uploaded matrix
// changed.
func (c *MatrixCache) Invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = map[string]*CachedMatrix{}
	c.order = nil
}

// Len is how many station sets are cached.
func (c *MatrixCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
