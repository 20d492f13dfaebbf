package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"

	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/dispatch/solverbus"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/internal/tenant"
)

// simulation is one run: the processes it started, the scratch database,
// the counties it drives and what it measured.
type simulation struct {
	fl       simFlags
	out      io.Writer // where phases are printed as they end
	dbName   string
	dbURL    string
	pool     *pgxpool.Pool // the login user's, read province-wide
	nats     *faultNATS
	srv      *benchServer
	workers  []*exec.Cmd
	workDir  string
	http     *http.Client
	province *apiClient // the province administrator
	date     string     // the service date, today in the county
	counties []*simCounty
	report   *simReport
	// tablesBefore are the tables' sizes before the day.
	tablesBefore map[string]int64
}

// simCounty is one county of the province and its day.
type simCounty struct {
	code     string
	admin    *apiClient            // the county's admin: the hub's scanners and the planner
	keepers  map[string]*apiClient // village code → its keeper's phone
	hub      string
	parcels  []demo.Parcel
	accepted atomic.Int64 // scans the server answered accepted
	planJob  int64
	result   *simCountyResult
}

// simCountyCode is the n-th county's code: 53 (Yunnan) and a prefecture 90
// that GB/T 2260 does not use, so no real county is named.
func simCountyCode(n int) string { return fmt.Sprintf("539%03d", n+1) }

// startSimulation makes the scratch database and starts NATS, serve and
// the workers.
func startSimulation(ctx context.Context, fl simFlags, w io.Writer) (*simulation, error) {
	sim := &simulation{fl: fl, out: w, dbName: fmt.Sprintf("tongpei_simulate_%d_%d", time.Now().Unix(), os.Getpid()),
		date: time.Now().In(dispatch.County).Format(time.DateOnly), report: &simReport{Counties: fl.counties,
			ParcelsPerCounty: fl.parcels, Workers: fl.workers, Senders: fl.senders, Batch: fl.batch,
			PlanTimeLimitMs: fl.planLimit.Milliseconds()}}
	var err error
	if sim.dbURL, err = withDatabase(fl.databaseURL, sim.dbName); err != nil {
		return nil, err
	}
	if sim.pool, err = pg.Open(ctx, sim.dbURL); err != nil {
		return nil, err
	}
	sim.report.Database = sim.dbName
	if err := sim.start(ctx); err != nil {
		sim.close(ctx, w)
		return nil, err
	}
	return sim, nil
}

func (sim *simulation) start(ctx context.Context) error {
	var err error
	if sim.workDir, err = os.MkdirTemp("", "tongpei-simulate-"); err != nil {
		return err
	}
	if sim.nats, err = startNATS(); err != nil {
		return err
	}
	if err := sim.startWorkers(ctx); err != nil {
		return err
	}
	env := append([]string{"TONGPEI_NATS_URL=" + sim.nats.url}, sim.fl.env...)
	if sim.srv, err = startBenchServer(ctx, sim.dbURL, env); err != nil {
		return err
	}
	conns := sim.fl.senders + 8
	sim.http = &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}
	secret, _, err := auth.NewStore(sim.pool).Create(tenant.WithProvince(ctx), auth.Admin, "", "simulate (province)")
	if err != nil {
		return err
	}
	sim.province = &apiClient{base: sim.srv.base, token: secret, http: sim.http}
	return nil
}

// startWorkers starts the solver workers and waits until every one
// answers NATS's service discovery.
func (sim *simulation) startWorkers(ctx context.Context) error {
	if sim.fl.workers == 0 {
		return nil
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	for i := range sim.fl.workers {
		logf, err := os.Create(filepath.Join(sim.workDir, fmt.Sprintf("worker-%d.log", i)))
		if err != nil {
			return err
		}
		cmd := exec.Command(self, "solver-worker")
		cmd.Env = append(os.Environ(), "TONGPEI_NATS_URL="+sim.nats.url, "TONGPEI_SOLVER_JOBS=1", "TONGPEI_SOLVER_THREADS=1")
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			return err
		}
		sim.workers = append(sim.workers, cmd)
	}
	nc, err := nats.Connect(sim.nats.url)
	if err != nil {
		return err
	}
	defer nc.Close()
	deadline := time.Now().Add(30 * time.Second)
	for len(workerStats(nc)) < sim.fl.workers {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("%d solver workers did not all join in 30 s; see the logs in %s", sim.fl.workers, sim.workDir)
		}
		time.Sleep(200 * time.Millisecond)
	}
	return nil
}

// workerStats gathers the solver workers' $SRV.STATS answers by worker id.
func workerStats(nc *nats.Conn) map[string]solverbus.WorkerStats {
	out := map[string]solverbus.WorkerStats{}
	subject, err := micro.ControlSubject(micro.StatsVerb, solverbus.ServiceName, "")
	if err != nil {
		return out
	}
	inbox := nc.NewInbox()
	sub, err := nc.SubscribeSync(inbox)
	if err != nil {
		return out
	}
	defer sub.Unsubscribe()
	if err := nc.PublishRequest(subject, inbox, nil); err != nil {
		return out
	}
	for {
		m, err := sub.NextMsg(300 * time.Millisecond)
		if err != nil {
			return out
		}
		var st micro.Stats
		var ws solverbus.WorkerStats
		if json.Unmarshal(m.Data, &st) == nil && len(st.Endpoints) > 0 && json.Unmarshal(st.Endpoints[0].Data, &ws) == nil {
			out[st.ID] = ws
		}
	}
}

// close stops the children in the reverse order of their start and drops
// the scratch database unless asked to keep it.
func (sim *simulation) close(ctx context.Context, w io.Writer) {
	if sim.srv != nil {
		sim.srv.stop()
	}
	for _, cmd := range sim.workers {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}
	if sim.nats != nil {
		sim.nats.stop()
		os.RemoveAll(sim.nats.storeDir)
	}
	if sim.workDir != "" {
		os.RemoveAll(sim.workDir)
	}
	sim.pool.Close()
	if sim.fl.keep {
		fmt.Fprintf(w, "# kept database %s\n", sim.dbName)
		return
	}
	if err := pg.DropDatabase(context.WithoutCancel(ctx), sim.dbURL); err != nil {
		fmt.Fprintf(w, "simulate: cannot drop %s: %v; drop it by hand\n", sim.dbName, err)
	}
}

// setup registers the counties, a few at once: each gets its admin token,
// the demonstration county's registry and fleet, and keeper tokens.
func (sim *simulation) setup(ctx context.Context) error {
	sim.counties = make([]*simCounty, sim.fl.counties)
	errc := make(chan error, len(sim.counties))
	sem := make(chan struct{}, 4)
	for i := range sim.counties {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			c, err := sim.setupCounty(ctx, i)
			sim.counties[i] = c
			errc <- err
		}()
	}
	for range sim.counties {
		if err := <-errc; err != nil {
			return err
		}
	}
	for _, c := range sim.counties {
		sim.report.PerCounty = append(sim.report.PerCounty, c.result)
	}
	return nil
}

func (sim *simulation) setupCounty(ctx context.Context, i int) (*simCounty, error) {
	code := simCountyCode(i)
	if err := sim.province.call(ctx, "POST", "/v1/counties", map[string]string{"code": code, "name": fmt.Sprintf("模拟县%d", i+1)}, nil); err != nil {
		return nil, fmt.Errorf("registering county %s: %w", code, err)
	}
	var tok struct{ Token string }
	asCounty := &apiClient{base: sim.srv.base, token: sim.province.token, county: code, http: sim.http}
	if err := asCounty.call(ctx, "POST", "/v1/tokens", map[string]string{"role": "admin", "name": "simulate"}, &tok); err != nil {
		return nil, fmt.Errorf("county %s's admin token: %w", code, err)
	}
	c := &simCounty{code: code, admin: &apiClient{base: sim.srv.base, token: tok.Token, http: sim.http},
		keepers: map[string]*apiClient{}, result: &simCountyResult{County: code}}
	county, hub, err := ensureCounty(ctx, c.admin, io.Discard)
	if err != nil {
		return nil, fmt.Errorf("county %s: %w", code, err)
	}
	carriers, err := expressCarriers(ctx, c.admin, io.Discard)
	if err != nil {
		return nil, fmt.Errorf("county %s: %w", code, err)
	}
	if err := ensureFleet(ctx, c.admin, io.Discard); err != nil {
		return nil, fmt.Errorf("county %s: %w", code, err)
	}
	c.hub = hub
	day, _ := time.ParseInLocation(time.DateOnly, sim.date, dispatch.County)
	up := sim.fl.parcels * 360 / 2760 // the demonstration day's share: 2,400 down, 360 up
	c.parcels = demo.GenerateDay(demo.DayOptions{Date: day, Seed: uint64(i + 1), Down: sim.fl.parcels - up, Up: up,
		Stations: county, Carriers: carriers})
	for _, p := range c.parcels {
		if _, ok := c.keepers[p.Station]; ok {
			continue
		}
		if err := c.admin.call(ctx, "POST", "/v1/tokens", map[string]string{"role": "keeper", "scope": p.Station, "name": "simulate"}, &tok); err != nil {
			return nil, fmt.Errorf("county %s: keeper token for %s: %w", code, p.Station, err)
		}
		c.keepers[p.Station] = &apiClient{base: sim.srv.base, token: tok.Token, http: sim.http}
	}
	return c, nil
}

func (sim *simulation) keeperTokens() int {
	n := 0
	for _, c := range sim.counties {
		n += len(c.keepers)
	}
	return n
}
