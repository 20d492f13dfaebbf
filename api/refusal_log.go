package api

import (
	"log/slog"
	"sync"
	"time"
)

// ctxRefusedEarly marks a request the admission gates refused (503 over a
// class's budget, 429 over a token's rate) before any work was done.
const ctxRefusedEarly = "refused_early"

// refusalEvery is how often refused requests are summed up in the log.
const refusalEvery = 10 * time.Second

// refusalSummary writes refused requests to the log as one WARN line per
// refusalEvery instead of one ERROR line each: at twice the sustainable
// rate half the requests are refusals, and a line each (thousands a second)
// would spend the CPU the accepted ones need, and bury everything else in
// the log. tongpei_http_refused_total counts each one.
type refusalSummary struct {
	mu      sync.Mutex
	logged  time.Time   // when the last line was written
	count   map[int]int // refusals since, by status
	example string      // the last refused route
}

var refusals = &refusalSummary{count: map[int]int{}}

// note counts one refusal and writes the line when the last is refusalEvery
// old (the first refusal after a quiet spell is written at once).
func (r *refusalSummary) note(status int, method, route string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.count[status]++
	r.example = method + " " + route
	now := time.Now()
	if now.Sub(r.logged) < refusalEvery {
		return
	}
	slog.Warn("refusing requests under load", "503", r.count[503], "429", r.count[429],
		"within_s", min(now.Sub(r.logged), refusalEvery).Seconds(), "last", r.example)
	r.logged, r.count = now, map[int]int{}
}
