package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// TestAdmissionSheds holds the one scan slot with a blocked request: the
// next waits in the queue and gets the slot when it frees; beyond the
// queue a request is refused at once; a queued request that waits too long
// is refused after QueueWait. Refusals are 503 with Retry-After, and reads
// keep their own budget throughout.
func TestAdmissionSheds(t *testing.T) {
	t.Parallel()
	a := newAdmission(Limits{InFlight: map[string]int{ClassScans: 1, ClassReads: 1}, QueueWait: 300 * time.Millisecond, QueueFactor: 1},
		prometheus.NewRegistry())
	release := make(chan struct{})
	entered := make(chan struct{}, 4)
	r := gin.New()
	r.Use(a.admit())
	r.POST("/v1/scans", func(c *gin.Context) {
		entered <- struct{}{}
		<-release
		c.Status(http.StatusOK)
	})
	r.GET("/v1/stations", func(c *gin.Context) { c.Status(http.StatusOK) })
	send := func(method, path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(method, path, nil))
		return w
	}

	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range codes {
		wg.Add(1)
		go func() { defer wg.Done(); codes[i] = send("POST", "/v1/scans").Code }()
		if i == 0 {
			<-entered // the first holds the slot
		}
	}
	waitFor(t, func() bool { return a.gates[ClassScans].queued() == 1 })
	if w := send("POST", "/v1/scans"); w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "1" {
		t.Errorf("beyond the queue: %d Retry-After %q, want 503 at once with Retry-After 1", w.Code, w.Header().Get("Retry-After"))
	}
	if w := send("GET", "/v1/stations"); w.Code != http.StatusOK {
		t.Errorf("a read while scans are full: %d, want 200", w.Code)
	}
	release <- struct{}{} // the first ends; the queued one enters
	<-entered
	release <- struct{}{}
	wg.Wait()
	if codes[0] != 200 || codes[1] != 200 {
		t.Errorf("held and queued requests: %v, want both 200", codes)
	}

	go func() { <-entered }()
	wg.Add(1)
	go func() { defer wg.Done(); send("POST", "/v1/scans") }()
	waitFor(t, func() bool { return a.gates[ClassScans].busy() == 1 })
	start := time.Now()
	w := send("POST", "/v1/scans")
	if waited := time.Since(start); w.Code != http.StatusServiceUnavailable || waited < 250*time.Millisecond || waited > 2*time.Second {
		t.Errorf("queued past QueueWait: %d after %v, want 503 after about 300ms", w.Code, waited)
	}
	close(release)
	wg.Wait()
}

// TestGateStandingQueue checks the CoDel-style queue: once the queue has
// stood for a whole interval, a new waiter may wait only the target and is
// refused after it, a freed slot goes to the newest waiter (LIFO), and a
// waiter older than the target is refused when a slot frees instead of
// being served late.
func TestGateStandingQueue(t *testing.T) {
	t.Parallel()
	const interval, target = time.Hour, 20 * time.Millisecond
	g := newGate(1, 4)
	ctx := t.Context()
	if !g.enter(ctx, interval, target) {
		t.Fatal("the first request was refused by an empty gate")
	}
	got := make(chan string, 2)
	for i, name := range []string{"old", "new"} {
		go func() { got <- fmt.Sprint(name, " ", g.enter(ctx, interval, target)) }()
		waitFor(t, func() bool { return g.queued() == i+1 })
	}
	g.mu.Lock()
	g.emptyAt = time.Now().Add(-2 * interval) // the queue has stood for two intervals
	g.mu.Unlock()
	start := time.Now()
	if g.enter(ctx, interval, target) {
		t.Fatal("a request joining a standing queue got the slot that nobody freed")
	}
	if waited := time.Since(start); waited < target || waited > 2*time.Second {
		t.Errorf("a request joining a standing queue was refused after %v, want about %v", waited, target)
	}
	g.leave(interval, time.Hour) // a target nobody has waited past: nobody is refused
	if first := <-got; first != "new true" {
		t.Errorf("a standing queue served %q first, want the newest waiter", first)
	}
	g.leave(interval, target) // "old" has waited past the target
	if second := <-got; second != "old false" {
		t.Errorf("the oldest waiter of a standing queue: %q, want refused", second)
	}
	if n, q := g.busy(), g.queued(); n != 0 || q != 0 {
		t.Errorf("%d requests in flight and %d queued after every one left, want 0 and 0", n, q)
	}
}

// TestGateDrainingQueueIsFIFO checks that a queue that empties now and
// then serves its waiters in arrival order.
func TestGateDrainingQueueIsFIFO(t *testing.T) {
	t.Parallel()
	g := newGate(1, 4)
	ctx := t.Context()
	g.enter(ctx, time.Hour, time.Millisecond)
	got := make(chan string, 2)
	for i, name := range []string{"old", "new"} {
		go func() {
			if g.enter(ctx, time.Hour, time.Millisecond) {
				got <- name
			}
		}()
		waitFor(t, func() bool { return g.queued() == i+1 })
	}
	g.leave(time.Hour, time.Millisecond)
	if first := <-got; first != "old" {
		t.Errorf("a draining queue served %q first, want the oldest waiter", first)
	}
	g.leave(time.Hour, time.Millisecond)
	<-got
}

// TestTokenRate lets a token send its burst, refuses the next with 429 and
// the seconds until a request is allowed again, and lets another token
// through meanwhile.
func TestTokenRate(t *testing.T) {
	t.Parallel()
	a := newAdmission(Limits{TokenRate: 0.5, TokenBurst: 3}, prometheus.NewRegistry())
	r := gin.New()
	r.Use(a.admit())
	r.GET("/v1/stations", func(c *gin.Context) { c.Status(http.StatusOK) })
	send := func(token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/v1/stations", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		return w
	}
	for i := range 3 {
		if w := send("a"); w.Code != http.StatusOK {
			t.Fatalf("request %d within the burst: %d", i, w.Code)
		}
	}
	w := send("a")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "2" {
		t.Errorf("past the burst: %d Retry-After %q, want 429 with Retry-After 2 (1 request per 2 s)", w.Code, w.Header().Get("Retry-After"))
	}
	if w := send("b"); w.Code != http.StatusOK {
		t.Errorf("another token: %d, want 200", w.Code)
	}
}

// TestTokenBucketsForget checks that idle callers' buckets are dropped, so
// the memory follows the callers active now.
func TestTokenBucketsForget(t *testing.T) {
	t.Parallel()
	b := newTokenBuckets(10, 5)
	now := time.Now()
	for i := range 1000 {
		b.take([16]byte{byte(i), byte(i >> 8)}, now)
	}
	b.take([16]byte{0xff, 0xff}, now.Add(2*bucketIdle))
	if n := len(b.buckets); n != 1 {
		t.Errorf("%d buckets after the others idled, want 1", n)
	}
}

func TestClassOf(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ method, route, want string }{
		{"POST", "/v1/scans", ClassScans},
		{"GET", "/v1/stations/:code/parcels", ClassReads},
		{"POST", "/v1/optimize", ClassPlanning},
		{"POST", "/v1/dispatch/plans/:id/publish", ClassPlanning},
		{"POST", "/v1/road-network/matrix", ClassPlanning},
		{"POST", "/v1/parcels", ClassWrites},
	} {
		if got := classOf(c.method, c.route); got != c.want {
			t.Errorf("%s %s: %s, want %s", c.method, c.route, got, c.want)
		}
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5 s")
		}
		time.Sleep(time.Millisecond)
	}
}
