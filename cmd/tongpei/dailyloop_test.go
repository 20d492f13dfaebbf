package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

// TestDailyLoopCLI walks the first day by the command line against a
// running server: demo-day fills it, plan queues and follows the job (the
// server or this process may run it), publish sends it, and a second
// demo-day for the same date says it already ran and fails.
func TestDailyLoopCLI(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end-to-end run")
	}
	ctx := context.Background()
	dbURL := pgtest.URL(t)
	s := startServe(t, dbURL, "--demo")
	s.waitReady(t, 60*time.Second)
	day := demoDayOptions{date: "2026-12-05", server: "http://" + s.addr, token: s.token(t, "admin"), seed: 3, down: 60, up: 12}
	var out bytes.Buffer
	if err := runDemoDay(ctx, day, &out); err != nil {
		t.Fatalf("demo-day: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "firms: 6 of 12 up parcels") || !strings.Contains(out.String(), "charges: 6 recorded, 0 refused") {
		t.Errorf("demo-day printed:\n%s", out.String())
	}
	c := config{DatabaseURL: dbURL}
	out.Reset()
	var errOut bytes.Buffer
	if err := runPlan(ctx, c, dispatch.PlanOptions{ServiceDate: day.date, TimeLimit: 500 * time.Millisecond, Seed: 1}, &out, &errOut); err != nil {
		t.Fatalf("plan: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "Saving of joint delivery") || !strings.Contains(out.String(), "72 parcels") {
		t.Errorf("plan printed:\n%s", out.String())
	}
	out.Reset()
	if err := runPublish(ctx, c, day.date, 0, &out, &errOut); err != nil || !strings.Contains(out.String(), "Published plan") {
		t.Fatalf("publish: %v\n%s", err, out.String())
	}
	if err := runPublish(ctx, c, day.date, 0, &out, &errOut); err == nil || !strings.Contains(err.Error(), "already published") {
		t.Errorf("publishing twice: %v", err)
	}
	out.Reset()
	drive := day
	drive.drive, drive.over = true, 0
	if err := runDemoDay(ctx, drive, &out); err != nil {
		t.Fatalf("drive: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "drove plan") || strings.Contains(out.String(), "scan rejected") {
		t.Errorf("drive printed:\n%s", out.String())
	}
	pool, err := pg.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var notMoved, picked, upHome int
	if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE direction = 'down' AND state NOT IN ('station_arrival', 'picked_up')),
		count(*) FILTER (WHERE state = 'picked_up'), count(*) FILTER (WHERE direction = 'up' AND state = 'hub_inbound') FROM parcels`).Scan(&notMoved, &picked, &upHome); err != nil {
		t.Fatal(err)
	}
	if notMoved != 0 || picked < 60*6/10 || picked > 60*8/10 || upHome != 12 {
		t.Errorf("after the drive: %d down parcels not at their station, %d picked up, %d up parcels at the hub", notMoved, picked, upHome)
	}
	// The day shows on the scorecard: companies that handed parcels in,
	// the firms' charges on certified quotes, branded boxes, the saving.
	var rep struct {
		HubTenants struct {
			Express struct{ Actual int } `json:"express"`
		} `json:"hub_tenants"`
		PriceReduction struct {
			Parcels      int64   `json:"parcels"`
			ReductionPct float64 `json:"reduction_pct"`
		} `json:"price_reduction"`
		JointDeliverySaving struct {
			SavingFen int64 `json:"saving_fen"`
		} `json:"joint_delivery_saving"`
		BrandedBoxes struct{ Boxes int64 } `json:"branded_boxes"`
	}
	api := &apiClient{base: day.server, token: day.token, http: &http.Client{Timeout: time.Minute}}
	// The scans and charges are stamped now, the plan on its service date.
	today := time.Now().In(dispatch.County).Format(time.DateOnly)
	from, to := min(today, day.date), max(today, day.date)
	if err := api.call(ctx, "GET", "/v1/reports/kpi?from="+from+"&to="+to, nil, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.HubTenants.Express.Actual == 0 || rep.PriceReduction.Parcels == 0 || rep.PriceReduction.ReductionPct <= 0 ||
		rep.JointDeliverySaving.SavingFen <= 0 || rep.BrandedBoxes.Boxes == 0 {
		t.Errorf("the day's scorecard: %+v", rep)
	}
	out.Reset()
	err = runDemoDay(ctx, day, &out)
	if err == nil || !strings.Contains(err.Error(), "already ran") || strings.Contains(out.String(), "scans:") {
		t.Errorf("a rerun of the day: %v\n%s", err, out.String())
	}
}
