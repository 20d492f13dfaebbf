package dispatch

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/dispatch/geo"
)

// demoDayGame plans the demonstration day (2,400 down and 360 up parcels of
// the county's eight express companies, 124 villages, the fourteen vans) in planLimit and returns
// its cost game, as ComputeCostShares builds it from a published plan.
func demoDayGame(tb testing.TB, planLimit time.Duration) *shareGame {
	tb.Helper()
	pr := sizedDayProblem(tb, demo.DayOptions{Seed: 1})
	plan, err := solvePlan(context.Background(), pr, PlanOptions{TimeLimit: planLimit, Seed: 1}, "joint", true)
	if err != nil {
		tb.Fatal(err)
	}
	plan.ServiceDate, plan.Hub, plan.TimeLimitMs = testDate.Format(time.DateOnly), place(pr.Hub), planLimit.Milliseconds()
	sts, index := planStations(plan)
	points := make([]orb.Point, len(sts))
	for i, st := range sts {
		points[i] = st.Location
	}
	d, tt, err := geo.Travel{}.Matrices(points)
	if err != nil {
		tb.Fatal(err)
	}
	m := &geo.CachedMatrix{Source: "great_circle", Distances: d, Durations: tt}
	g, err := newShareGame(context.Background(), plan, planFleet(plan, pr.Fleet), m, index, 1)
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

// BenchmarkCostSharesDemoDay splits the demonstration day's plan among its
// eight carriers with the default budget and reports what it took and what
// it found: solves, ms per solve, carriers, the smallest margin below the
// stand-alone cost, and the machine's load while it ran.
//
//	go test ./dispatch/ -run '^$' -bench CostSharesDemoDay -benchtime 1x
func BenchmarkCostSharesDemoDay(b *testing.B) {
	g := demoDayGame(b, 10*time.Second)
	b.ResetTimer()
	var cs *CostShares
	for range b.N {
		g.values, g.solves, g.solveTime = map[coalition]coalitionValue{}, 0, 0
		var err error
		cs, err = shapleyShares(g, DefaultShareBudget, DefaultMinSolve, false)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	minMargin := 100.0
	for _, s := range cs.Shares {
		minMargin = min(minMargin, s.MarginPct)
		b.Logf("%-7s share %9.2f CNY  alone %9.2f CNY  margin %6.2f %%  parcels %4d", s.Carrier,
			float64(s.ShareFen)/100, float64(s.StandaloneFen)/100, s.MarginPct, s.Parcels)
	}
	b.Logf("%s: total %.2f CNY, %d coalitions, found by %v, core violations %d, elapsed %d ms (budget %d ms), load %s",
		cs.Method, float64(cs.TotalFen)/100, cs.Computation.Coalitions, cs.Computation.FoundBy,
		len(cs.Checks.CoreViolations), cs.Computation.ElapsedMs, cs.Computation.BudgetMs, loadAverage())
	b.ReportMetric(float64(cs.Computation.Solves), "solves")
	b.ReportMetric(float64(cs.Computation.SolveMs)/float64(max(cs.Computation.Solves, 1)), "ms/solve")
	b.ReportMetric(float64(len(cs.Shares)), "carriers")
	b.ReportMetric(float64(cs.Computation.ElapsedMs)/1000, "s")
	b.ReportMetric(minMargin, "min_margin_%")
	b.ReportMetric(float64(len(cs.Checks.CoreViolations)), "core_violations")
	if !cs.Checks.Efficient || !cs.Checks.IndividuallyRational {
		b.Errorf("checks failed: %+v", cs.Checks)
	}
	if cs.Computation.ElapsedMs > 2*cs.Computation.BudgetMs {
		b.Errorf("took %d ms, over twice the %d ms budget", cs.Computation.ElapsedMs, cs.Computation.BudgetMs)
	}
}

// loadAverage is the 1-, 5- and 15-minute load from /proc/loadavg.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
