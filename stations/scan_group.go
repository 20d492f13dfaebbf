package stations

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/internal/tenant"
)

// Group commit for single scans (issue 15). A phone sends one scan per
// request; as its own transaction each costs four round trips and a WAL
// flush, which caps single scans far below what the batch path does. So
// concurrent single scans are gathered for a moment and applied together by
// the batch path in one transaction, each caller getting its own result,
// and only after that transaction committed: the durability of a scan is
// unchanged, and a resend is still answered "duplicate". This is the group
// commit of database logs (DeWitt et al., "Implementation techniques for
// main memory database systems", SIGMOD 1984, §5), one level up.
const (
	// DefaultGroupWindow is how long the first scan of a group waits for
	// others; a group also grows while every transaction slot is busy.
	DefaultGroupWindow = time.Millisecond
	// DefaultGroupFlushes bounds the group transactions in flight, leaving
	// the rest of a pool of 8 to other work.
	DefaultGroupFlushes = 4
	// maxGroup bounds one group, like a batch.
	maxGroup = 500
	// groupTimeout bounds one group's transaction, whatever its callers do.
	groupTimeout = 10 * time.Second
)

// SetGroupCommit sets the gathering window and the group transactions in
// flight; a window of 0 applies every single scan in its own transaction.
func (c *Custody) SetGroupCommit(window time.Duration, flushes int) {
	if window <= 0 || flushes <= 0 {
		c.group = nil
		return
	}
	c.group = &groupCommit{c: c, window: window, slots: make(chan struct{}, flushes), open: map[string]*scanGroup{}}
}

// groupCommit gathers single scans. The first caller to find no open
// group leads a new one: it waits the window, then for a free transaction
// slot, closes the group and applies it. No goroutine of its own, so
// nothing to start or stop.
type groupCommit struct {
	c      *Custody
	window time.Duration
	slots  chan struct{}
	mu     sync.Mutex
	// open is the group gathering, per county: a group's transaction works
	// for one county (row-level security), so a scan of another county
	// must never join it.
	open map[string]*scanGroup
	// groups and grouped count the group transactions and the scans in
	// them: their ratio is the mean group size, which should grow under
	// load (bench-load prints it).
	groups, grouped atomic.Int64
}

var (
	groupsDesc  = prometheus.NewDesc("tongpei_scan_groups_total", "Group-commit transactions of single scans.", nil, nil)
	groupedDesc = prometheus.NewDesc("tongpei_scan_grouped_total", "Single scans applied in group commits.", nil, nil)
)

// GroupCollector exports the group-commit counters to /metrics.
func (c *Custody) GroupCollector() prometheus.Collector { return groupCollector{c} }

type groupCollector struct{ c *Custody }

func (g groupCollector) Describe(ch chan<- *prometheus.Desc) { ch <- groupsDesc; ch <- groupedDesc }
func (g groupCollector) Collect(ch chan<- prometheus.Metric) {
	var n, m int64
	if gc := g.c.group; gc != nil {
		n, m = gc.groups.Load(), gc.grouped.Load()
	}
	ch <- prometheus.MustNewConstMetric(groupsDesc, prometheus.CounterValue, float64(n))
	ch <- prometheus.MustNewConstMetric(groupedDesc, prometheus.CounterValue, float64(m))
}

// scanGroup is one group of one county; its slices are appended to only while it is open,
// and read by the callers only after done is closed.
type scanGroup struct {
	whos    []auth.Principal
	scans   []Scan
	results []Result
	errs    []error
	done    chan struct{}
}

// scan applies one scan in a group and answers its result after commit.
func (g *groupCommit) scan(ctx context.Context, who auth.Principal, s Scan) (Result, error) {
	county := tenant.From(ctx)
	g.mu.Lock()
	grp := g.open[county]
	lead := grp == nil
	if lead {
		grp = &scanGroup{done: make(chan struct{})}
		g.open[county] = grp
	}
	i := len(grp.scans)
	grp.whos, grp.scans = append(grp.whos, who), append(grp.scans, s)
	if len(grp.scans) >= maxGroup {
		delete(g.open, county) // full: the next scan leads a new group
	}
	g.mu.Unlock()
	if lead {
		g.lead(ctx, county, grp)
	}
	select {
	case <-grp.done:
		return grp.results[i], grp.errs[i]
	case <-ctx.Done():
		// The caller gave up; its scan may still commit, and its resend
		// will then be answered "duplicate".
		return Result{}, ctx.Err()
	}
}

// lead gathers, applies and publishes one group of county. The
// transaction does not depend on the leader's context (only its county):
// the other callers wait on it too.
func (g *groupCommit) lead(ctx context.Context, county string, grp *scanGroup) {
	time.Sleep(g.window)
	g.slots <- struct{}{}
	g.mu.Lock()
	if g.open[county] == grp {
		delete(g.open, county)
	}
	g.mu.Unlock()
	defer func() { <-g.slots; close(grp.done) }()
	tctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), groupTimeout)
	defer cancel()
	n := len(grp.scans)
	g.groups.Add(1)
	g.grouped.Add(int64(n))
	grp.results, grp.errs = make([]Result, n), make([]error, n)
	results, err := g.apply(tctx, grp.whos, grp.scans)
	switch {
	case err == nil:
		copy(grp.results, results)
	case n > 1 && pg.Refused(err):
		// The database refused something in the group: apply each scan
		// alone, so that one caller's scan cannot fail the others'.
		for i := range grp.scans {
			r, err := g.apply(tctx, grp.whos[i:i+1], grp.scans[i:i+1])
			if err == nil {
				grp.results[i] = r[0]
			}
			grp.errs[i] = err
		}
	default:
		for i := range grp.errs {
			grp.errs[i] = err
		}
	}
}
