package vrp

import (
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"
)

// countyDay is a synthetic day of the county: 130 village stations around a
// depot in a 40 km square, road distances in metres (1.3 × straight line),
// durations in seconds at 40 km/h, deliveries and pickups in kg and
// parcels, service of 3 to 8 minutes, shop hours at a third of the stops,
// and two van types with their own shifts.
func countyDay() *Instance {
	rng := rand.New(rand.NewPCG(2026, 11))
	const n = 130
	in := &Instance{Name: "county-day", Dims: 2, DepotWindow: TimeWindow{6 * 3600, 19 * 3600}}
	xs, ys := []float64{20000}, []float64{20000}
	for i := range n {
		// villages cluster along a few valleys
		a := float64(rng.IntN(5))*1.25 + rng.NormFloat64()*0.25
		r := 2000 + rng.Float64()*18000
		xs, ys = append(xs, 20000+r*math.Cos(a)), append(ys, 20000+r*math.Sin(a))
		s := Stop{ID: "station-" + strconv.Itoa(i+1), Service: 180 + rng.Int64N(300)}
		s.Delivery = Amount{20 + rng.Int64N(120), 2 + rng.Int64N(15)}
		s.Pickup = Amount{rng.Int64N(100), rng.Int64N(12)}
		if i%3 == 0 {
			open := (8 + rng.Int64N(5)) * 3600
			s.TimeWindows = []TimeWindow{{open, open + 3*3600}}
		}
		in.Stops = append(in.Stops, s)
	}
	m := n + 1
	in.Distance, in.Duration = make([]int64, m*m), make([]int64, m*m)
	for i := range m {
		for j := range m {
			d := 1.3 * math.Hypot(xs[i]-xs[j], ys[i]-ys[j])
			in.Distance[i*m+j] = int64(math.Round(d))
			in.Duration[i*m+j] = int64(math.Round(d / 40000 * 3600))
		}
	}
	in.VehicleTypes = []VehicleType{
		{Name: "small van", Count: 8, Capacity: Amount{900, 120}, FixedCost: 20000, DistanceCost: 1, TimeCost: 2,
			ShiftStart: 7 * 3600, ShiftEnd: 17 * 3600},
		{Name: "large van", Count: 4, Capacity: Amount{1800, 220}, FixedCost: 35000, DistanceCost: 2, TimeCost: 2,
			ShiftStart: 8 * 3600, ShiftEnd: 18 * 3600, MaxDuration: 9 * 3600},
	}
	return in
}

// TestCountyDay solves the county day briefly: every stop served, valid.
func TestCountyDay(t *testing.T) {
	t.Parallel()
	in := countyDay()
	sol := solveChecked(t, in, Options{TimeLimit: 2 * time.Second, Seed: 1})
	if len(sol.Unassigned) > 0 {
		t.Errorf("%d stops unassigned, first: %s", len(sol.Unassigned), sol.Unassigned[0].Reason)
	}
}

// TestCountyConvergence compares 2 s with 60 s on the county day; it runs
// only with VRP_LONG=1 (a minute of CPU).
func TestCountyConvergence(t *testing.T) {
	t.Parallel()
	if os.Getenv("VRP_LONG") == "" {
		t.Skip("set VRP_LONG=1 to compare 2 s with 60 s")
	}
	in := countyDay()
	short := solveChecked(t, in, Options{TimeLimit: 2 * time.Second, Seed: 1})
	long := solveChecked(t, in, Options{TimeLimit: 60 * time.Second, Seed: 1})
	gap := 100 * float64(short.Cost-long.Cost) / float64(long.Cost)
	t.Logf("county day: 2 s %d, 60 s %d, gap %.2f %%", short.Cost, long.Cost, gap)
	if gap > 1 {
		t.Errorf("2 s result is %.2f %% above the 60 s one, want ≤ 1 %%", gap)
	}
}

// BenchmarkCountyConvergence reports how far the 2 s result on the county
// day lies above the 60 s one (metric gap_pct), both with one thread and
// seed 1, and the two costs. VRP_SCALE scales both budgets.
func BenchmarkCountyConvergence(b *testing.B) {
	scale := 1.0
	if v, err := strconv.ParseFloat(os.Getenv("VRP_SCALE"), 64); err == nil {
		scale = v
	}
	in := countyDay()
	solve := func(limit time.Duration) int64 {
		opt := Options{TimeLimit: time.Duration(scale * float64(limit)), Seed: 1, Threads: 1}
		sol, err := Solve(b.Context(), in, opt)
		if err != nil {
			b.Fatal(err)
		}
		if cost, err := Evaluate(in, sol); err != nil || cost != sol.Cost || len(sol.Unassigned) > 0 {
			b.Fatalf("invalid solution (cost %d, validator %d, %d unassigned): %v", sol.Cost, cost, len(sol.Unassigned), err)
		}
		return sol.Cost
	}
	var short, long int64
	for b.Loop() {
		short, long = solve(2*time.Second), solve(60*time.Second)
	}
	b.ReportMetric(100*float64(short-long)/float64(long), "gap_pct")
	b.ReportMetric(float64(short), "cost_2s")
	b.ReportMetric(float64(long), "cost_60s")
}

// BenchmarkCountyDay solves the county day for 2 s (for profiles).
func BenchmarkCountyDay(b *testing.B) {
	in := countyDay()
	var cost int64
	for b.Loop() {
		sol, err := Solve(b.Context(), in, Options{TimeLimit: 2 * time.Second, Seed: 1, Threads: 1})
		if err != nil {
			b.Fatal(err)
		}
		cost = sol.Cost
	}
	b.ReportMetric(float64(cost), "cost")
}
