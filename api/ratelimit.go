package api

import (
	"sync"
	"time"
)

// tokenBuckets holds one token bucket per caller: rate requests per second
// on average, burst at once. Idle callers' buckets are dropped, so memory
// stays bounded by the callers active within a minute (and by maxCallers
// whatever they do: past it, the fullest idle buckets go first, which
// forgets only callers that were far under their rate anyway).
type tokenBuckets struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	buckets map[[16]byte]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

const (
	bucketIdle = time.Minute
	maxCallers = 100_000
)

func newTokenBuckets(rate float64, burst int) *tokenBuckets {
	return &tokenBuckets{rate: rate, burst: float64(burst), buckets: map[[16]byte]*bucket{}}
}

// take spends one token of key's bucket at now; when none is left it
// reports how long until one is.
func (t *tokenBuckets) take(key [16]byte, now time.Time) (time.Duration, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if now.Sub(t.swept) > bucketIdle || len(t.buckets) >= maxCallers {
		t.sweep(now)
	}
	b := t.buckets[key]
	if b == nil {
		b = &bucket{tokens: t.burst, at: now}
		t.buckets[key] = b
	}
	b.tokens = min(t.burst, b.tokens+now.Sub(b.at).Seconds()*t.rate)
	b.at = now
	if b.tokens < 1 {
		return time.Duration((1 - b.tokens) / t.rate * float64(time.Second)), false
	}
	b.tokens--
	return 0, true
}

// sweep drops the buckets that would be full by now: forgetting them
// changes no answer. When every caller is active and the map is still at
// its bound, it is emptied: a burst of fresh buckets is the worst outcome.
func (t *tokenBuckets) sweep(now time.Time) {
	t.swept = now
	for k, b := range t.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*t.rate >= t.burst {
			delete(t.buckets, k)
		}
	}
	if len(t.buckets) >= maxCallers {
		clear(t.buckets)
	}
}
