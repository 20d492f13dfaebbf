package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

// TestSimulateProvinceDay runs the real `tongpei simulate` small: two
// counties of 150 parcels, two solver-worker processes, its own serve. It
// keeps the scratch database, and the test reads the day back from it with
// the login user (whom row-level security does not hold), apart from the
// command's own checks: each county's parcels all in their final state,
// every scan stored once and as many as sent, a plan per county, every
// solve on a worker, and the report's figures present and sane.
func TestSimulateProvinceDay(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end-to-end run")
	}
	const counties, parcels = 2, 150
	reportPath := filepath.Join(t.TempDir(), "report.json")
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(binary(t), "simulate", "--counties", "2", "--parcels-per-county", "150", "--workers", "2",
		"--plan-time-limit", "1s", "--senders", "16", "--keep-database", "--report", reportPath,
		"--database-url", pgtest.ServerURL())
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	raw, err := os.ReadFile(reportPath)
	if err != nil {
		t.Fatalf("no report (%v): %v\nstdout: %s\nstderr: %s", runErr, err, stdout.String(), stderr.String())
	}
	var rep simReport
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	dbURL, err := withDatabase(pgtest.ServerURL(), rep.Database)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.DropDatabase(context.Background(), dbURL) })
	if runErr != nil {
		t.Fatalf("simulate: %v\nstdout: %s\nstderr: %s", runErr, stdout.String(), stderr.String())
	}
	t.Logf("simulate printed:\n%s", stdout.String())

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	type county struct{ parcels, down, up, downDone, upDone, events, distinct, plans, doneJobs int }
	day := map[string]*county{}
	rows, err := conn.Query(ctx, `
		SELECT county, count(*), count(*) FILTER (WHERE direction = 'down'), count(*) FILTER (WHERE direction = 'up'),
		       count(*) FILTER (WHERE direction = 'down' AND state = 'picked_up'),
		       count(*) FILTER (WHERE direction = 'up' AND state = 'hub_inbound')
		FROM parcels GROUP BY county`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var code string
		c := &county{}
		if err := rows.Scan(&code, &c.parcels, &c.down, &c.up, &c.downDone, &c.upDone); err != nil {
			t.Fatal(err)
		}
		day[code] = c
	}
	rows.Close()
	for _, q := range []struct {
		sql  string
		dest func(c *county) []any
	}{
		{`SELECT county, count(*), count(DISTINCT id) FROM parcel_events GROUP BY county`, func(c *county) []any { return []any{&c.events, &c.distinct} }},
		{`SELECT county, count(*) FROM dispatch_plans GROUP BY county`, func(c *county) []any { return []any{&c.plans} }},
		{`SELECT county, count(*) FROM plan_jobs WHERE state = 'done' AND plan_id IS NOT NULL GROUP BY county`, func(c *county) []any { return []any{&c.doneJobs} }},
	} {
		rows, err := conn.Query(ctx, q.sql)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var code string
			var got county
			targets := q.dest(&got)
			if err := rows.Scan(append([]any{&code}, targets...)...); err != nil {
				t.Fatal(err)
			}
			c := day[code]
			if c == nil {
				t.Errorf("%q has rows of county %s, which has no parcels", q.sql, code)
				continue
			}
			copyInto(q.dest(c), targets)
		}
		rows.Close()
	}
	if len(day) != counties {
		t.Fatalf("parcels of %d counties, want %d: %v", len(day), counties, day)
	}
	scans := 0
	for _, r := range rep.PerCounty {
		c := day[r.County]
		if c == nil {
			t.Fatalf("the report's county %s has no parcels in the database", r.County)
		}
		if c.parcels != parcels || c.down != r.Down || c.up != r.Up || c.down == 0 || c.up == 0 {
			t.Errorf("county %s: %d parcels (%d down, %d up), report says %d down, %d up", r.County, c.parcels, c.down, c.up, r.Down, r.Up)
		}
		if c.downDone != c.down || c.upDone != c.up {
			t.Errorf("county %s: %d of %d down parcels picked up, %d of %d up parcels at the hub", r.County, c.downDone, c.down, c.upDone, c.up)
		}
		want := 5*c.down + 3*c.up
		if c.events != want || c.distinct != want || r.ScansAccepted != int64(want) {
			t.Errorf("county %s: %d timeline rows, %d distinct, %d accepted; want %d scans, each once", r.County, c.events, c.distinct, r.ScansAccepted, want)
		}
		if c.plans < 1 || c.doneJobs != 1 || r.PlanState != "done" || r.PlannedParcels == 0 {
			t.Errorf("county %s: %d plans, %d done jobs, report %s with %d parcels planned", r.County, c.plans, c.doneJobs, r.PlanState, r.PlannedParcels)
		}
		scans += want
	}
	p := rep.Plans
	var byWorkers int64
	for _, n := range p.SolvedByEachStat {
		byWorkers += n
	}
	if p.Done != counties || p.WorkerSolves < counties || p.LocalSolves != 0 || byWorkers != int64(p.WorkerSolves) {
		t.Errorf("plans: %+v; want %d done, solved by the workers only", p, counties)
	}
	if rep.Scans.Accepted != scans || rep.Scans.PerSecond <= 0 || rep.Scans.SingleP50Ms <= 0 ||
		rep.Scans.SingleP99Ms < rep.Scans.SingleP50Ms || rep.Scans.BatchP99Ms < rep.Scans.BatchP50Ms || rep.Scans.BatchP50Ms <= 0 {
		t.Errorf("scans: %+v; want %d accepted and sane latencies", rep.Scans, scans)
	}
	if p.PerHour <= 0 || p.Seconds <= 0 || rep.Registered.Parcels != counties*parcels {
		t.Errorf("plans per hour %.0f over %.1fs, %d registered", p.PerHour, p.Seconds, rep.Registered.Parcels)
	}
	d := rep.DB
	var shares int64
	for _, r := range rep.PerCounty {
		shares += r.GrowthBytes
	}
	if d.GrowthBytes <= 0 || d.AfterBytes != d.BeforeBytes+d.GrowthBytes || shares > d.GrowthBytes || shares < d.GrowthBytes-counties ||
		d.TableGrowth["parcels"] <= 0 || d.TableGrowth["parcel_events"] <= 0 {
		t.Errorf("database size: %+v, county shares %d", d, shares)
	}
	for _, work := range []string{"register", "scanning", "planning"} {
		if rep.CPU[work]["wall"] <= 0 || rep.CPU[work]["serve"] <= 0 {
			t.Errorf("cpu of %s: %v", work, rep.CPU[work])
		}
	}
	if rep.CPU["planning"]["workers"] <= 0 {
		t.Errorf("the workers used no CPU while planning: %v", rep.CPU["planning"])
	}
	for _, c := range rep.Checks {
		if !c.OK {
			t.Errorf("check failed: %s", c.Detail)
		}
	}
	if len(rep.Checks) < 6 {
		t.Errorf("%d checks reported", len(rep.Checks))
	}
}

func copyInto(dst, src []any) {
	for i := range dst {
		*dst[i].(*int) = *src[i].(*int)
	}
}

// TestSimulateBadFlags: each bad flag is one line saying what to give.
func TestSimulateBadFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--counties", "0"}, {"--parcels-per-county", "5"}, {"--workers", "-1"}, {"--batch", "5000"}, {"--plan-time-limit", "1ms"},
	} {
		var stderr bytes.Buffer
		cmd := exec.Command(binary(t), append([]string{"simulate"}, args...)...)
		cmd.Stderr = &stderr
		err := cmd.Run()
		msg := strings.TrimSpace(stderr.String())
		if err == nil || strings.Count(msg, "\n") != 0 || !strings.Contains(msg, args[0]+" "+args[1]+": give") {
			t.Errorf("simulate %v: %v, stderr %q", args, err, msg)
		}
	}
}
