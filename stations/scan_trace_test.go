package stations_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/stations"
)

// roundTrips counts what a pool sends: a batch (pipelined statements) is
// one round trip, any other statement (BEGIN and COMMIT included) one each.
type roundTrips struct {
	mu         sync.Mutex
	trips      int
	statements int
	spent      map[string]time.Duration // by first word of a statement, "batch" for a batch
}

type traceStart struct {
	what string
	at   time.Time
}

func (r *roundTrips) add(what string, d time.Duration) {
	r.mu.Lock()
	if r.spent == nil {
		r.spent = map[string]time.Duration{}
	}
	r.spent[what] += d
	r.mu.Unlock()
}

func (r *roundTrips) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	if ctx.Value(inBatch{}) == nil {
		r.mu.Lock()
		r.trips++
		r.statements++
		r.mu.Unlock()
		what, _, _ := strings.Cut(strings.TrimSpace(d.SQL), " ")
		return context.WithValue(ctx, traceStart{}, traceStart{what: strings.ToUpper(what), at: time.Now()})
	}
	return ctx
}
func (r *roundTrips) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryEndData) {
	if s, ok := ctx.Value(traceStart{}).(traceStart); ok {
		r.add(s.what, time.Since(s.at))
	}
}
func (r *roundTrips) TraceBatchStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchStartData) context.Context {
	what := "batch"
	if qs := d.Batch.QueuedQueries; len(qs) > 0 {
		w, _, _ := strings.Cut(strings.TrimSpace(qs[0].SQL), " ")
		what = "batch-" + strings.ToLower(w)
	}
	r.mu.Lock()
	r.trips++
	r.mu.Unlock()
	return context.WithValue(context.WithValue(ctx, inBatch{}, true), traceStart{}, traceStart{what: what, at: time.Now()})
}
func (r *roundTrips) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {
	r.mu.Lock()
	r.statements++
	r.mu.Unlock()
}
func (r *roundTrips) TraceBatchEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchEndData) {
	if s, ok := ctx.Value(traceStart{}).(traceStart); ok {
		r.add(s.what, time.Since(s.at))
	}
}

type inBatch struct{}

func (r *roundTrips) take() (trips, statements int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	trips, statements, r.trips, r.statements = r.trips, r.statements, 0, 0
	return
}

// BenchmarkScanBatchTrips reports the round trips and statements one batch
// of 100 scans costs (go test ./stations/ -run '^$' -bench ScanBatchTrips).
// With TONGPEI_SCAN_EXPLAIN=1 and TONGPEI_SCAN_EXPLAIN_FILE=path it also
// writes PostgreSQL's auto_explain plan and time of every statement of the
// last batch to path, with the time of each trigger (a superuser may LOAD
// auto_explain per session; pg_stat_statements would need a restart with
// shared_preload_libraries). Times per round trip are reported as
// <first word>-µs/batch.
func BenchmarkScanBatchTrips(b *testing.B) {
	f := newCustody(b)
	rt := &roundTrips{}
	// A second pool on the fixture's database, with the tracer.
	cfg := f.pool.Config().Copy()
	cfg.ConnConfig.Tracer = rt
	explain := os.Getenv("TONGPEI_SCAN_EXPLAIN") == "1"
	var notices strings.Builder
	var nmu sync.Mutex
	if explain {
		cfg.ConnConfig.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
			nmu.Lock()
			fmt.Fprintf(&notices, "%s\n", n.Message)
			nmu.Unlock()
		}
		cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
			_, err := c.Exec(ctx, `LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0;
				SET auto_explain.log_analyze = on; SET auto_explain.log_nested_statements = off; SET auto_explain.log_triggers = on;
				SET auto_explain.log_timing = on; SET client_min_messages = log`)
			return err
		}
	}
	pool, err := pgxpool.NewWithConfig(f.ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	c := stations.NewCustody(pool)
	stream := downStream(f.downParcels("T", (b.N*100+len(downPath)-1)/len(downPath)))[:b.N*100]
	if err := pool.Ping(f.ctx); err != nil {
		b.Fatal(err)
	}
	rt.take()
	b.ResetTimer()
	var trips, statements int
	for lo := 0; lo < len(stream); lo += 100 {
		if explain {
			nmu.Lock()
			notices.Reset()
			nmu.Unlock()
		}
		res, err := c.Scan(f.ctx, opsAdmin, stream[lo:lo+100])
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res {
			if r.Status != stations.StatusAccepted {
				b.Fatalf("%+v", r)
			}
		}
		t, s := rt.take()
		trips, statements = trips+t, statements+s
	}
	b.ReportMetric(float64(trips)/float64(b.N), "trips/batch")
	b.ReportMetric(float64(statements)/float64(b.N), "stmts/batch")
	b.ReportMetric(float64(len(stream))/b.Elapsed().Seconds(), "scans/s")
	for what, d := range rt.spent {
		b.ReportMetric(float64(d.Microseconds())/float64(b.N), what+"-µs/batch")
	}
	if out := os.Getenv("TONGPEI_SCAN_EXPLAIN_FILE"); explain && out != "" {
		if err := os.WriteFile(out, []byte(notices.String()), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}
