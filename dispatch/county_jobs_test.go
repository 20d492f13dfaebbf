package dispatch

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
	"github.com/tongpei/tongpei/internal/tenant"
	"github.com/tongpei/tongpei/stations"
)

// countyB is the second county of the tests below; the install's own
// county (tenant.Default) is A.
const countyB = "530428"

// secondCounty registers county B in tc's database with the
// demonstration registry, fleet and a small day of parcels of its own,
// and answers a context working for B. County A keeps its registry and
// fleet but has no parcels.
func secondCounty(t *testing.T, tc *testCounty) context.Context {
	t.Helper()
	if tenant.Default() == countyB {
		t.Skip("TONGPEI_COUNTY is the test's second county")
	}
	b := tenant.With(context.Background(), countyB)
	if _, err := tenant.NewRegistry(tc.pool).Add(context.Background(), countyB, "B"); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadRegistry(b, stations.NewRegistry(tc.pool)); err != nil {
		t.Fatal(err)
	}
	must(t, func() error { return tc.store.LoadDemoFleet(b) })
	day := demo.GenerateDay(demo.DayOptions{Seed: 11, Date: testDate, Down: 90, Up: 15, Carriers: []string{"ZTO", "YTO", "STO"}})
	rows := make([][]any, len(day))
	for i, p := range day {
		state := map[string]string{"down": "hub_inbound", "up": "accepted"}[p.Direction]
		rows[i] = []any{p.Carrier, p.TrackingNo, p.Direction, p.Station, state, p.WeightG,
			p.SizeCM["l"], p.SizeCM["w"], p.SizeCM["h"], p.Category}
	}
	_, err := pgtest.CopyFrom(t, b, tc.pool, pgx.Identifier{"parcels"},
		[]string{"carrier", "tracking_no", "direction", "station", "state", "weight_g", "size_l", "size_w", "size_h", "category"},
		pgx.CopyFromRows(rows))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// countyOf reads, province-wide, the county of the row of table with id.
func countyOf(t *testing.T, tc *testCounty, sql string, id int64) string {
	t.Helper()
	var c string
	if err := tc.pool.QueryRow(tenant.WithProvince(context.Background()), sql, id).Scan(&c); err != nil {
		t.Fatalf("%s [%d]: %v", sql, id, err)
	}
	return c
}

// The background work of dispatch serves every county (issue 18): started
// with a context naming no county, as serve starts it, the plan queue
// solves county B's day in B, the cost-share worker splits B's published
// plan in B, and the re-sender sends B's unacknowledged jobs again on
// B's outbox rows; county A sees none of it.
func TestBackgroundJobsServeEveryCounty(t *testing.T) {
	t.Parallel()
	tc := newTestCounty(t)
	b := secondCounty(t, tc)
	a := tenant.With(context.Background(), tenant.Default())
	background := context.Background() // serve's: no county

	q := NewPlanQueue(tc.store, 1)
	q.poll, q.beat = 50*time.Millisecond, 100*time.Millisecond
	must(t, func() error { return q.Start(background) })
	t.Cleanup(q.Stop)
	if err := tc.store.StartCostShares(background, ShareOptions{Budget: 2 * time.Second, MinSolve: 10 * time.Millisecond, Seed: 1}, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tc.store.StopCostShares)

	var plan *Plan
	t.Run("plan queue", func(t *testing.T) {
		job, err := q.Submit(b, PlanRequest{ServiceDate: "2026-12-01", TimeLimit: 300 * time.Millisecond, Seed: 1, RequestedBy: "test"})
		if err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(time.Minute)
		for !job.Finished() {
			if time.Now().After(deadline) {
				t.Fatalf("county B's job never finished: %+v", job)
			}
			select {
			case <-q.Changed():
			case <-time.After(50 * time.Millisecond):
			}
			if job, err = q.Job(b, job.ID); err != nil {
				t.Fatal(err)
			}
		}
		if job.State != JobDone || job.PlanID == nil {
			t.Fatalf("county B's job ended %s: %+v", job.State, job.Error)
		}
		if _, err := q.Job(a, job.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("county A reads B's job: %v", err)
		}
		if plan, err = tc.store.Plan(b, *job.PlanID); err != nil {
			t.Fatal(err)
		}
		if plan.Joint.CostFen <= 0 {
			t.Fatalf("county B's plan costs %d", plan.Joint.CostFen)
		}
		if _, err := tc.store.Plan(a, plan.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("county A reads B's plan: %v", err)
		}
		if c := countyOf(t, tc, `SELECT county FROM dispatch_plans WHERE id = $1`, plan.ID); c != countyB {
			t.Errorf("B's plan stored in county %s", c)
		}
	})
	if plan == nil {
		t.FailNow()
	}
	jobs, err := tc.store.Publish(b, plan.ID)
	if err != nil || len(jobs) == 0 {
		t.Fatalf("publishing B's plan: %d jobs, %v", len(jobs), err)
	}

	t.Run("cost shares", func(t *testing.T) {
		deadline := time.Now().Add(2 * time.Minute)
		for {
			cs, p, err := tc.store.CostSharesNow(b, plan.ID)
			if err != nil {
				t.Fatal(err)
			}
			if cs != nil {
				if len(cs.Shares) != 3 || cs.TotalFen != plan.Joint.CostFen {
					t.Fatalf("B's split: %d shares, total %d of %d", len(cs.Shares), cs.TotalFen, plan.Joint.CostFen)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("county B's plan %d has no cost shares after two minutes: %+v", plan.ID, p)
			}
			time.Sleep(20 * time.Millisecond)
		}
		if c := countyOf(t, tc, `SELECT county FROM dispatch_cost_shares WHERE plan_id = $1`, plan.ID); c != countyB {
			t.Errorf("B's split stored in county %s", c)
		}
		if _, _, err := tc.store.CostSharesNow(a, plan.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("county A reads B's split: %v", err)
		}
	})

	t.Run("re-sender", func(t *testing.T) {
		outbox := func(county string) int64 {
			var n int64
			if err := tc.pool.QueryRow(tenant.WithProvince(context.Background()),
				`SELECT count(*) FROM outbox WHERE county = $1 AND subject LIKE '%dispatch%'`, county).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		beforeA, beforeB := outbox(tenant.Default()), outbox(countyB)
		n, err := tc.store.ResendEveryCounty(background, 0)
		if err != nil {
			t.Fatal(err)
		}
		if n != len(jobs) {
			t.Fatalf("re-sent %d jobs, want county B's %d", n, len(jobs))
		}
		if a, b := outbox(tenant.Default())-beforeA, outbox(countyB)-beforeB; a != 0 || b != int64(n) {
			t.Fatalf("new dispatch events: %d in A, %d in B; want 0 and %d", a, b, n)
		}
	})
}
