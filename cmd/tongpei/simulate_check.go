package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go"

	"github.com/tongpei/tongpei/internal/tenant"
	"github.com/tongpei/tongpei/stations"
)

// simMeters takes the CPU time of every process of the run at the start,
// to tell at the end which of them the day kept busy.
type simMeters struct {
	sim   *simulation
	t0    time.Time
	start map[int]float64 // pid → CPU seconds at the start
}

func (sim *simulation) startMeters(ctx context.Context) *simMeters {
	m := &simMeters{sim: sim, t0: time.Now(), start: map[int]float64{}}
	for _, pid := range sim.pids(ctx) {
		m.start[pid] = cpuOf(pid)
	}
	return m
}

// pids are serve, the workers, this process and PostgreSQL's backends for
// the scratch database (listed by their kind's name).
func (sim *simulation) pids(ctx context.Context) map[string]int {
	out := map[string]int{"serve": sim.srv.cmd.Process.Pid, "simulate": os.Getpid()}
	for i, w := range sim.workers {
		out[fmt.Sprintf("workers/%d", i)] = w.Process.Pid
	}
	rows, err := sim.pool.Query(tenant.WithProvince(ctx), `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
	if err != nil {
		return out
	}
	pids, _ := pgx.CollectRows(rows, pgx.RowTo[int32])
	for _, pid := range pids {
		out[fmt.Sprintf("postgres/%d", pid)] = int(pid)
	}
	return out
}

// addTo adds each kind's CPU seconds since the start, and the wall time,
// to cpu[work]; a backend that started meanwhile counts whole.
func (m *simMeters) addTo(cpu map[string]map[string]float64, work string) {
	out := cpu[work]
	if out == nil {
		out = map[string]float64{}
		cpu[work] = out
	}
	out["wall"] += time.Since(m.t0).Seconds()
	for name, pid := range m.sim.pids(context.Background()) {
		kind, _, _ := strings.Cut(name, "/")
		out[kind] += cpuOf(pid) - m.start[pid]
	}
}

// databaseSize is pg_database_size of the scratch database.
func (sim *simulation) databaseSize(ctx context.Context) (int64, error) {
	var n int64
	err := sim.pool.QueryRow(tenant.WithProvince(ctx), `SELECT pg_database_size(current_database())`).Scan(&n)
	return n, err
}

// tableSizes is every table's size with its indexes and TOAST, the month
// partitions added to their parent.
func (sim *simulation) tableSizes(ctx context.Context) (map[string]int64, error) {
	rows, err := sim.pool.Query(tenant.WithProvince(ctx), `
		SELECT coalesce(parent.relname, c.relname), sum(pg_total_relation_size(c.oid))::bigint
		FROM pg_class c
		LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
		LEFT JOIN pg_class parent ON parent.oid = i.inhparent
		WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace GROUP BY 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			return nil, err
		}
		out[name] = n
	}
	return out, rows.Err()
}

// measureBefore notes the database's size once the counties are set up:
// what the day adds is measured from there.
func (sim *simulation) measureBefore(ctx context.Context) error {
	var err error
	if sim.report.DB.BeforeBytes, err = sim.databaseSize(ctx); err != nil {
		return err
	}
	sim.tablesBefore, err = sim.tableSizes(ctx)
	return err
}

// measureDatabase measures what the day added, in all and per county: the
// growth of pg_database_size shared out by the bytes of each county's rows
// (pg_column_size over every table with a county column), since indexes
// and pages belong to no county.
func (sim *simulation) measureDatabase(ctx context.Context) error {
	ctx = tenant.WithProvince(ctx)
	d := &sim.report.DB
	var err error
	if d.AfterBytes, err = sim.databaseSize(ctx); err != nil {
		return err
	}
	after, err := sim.tableSizes(ctx)
	if err != nil {
		return err
	}
	d.TableGrowth = map[string]int64{}
	for name, n := range after {
		if g := n - sim.tablesBefore[name]; g != 0 {
			d.TableGrowth[name] = g
		}
	}
	d.GrowthBytes = d.AfterBytes - d.BeforeBytes
	d.PerCountyBytes = d.GrowthBytes / int64(len(sim.counties))
	d.PerParcelBytes = d.GrowthBytes / int64(len(sim.counties)*sim.fl.parcels)
	rows, err := sim.pool.Query(ctx, `
		SELECT c.relname FROM pg_class c
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'county' AND NOT a.attisdropped
		WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition`)
	if err != nil {
		return err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	bytes := map[string]int64{}
	for _, t := range tables {
		rows, err := sim.pool.Query(ctx, `SELECT county, coalesce(sum(pg_column_size(t.*)), 0)::bigint FROM `+
			pgx.Identifier{t}.Sanitize()+` t GROUP BY county`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var county string
			var n int64
			if err := rows.Scan(&county, &n); err != nil {
				rows.Close()
				return err
			}
			bytes[county] += n
		}
		rows.Close()
	}
	var total int64
	for _, c := range sim.counties {
		total += bytes[c.code]
	}
	for _, c := range sim.counties {
		c.result.RowBytes = bytes[c.code]
		c.result.GrowthBytes = d.GrowthBytes * bytes[c.code] / max(total, 1)
	}
	return nil
}

// readSolves reads serve's solver counters and the workers' own stats.
func (sim *simulation) readSolves() error {
	resp, err := sim.http.Get(sim.srv.base + "/metrics")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	m := map[string]float64{}
	for _, line := range strings.Split(string(body), "\n") {
		if !strings.HasPrefix(line, "tongpei_solver_") {
			continue
		}
		name, val, _ := strings.Cut(line, " ")
		if f, err := strconv.ParseFloat(val, 64); err == nil {
			m[name] = f
		}
	}
	p := &sim.report.Plans
	p.WorkerSolves = m[`tongpei_solver_solves_total{where="worker"}`]
	p.LocalSolves = m[`tongpei_solver_solves_total{where="local"}`]
	p.LostAttempts = m[`tongpei_solver_failed_attempts_total{outcome="lost"}`]
	p.BusyAttempts = m[`tongpei_solver_failed_attempts_total{outcome="busy"}`]
	if len(sim.workers) == 0 {
		return nil
	}
	nc, err := nats.Connect(sim.nats.url)
	if err != nil {
		return err
	}
	defer nc.Close()
	for _, st := range workerStats(nc) {
		p.SolvedByEachStat = append(p.SolvedByEachStat, st.Solved)
	}
	sort.Slice(p.SolvedByEachStat, func(i, j int) bool { return p.SolvedByEachStat[i] > p.SolvedByEachStat[j] })
	return nil
}

// verify checks the day in the database against what the driver sent and
// prints one line per check; it returns how many failed.
func (sim *simulation) verify(dayErr error, w io.Writer) int {
	failed := 0
	check := func(ok bool, format string, args ...any) {
		mark := "ok  "
		if !ok {
			mark = "FAIL"
			failed++
		}
		detail := fmt.Sprintf(format, args...)
		sim.report.Checks = append(sim.report.Checks, simCheck{OK: ok, Detail: detail})
		fmt.Fprintf(w, "%s %s\n", mark, detail)
	}
	if dayErr != nil {
		check(false, "reading the day back from the database: %v", dayErr)
		return failed
	}
	var bad [4][]string
	plansInDB := 0
	for _, c := range sim.counties {
		r := c.result
		down, up := len(c.byDirection("down")), len(c.byDirection("up"))
		if r.Parcels != len(c.parcels) || r.Down != down || r.Up != up {
			bad[0] = append(bad[0], fmt.Sprintf("%s has %d (%d down, %d up)", c.code, r.Parcels, r.Down, r.Up))
		}
		if r.States["down/"+stations.PickedUp] != down || r.States["up/"+stations.HubInbound] != up {
			bad[1] = append(bad[1], fmt.Sprintf("%s: %v", c.code, r.States))
		}
		want := 5*down + 3*up
		if r.Events != want || r.DistinctEvents != want || r.ScansAccepted != int64(want) {
			bad[2] = append(bad[2], fmt.Sprintf("%s: %d rows, %d distinct, %d accepted, %d sent", c.code, r.Events, r.DistinctEvents, r.ScansAccepted, want))
		}
		if r.PlanState != "done" || r.PlanID == 0 || r.Routes == 0 {
			bad[3] = append(bad[3], fmt.Sprintf("%s: job %d %s %s", c.code, r.PlanJob, r.PlanState, r.PlanError))
		} else {
			plansInDB++
		}
	}
	n, p := len(sim.counties), sim.fl.parcels
	check(len(bad[0]) == 0, "every county holds its %d parcels, down and up as generated (%d counties) %v", p, n, bad[0])
	check(len(bad[1]) == 0, "every parcel in its final state: down picked_up, up hub_inbound %v", bad[1])
	check(len(bad[2]) == 0, "each scan stored once: parcel_events per county = scans sent (5 per down parcel, 3 per up) = accepted answers %v", bad[2])
	check(len(bad[3]) == 0, "a plan for every county: %d of %d done, with routes %v", plansInDB, n, bad[3])
	rejected, failures := 0, 0
	for _, ph := range sim.report.Phases {
		rejected += ph.Rejected
		failures += ph.Failures
	}
	check(rejected == 0 && failures == 0, "no scan refused and no request failed (%d refused, %d failed)", rejected, failures)
	pl := sim.report.Plans
	if sim.fl.workers > 0 {
		check(pl.WorkerSolves >= float64(n) && pl.LocalSolves == 0, "every solve on a worker: %.0f on workers, %.0f in serve", pl.WorkerSolves, pl.LocalSolves)
	} else {
		check(pl.LocalSolves >= float64(n), "every plan solved in serve (no workers asked for): %.0f solves", pl.LocalSolves)
	}
	return failed
}

// readDay reads each county's parcels, states and timeline back.
func (sim *simulation) readDay(ctx context.Context) error {
	ctx = tenant.WithProvince(ctx)
	byCode := map[string]*simCountyResult{}
	for _, c := range sim.counties {
		c.result.ScansAccepted = c.accepted.Load()
		c.result.States = map[string]int{}
		c.result.Parcels, c.result.Down, c.result.Up = 0, 0, 0
		byCode[c.code] = c.result
	}
	rows, err := sim.pool.Query(ctx, `SELECT county, direction, state, count(*) FROM parcels GROUP BY 1, 2, 3`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var county, dir, state string
		var n int
		if err := rows.Scan(&county, &dir, &state, &n); err != nil {
			rows.Close()
			return err
		}
		if r := byCode[county]; r != nil {
			r.States[dir+"/"+state] = n
			r.Parcels += n
			if dir == "down" {
				r.Down += n
			} else {
				r.Up += n
			}
		}
	}
	rows.Close()
	rows, err = sim.pool.Query(ctx, `SELECT county, count(*), count(DISTINCT id) FROM parcel_events WHERE kind = ANY($1) GROUP BY 1`, stations.ScanKinds)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var county string
		var n, distinct int
		if err := rows.Scan(&county, &n, &distinct); err != nil {
			return err
		}
		if r := byCode[county]; r != nil {
			r.Events, r.DistinctEvents = n, distinct
		}
	}
	return rows.Err()
}
