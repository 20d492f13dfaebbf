package api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
)

const ctxRequestID = "request_id"

// requestID gives every request an id, taken from X-Request-Id when the
// client sent a sane one, and echoes it back.
func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-Id")
		if id == "" || len(id) > 64 {
			b := make([]byte, 8)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Set(ctxRequestID, id)
		c.Header("X-Request-Id", id)
		c.Next()
	}
}

// recoverProblem turns a panic into a logged 500 problem, never a stack
// trace on the wire.
func recoverProblem() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				fail(c, errs.Wrap(fmt.Errorf("panic: %v", r), "handler panicked"))
			}
		}()
		c.Next()
	}
}

// httpMetrics holds the request counters and latencies /metrics exposes.
type httpMetrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tongpei_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "tongpei_http_request_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.latency)
	return m
}

// observe logs each request and records its metrics under the route
// pattern, so ids in paths do not explode the label space.
func (m *httpMetrics) observe(dm *domainMetrics) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		status := c.Writer.Status()
		elapsed := time.Since(start)
		m.requests.WithLabelValues(c.Request.Method, route, strconv.Itoa(status)).Inc()
		m.latency.WithLabelValues(c.Request.Method, route).Observe(elapsed.Seconds())
		if status == 401 || status == 403 {
			dm.authFailures.WithLabelValues(strconv.Itoa(status)).Inc()
		}
		if c.GetBool(ctxRefusedEarly) {
			refusals.note(status, c.Request.Method, route)
			return
		}
		// One access line per request at INFO, so that the default level
		// shows who did what; a 5xx is an ERROR an operator must look at.
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		slog.Log(c.Request.Context(), level, "http", "method", c.Request.Method, "route", route, "path", c.Request.URL.Path,
			"status", status, "ms", elapsed.Milliseconds(), "request_id", c.GetString(ctxRequestID), "principal", principalLabel(principal(c)))
	}
}

// principalLabel names the caller in access logs: role, scope and the
// person's name, never the token; "-" for an anonymous request.
func principalLabel(p auth.Principal) string {
	if p.Role == "" {
		return "-"
	}
	label := string(p.Role)
	if p.Scope != "" {
		label += ":" + p.Scope
	}
	if p.Name != "" {
		label += "(" + p.Name + ")"
	}
	return label
}
