package api

import (
	"crypto/sha256"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tongpei/tongpei/internal/errs"
)

// Route classes share a budget of requests in flight: a flood of scans must
// not starve the reads a keeper's shelf needs, and a few slow optimiser runs
// must not take every database connection.
const (
	ClassScans    = "scans"    // POST /v1/scans
	ClassPlanning = "planning" // the optimiser, daily plans, road networks
	ClassReads    = "reads"    // every GET
	ClassWrites   = "writes"   // every other change
)

// Limits bound the work the server takes on at once (issue 15). A request
// beyond its class's in-flight budget waits in a queue of at most
// QueueFactor × budget, at most QueueWait, and only QueueTarget once the
// queue has stood for a whole QueueWait (CoDel with adaptive LIFO: see
// gate), then is refused with 503 and Retry-After;
// a token beyond TokenRate requests per second (burst TokenBurst) is
// refused with 429. Refusing early keeps the accepted requests fast and the
// memory bounded: an overloaded server answers most requests quickly
// instead of every request slowly. The zero value limits nothing.
type Limits struct {
	InFlight    map[string]int // per class; 0 or absent: unlimited
	QueueWait   time.Duration
	QueueTarget time.Duration // 0: every waiter may wait QueueWait, first come first served
	QueueFactor int
	TokenRate   float64 // requests per second per token; 0: unlimited
	TokenBurst  int
	// MaxConns bounds the open connections (LimitConnections); 0: unlimited.
	MaxConns int
}

// DefaultLimits suit the 2-core machine of the county centre with a pool of
// 8 PostgreSQL connections: scans are gathered into group commits, so many
// may be in flight; planning is CPU-bound, so few.
func DefaultLimits() Limits {
	return Limits{
		InFlight:    map[string]int{ClassScans: 48, ClassReads: 32, ClassWrites: 16, ClassPlanning: 2},
		QueueWait:   200 * time.Millisecond,
		QueueTarget: 5 * time.Millisecond,
		QueueFactor: 2,
		TokenRate:   100,
		TokenBurst:  200,
		MaxConns:    2048,
	}
}

// classOf sorts a route into its class by method and pattern.
func classOf(method, route string) string {
	switch {
	case method == http.MethodPost && route == "/v1/scans":
		return ClassScans
	case method == http.MethodGet || method == http.MethodHead:
		return ClassReads
	case route == "/v1/optimize" || route == "/v1/dispatch/plans" || route == "/v1/dispatch/plans/:id/publish" ||
		strings.HasPrefix(route, "/v1/road-network"):
		return ClassPlanning
	}
	return ClassWrites
}

// admission is the middleware state: the gates, the per-token buckets and
// the refusal counter /metrics shows.
type admission struct {
	limits  Limits
	gates   map[string]*gate
	tokens  *tokenBuckets
	refused *prometheus.CounterVec
}

func newAdmission(l Limits, reg prometheus.Registerer) *admission {
	a := &admission{limits: l, gates: map[string]*gate{}}
	for class, n := range l.InFlight {
		if n > 0 {
			a.gates[class] = newGate(n, l.QueueFactor)
		}
	}
	if l.TokenRate > 0 {
		a.tokens = newTokenBuckets(l.TokenRate, max(l.TokenBurst, 1))
	}
	a.refused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tongpei_http_refused_total", Help: "Requests refused early: 503 over a class's budget, 429 over a token's rate.",
	}, []string{"class", "status"})
	reg.MustRegister(a.refused)
	return a
}

// admit refuses a request over its token's rate (429), then holds it until
// its class has room or refuses it (503), both with Retry-After. It runs
// before authentication, which itself costs a database round trip.
func (a *admission) admit() gin.HandlerFunc {
	return func(c *gin.Context) {
		class := classOf(c.Request.Method, c.FullPath())
		if a.tokens != nil {
			if wait, ok := a.tokens.take(callerKey(c), time.Now()); !ok {
				a.refused.WithLabelValues(class, "429").Inc()
				c.Set(ctxRefusedEarly, true)
				c.Header("Retry-After", retryAfterSeconds(wait))
				fail(c, errs.E(errs.RateLimited, "this token sends more than %g requests per second; wait %s and send again, or batch scans", a.limits.TokenRate, retryAfterSeconds(wait)+" s"))
				return
			}
		}
		g := a.gates[class]
		if g == nil {
			c.Next()
			return
		}
		wait, target := a.limits.QueueWait, a.limits.QueueTarget
		if !g.enter(c.Request.Context(), wait, target) {
			a.refused.WithLabelValues(class, "503").Inc()
			c.Set(ctxRefusedEarly, true)
			c.Header("Retry-After", "1")
			fail(c, errs.E(errs.Unavailable, "the server is busy with %s; send again after 1 s (nothing of this request was applied)", class))
			return
		}
		defer g.leave(wait, target)
		c.Next()
	}
}

// callerKey identifies the caller for rate limiting without a database
// look-up: a digest of its credential, or its address when it sends none.
func callerKey(c *gin.Context) [16]byte {
	cred := c.GetHeader("Authorization")
	if cred == "" {
		if ck, err := c.Cookie("tongpei_session"); err == nil {
			cred = "cookie " + ck
		} else {
			cred = "ip " + c.ClientIP()
		}
	}
	sum := sha256.Sum256([]byte(cred))
	return [16]byte(sum[:16])
}

// retryAfterSeconds is a wait in whole seconds for the Retry-After header, at
// least 1.
func retryAfterSeconds(d time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(d.Seconds()))))
}
