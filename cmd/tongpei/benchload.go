package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/pg"
)

type benchLoadFlags struct {
	databaseURL string
	keepers     int
	parcels     int
	rate        int
	duration    time.Duration
	overload    time.Duration
	env         []string
}

func newBenchLoadCmd() *cobra.Command {
	var fl benchLoadFlags
	cmd := &cobra.Command{
		Use:   "bench-load [--rate 1500] [--duration 10s] [--overload 30s]",
		Short: "Measure the API under load: batches, single scans open loop, and 2× overload",
		Long: `bench-load starts a tongpei serve of its own (a child process on a fresh
database and data directory, with the environment's settings) and drives
it over HTTP, as phones and scanners would:

  1. batches of 100 scans from one sender (walking parcels hub → loaded)
  2. single scans open loop from --keepers keepers at --rate per second
  3. closed loop from the keepers, each waiting as a refusal's Retry-After
     asks: the sustainable rate
  4. open loop at twice that rate for --overload
  5. the closed loop again; the sustainable rate is the mean of 3 and 5

Each phase prints offered and answered requests, goodput, latency
percentiles of accepted requests (from each request's scheduled time),
refusals (503, 429) and other failures, the server's and bench-load's
cores, group-commit sizes and pool waits. Then one PASS or FAIL line per
figure of issue 15, and exit status 1 when one fails. --env KEY=VALUE
passes settings to the server (e.g. TONGPEI_GROUP_COMMIT_WINDOW=0 to
measure without group commit, TONGPEI_QUEUE_TARGET=0 for a first-come
queue, TONGPEI_PPROF_ADDR=127.0.0.1:6066 to profile it).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBenchLoad(cmd.Context(), fl, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.databaseURL, "database-url", env("TONGPEI_DATABASE_URL", pg.DefaultURL), "PostgreSQL server; a fresh database tongpei_benchload_<time> is made on it")
	f.IntVar(&fl.keepers, "keepers", 50, "keepers sending single scans, each with its own token and station")
	f.IntVar(&fl.parcels, "parcels", 30000, "parcels to walk to the stations (2 single scans each: arrival, return)")
	f.IntVar(&fl.rate, "rate", 1500, "single scans per second offered in phase 2")
	f.DurationVar(&fl.duration, "duration", 10*time.Second, "length of phases 2 and 3")
	f.DurationVar(&fl.overload, "overload", 30*time.Second, "length of the overload phase")
	f.StringArrayVar(&fl.env, "env", nil, "KEY=VALUE for the server (repeatable)")
	return cmd
}

// benchServer is the child tongpei serve.
type benchServer struct {
	cmd  *exec.Cmd
	base string
	dir  string // its data directory and log, removed when it stops
}

func runBenchLoad(ctx context.Context, fl benchLoadFlags, w io.Writer) error {
	sc, err := openScratchCounty(ctx, fl.databaseURL, "benchload", "bench-load")
	if err != nil {
		return err
	}
	defer sc.close(ctx) // the scratch database goes when the run ends (after the server)
	name, dbURL, villages, tokens, admin := sc.name, sc.url, sc.villages, sc.tokens, sc.admin
	if len(villages) < fl.keepers {
		return fmt.Errorf("the demonstration county has %d villages; ask for at most that many --keepers", len(villages))
	}
	load := &scanLoad{admin: admin, hub: "XP-HUB", carrier: "SF"}
	for _, v := range villages[:fl.keepers] {
		secret, _, err := tokens.Create(ctx, auth.Keeper, v.Code, "bench-load")
		if err != nil {
			return err
		}
		load.keepers = append(load.keepers, &keeper{station: v.Code, token: secret})
	}

	srv, err := startBenchServer(ctx, dbURL, fl.env)
	if err != nil {
		return err
	}
	defer srv.stop()
	load.base = srv.base
	// A connection for each of the most senders an open loop has, each
	// kept alive.
	conns := openLoopSenders(math.MaxInt32)
	load.client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}
	fmt.Fprintf(w, "# bench-load: database %s, %d keepers, %d parcels, server env %v\n", name, fl.keepers, fl.parcels, fl.env)
	fmt.Fprintf(w, "# %s", uptime())

	t0 := time.Now()
	if _, err := load.register(ctx, fl.parcels); err != nil {
		return err
	}
	fmt.Fprintf(w, "registered %d parcels in %.1fs\n", fl.parcels, time.Since(t0).Seconds())
	batch, err := load.walkToStations(ctx)
	if err != nil {
		return err
	}
	batch.print(w, "batches of 100, one sender")

	if err := load.ensureWork(ctx, int(1.1*float64(fl.rate)*fl.duration.Seconds()), w); err != nil {
		return err
	}
	m0 := serverCounters(srv.base)
	cpu := startCPU(srv.cmd.Process.Pid)
	single := load.openLoop(ctx, fl.rate, fl.duration)
	single.print(w, fmt.Sprintf("single scans, open loop %d/s", fl.rate))
	cpu.print(w, "open loop", single)
	printServerDelta(w, "open loop", m0, serverCounters(srv.base))
	if err := load.ensureWork(ctx, int(3*max(single.goodput(), float64(fl.rate))*fl.duration.Seconds()), w); err != nil {
		return err
	}
	run := benchLoadRun{keepers: fl.keepers, rate: fl.rate, batch: batch, single: single}
	// The open loop's goodput is a floor for the sustainable rate: the
	// closed loop can only underrate it (too few keepers to fill the server).
	run.sustainBefore = max(load.sustainable(ctx, srv, fl.duration, "before", w), single.goodput())

	// Every offered scan may be accepted; refused ones are sent again
	// later. Then the closed loop runs again.
	if err := load.ensureWork(ctx, int(2.2*run.sustainBefore*fl.overload.Seconds()+3*run.sustainBefore*fl.duration.Seconds()), w); err != nil {
		return err
	}
	rate := int(2 * run.sustainBefore)
	run.rss0 = rssOf(srv.cmd.Process.Pid)
	m0 = serverCounters(srv.base)
	cpu = startCPU(srv.cmd.Process.Pid)
	run.over = load.openLoop(ctx, rate, fl.overload)
	run.rss1 = rssOf(srv.cmd.Process.Pid)
	run.over.print(w, fmt.Sprintf("overload, open loop %d/s (2 × %.0f)", rate, run.sustainBefore))
	cpu.print(w, "overload", run.over)
	printServerDelta(w, "overload", m0, serverCounters(srv.base))
	run.sustainAfter = load.sustainable(ctx, srv, fl.duration, "after", w)
	return run.print(w)
}

// sustainable runs the closed loop for d and reports its goodput.
func (l *scanLoad) sustainable(ctx context.Context, srv *benchServer, d time.Duration, when string, w io.Writer) float64 {
	m0 := serverCounters(srv.base)
	cpu := startCPU(srv.cmd.Process.Pid)
	closed := l.closedLoop(ctx, d)
	phase := "closed loop " + when + " overload"
	closed.print(w, "single scans, "+phase+" (sustainable)")
	cpu.print(w, phase, closed)
	printServerDelta(w, phase, m0, serverCounters(srv.base))
	return closed.goodput()
}

// withDatabase is url with its database name replaced.
func withDatabase(raw, name string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("database URL is not valid (%w); set TONGPEI_DATABASE_URL", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

// startBenchServer runs this binary's serve on free ports and waits for it
// to be ready.
func startBenchServer(ctx context.Context, dbURL string, extra []string) (*benchServer, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	natsAddr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "tongpei-benchload-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "serve")
	cmd.Env = append(os.Environ(), "TONGPEI_DATABASE_URL="+dbURL, "TONGPEI_ADDR="+addr,
		"TONGPEI_NATS_LISTEN="+natsAddr, "TONGPEI_DATA_DIR="+filepath.Join(dir, "var"))
	cmd.Env = append(cmd.Env, extra...)
	logf, err := os.Create(filepath.Join(dir, "serve.log"))
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &benchServer{cmd: cmd, base: "http://" + addr, dir: dir}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.cmd.Process.Kill() // its log stays for reading
	s.cmd.Wait()
	return nil, fmt.Errorf("the server did not get ready in 30 s; see %s", logf.Name())
}

func (s *benchServer) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
	os.RemoveAll(s.dir)
}

func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// rssOf is a process's resident memory in MB, from /proc.
func rssOf(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/statm", pid))
	if err != nil {
		return 0
	}
	var size, resident int64
	fmt.Sscan(string(b), &size, &resident)
	return float64(resident*int64(os.Getpagesize())) / (1 << 20)
}

func uptime() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load unknown\n"
	}
	return "load average " + string(b)
}
