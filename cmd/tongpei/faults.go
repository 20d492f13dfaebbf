package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/stations"
)

type faultFlags struct {
	databaseURL string
	parcels     int
	senders     int
	batch       int
	pgRestart   string
	rate        int
}

func newFaultSuiteCmd() *cobra.Command {
	var fl faultFlags
	cmd := &cobra.Command{
		Use:   "fault-suite [--parcels 5000] [--rate 800] [--senders 8]",
		Short: "Break the server under load (kill -9, PostgreSQL, NATS, lost JetStream store) and check that no accepted scan is lost or doubled",
		Long: `fault-suite starts a NATS server (JetStream, a store of its own) and a
tongpei serve (a child process on a fresh database) and walks --parcels
parcels hub → loaded with batches of --batch scans from --senders senders,
each resending its batch, same scan ids, until it is answered 200 (as a
scanner does). While they send, one after another:

  1. kill -9   the server is killed and started again
  2. postgres  every connection of the server to PostgreSQL is cut
               (pg_terminate_backend, what a restart does to the server), or
               --pg-restart CMD is run (e.g. "systemctl restart postgresql")
  3. nats      the NATS server stops for 3 s, then starts again

Then it checks exactly once, and prints the figures: every scan answered
accepted or duplicate, parcel_events holding each scan once, no answer 500,
JetStream holding one message per scan (by Nats-Msg-Id); then the JetStream
store is deleted and tongpei reconcile must bring every event back, once.
It exits non-zero when a check fails.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runFaultSuite(cmd.Context(), fl, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.databaseURL, "database-url", env("TONGPEI_DATABASE_URL", pg.DefaultURL), "PostgreSQL server; a fresh database tongpei_faults_<time> is made on it")
	f.IntVar(&fl.parcels, "parcels", 5000, "parcels to walk (three scans each)")
	f.IntVar(&fl.senders, "senders", 8, "concurrent senders of batches")
	f.IntVar(&fl.batch, "batch", 25, "scans per batch")
	f.IntVar(&fl.rate, "rate", 800, "scans per second the senders offer together, so that the load lasts through every fault")
	f.StringVar(&fl.pgRestart, "pg-restart", "", "shell command that restarts PostgreSQL; empty cuts the server's connections instead")
	return cmd
}

// faultRun is the suite's shared state: the server (replaced when it is
// killed), the NATS server, and what the senders saw.
type faultRun struct {
	mu      sync.Mutex
	srv     *benchServer
	dbURL   string
	natsURL string
	load    *scanLoad

	answers map[int]int // HTTP status → count (0: no answer)
	results map[string]int
}

func (r *faultRun) base() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.srv.base
}

func runFaultSuite(ctx context.Context, fl faultFlags, w io.Writer) error {
	sc, err := openScratchCounty(ctx, fl.databaseURL, "faults", "fault-suite")
	if err != nil {
		return err
	}
	defer sc.close(ctx)
	name, dbURL, pool, villages, admin := sc.name, sc.url, sc.pool, sc.villages, sc.admin
	load := &scanLoad{admin: admin, hub: "XP-HUB", carrier: "SF", client: newLoadClient()}
	for _, v := range villages[:min(20, len(villages))] {
		load.keepers = append(load.keepers, &keeper{station: v.Code})
	}

	nats, err := startNATS()
	if err != nil {
		return err
	}
	defer nats.stop()
	run := &faultRun{dbURL: dbURL, natsURL: nats.url, load: load, answers: map[int]int{}, results: map[string]int{}}
	run.srv, err = startBenchServer(ctx, dbURL, run.serverEnv())
	if err != nil {
		return err
	}
	defer func() { run.srv.stop() }()
	load.base = run.srv.base
	fmt.Fprintf(w, "# fault-suite: database %s, %d parcels, %d senders × batches of %d, NATS %s\n", name, fl.parcels, fl.senders, fl.batch, nats.url)
	fmt.Fprintf(w, "# %s", uptime())
	tns, err := load.register(ctx, fl.parcels)
	if err != nil {
		return err
	}
	scans := faultScans(load, tns)

	// The senders walk every parcel while the faults happen.
	t0 := time.Now()
	queue := make(chan []map[string]any)
	var wg sync.WaitGroup
	for range fl.senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range queue {
				run.sendUntilAnswered(ctx, b)
			}
		}()
	}
	feedDone := make(chan struct{})
	go func() {
		defer close(feedDone)
		every := time.Second * time.Duration(fl.batch) / time.Duration(fl.rate)
		next := time.Now()
		for _, phase := range scans { // all hub_inbound, then all sorted, then all loaded
			for lo := 0; lo < len(phase); lo += fl.batch {
				time.Sleep(time.Until(next))
				next = next.Add(every)
				queue <- phase[lo:min(lo+fl.batch, len(phase))]
			}
		}
		close(queue)
	}()

	var faults []string
	fault := func(what string, do func() error) error {
		time.Sleep(2 * time.Second)
		t := time.Now()
		before := run.snapshot()
		select {
		case <-feedDone:
			return fmt.Errorf("%s: the load ended before the fault; give more --parcels or a lower --rate", what)
		default:
		}
		if err := do(); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		back := time.Since(t)
		time.Sleep(time.Second) // the senders' resends land
		faults = append(faults, fmt.Sprintf("%-28s at %4.1fs, back after %.2fs; answers meanwhile %v", what, t.Sub(t0).Seconds(), back.Seconds(), run.since(before)))
		return nil
	}
	if err := fault("kill -9 of serve", run.killAndRestart); err != nil {
		return err
	}
	if err := fault("PostgreSQL "+map[bool]string{true: "restart", false: "connections cut"}[fl.pgRestart != ""], func() error {
		return cutPostgres(ctx, pool, dbURL, name, fl.pgRestart)
	}); err != nil {
		return err
	}
	if err := fault("NATS stopped for 3 s", func() error {
		nats.stop()
		time.Sleep(3 * time.Second)
		return nats.start()
	}); err != nil {
		return err
	}
	<-feedDone
	wg.Wait()
	elapsed := time.Since(t0)
	for _, f := range faults {
		fmt.Fprintf(w, "fault: %s\n", f)
	}
	total := 3 * len(tns)
	fmt.Fprintf(w, "sent %d scans in %.1fs (%.0f/s through the faults); answers %v; results %v\n",
		total, elapsed.Seconds(), float64(total)/elapsed.Seconds(), run.answers, run.results)

	var failed []string
	check := func(ok bool, format string, args ...any) {
		mark := "ok  "
		if !ok {
			mark = "FAIL"
			failed = append(failed, fmt.Sprintf(format, args...))
		}
		fmt.Fprintf(w, "%s %s\n", mark, fmt.Sprintf(format, args...))
	}
	check(run.answers[500] == 0, "no answer 500 (%d)", run.answers[500])
	check(run.results[stations.StatusRejected] == 0, "no scan rejected (%d)", run.results[stations.StatusRejected])
	check(run.results[stations.StatusAccepted]+run.results[stations.StatusDuplicate] == total,
		"every scan answered accepted (%d) or duplicate (%d): %d of %d",
		run.results[stations.StatusAccepted], run.results[stations.StatusDuplicate],
		run.results[stations.StatusAccepted]+run.results[stations.StatusDuplicate], total)
	events, distinct, err := scanEvents(ctx, pool)
	if err != nil {
		return err
	}
	check(events == total && distinct == total, "parcel_events holds each scan once: %d rows, %d distinct ids, %d scans (lost %d, doubled %d)",
		events, distinct, total, total-distinct, events-distinct)

	if err := waitOutboxEmpty(ctx, pool, 60*time.Second); err != nil {
		check(false, "the relay emptied the outbox: %v", err)
	}
	msgs, ids, err := nats.parcelMessages(ctx)
	check(err == nil && msgs == distinct && ids == distinct, "JetStream holds one message per scan: %d messages, %d distinct ids (%v)", msgs, ids, err)

	// A lost disk: the JetStream store goes, reconcile brings it back.
	run.srv.stop()
	nats.stop()
	if err := os.RemoveAll(nats.storeDir); err != nil {
		return err
	}
	if err := nats.start(); err != nil {
		return err
	}
	time.Sleep(time.Second) // reconcile leaves alone what was sent in its last second
	t1 := time.Now()
	out, err := run.reconcile(ctx)
	check(err == nil, "tongpei reconcile after the store was deleted, %.1fs: %s", time.Since(t1).Seconds(), strings.TrimSpace(lastLine(out)))
	msgs, ids, err = nats.parcelMessages(ctx)
	check(err == nil && msgs == distinct && ids == distinct, "after reconcile JetStream holds one message per scan: %d messages, %d distinct ids (%v)", msgs, ids, err)
	run.srv, err = startBenchServer(ctx, dbURL, run.serverEnv()) // for the deferred stop
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "# %s", uptime())
	if len(failed) > 0 {
		return fmt.Errorf("%d checks failed: %s", len(failed), strings.Join(failed, "; "))
	}
	return nil
}

// snapshot copies the answers counted so far.
func (r *faultRun) snapshot() map[int]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[int]int{}
	for k, v := range r.answers {
		out[k] = v
	}
	return out
}

// since is the answers counted after snapshot before.
func (r *faultRun) since(before map[int]int) map[string]int {
	out := map[string]int{}
	for k, v := range r.snapshot() {
		if d := v - before[k]; d > 0 {
			name := fmt.Sprint(k)
			if k == 0 {
				name = "no_answer"
			}
			out[name] = d
		}
	}
	return out
}

func (r *faultRun) serverEnv() []string { return []string{"TONGPEI_NATS_URL=" + r.natsURL} }

// killAndRestart kills serve with SIGKILL and starts it again on the same
// database; senders see refused connections meanwhile and resend.
func (r *faultRun) killAndRestart() error {
	r.mu.Lock()
	old := r.srv
	r.mu.Unlock()
	if err := old.cmd.Process.Kill(); err != nil {
		return err
	}
	old.cmd.Wait() // "signal: killed"
	os.RemoveAll(old.dir)
	srv, err := startBenchServer(context.Background(), r.dbURL, r.serverEnv())
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.srv = srv
	r.mu.Unlock()
	return nil
}

func (r *faultRun) reconcile(ctx context.Context) (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "tongpei-faults-reconcile-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	cmd := exec.CommandContext(ctx, self, "reconcile")
	cmd.Env = append(os.Environ(), "TONGPEI_DATABASE_URL="+r.dbURL, "TONGPEI_NATS_URL="+r.natsURL, "TONGPEI_DATA_DIR="+filepath.Join(dir, "var"))
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// faultScans are the scans that walk tns hub → loaded, one slice per kind,
// each with its id fixed up front so that every resend is the same scan.
func faultScans(l *scanLoad, tns []string) [][]map[string]any {
	var out [][]map[string]any
	for _, kind := range []string{stations.HubInbound, stations.Sorted, stations.Loaded} {
		var phase []map[string]any
		at := time.Now().UTC()
		for _, tn := range tns {
			phase = append(phase, map[string]any{"id": newScanID(), "carrier": l.carrier, "tracking_no": tn,
				"kind": kind, "station": l.hub, "at": at})
		}
		out = append(out, phase)
	}
	return out
}

// scanEvents counts the parcel events scans made, and their distinct ids.
func scanEvents(ctx context.Context, pool *pgxpool.Pool) (rows, distinct int, err error) {
	err = pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT id) FROM parcel_events WHERE kind IN ('hub_inbound', 'sorted', 'loaded')`).
		Scan(&rows, &distinct)
	return rows, distinct, err
}

func waitOutboxEmpty(ctx context.Context, pool *pgxpool.Pool, d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		n, err := bus.Unsent(ctx, pool)
		if err == nil && n == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d events still unsent after %s (%w)", n, d, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
