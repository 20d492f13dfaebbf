package dispatch

import (
	"context"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/dispatch/geo"
	"github.com/tongpei/tongpei/dispatch/vrp"
)

// dayProblem builds the joint problem of a generated day in memory, as
// CreatePlan does from the database: the demonstration county, the
// demonstration fleet, great-circle travel.
func dayProblem(tb testing.TB, seed uint64) *problem {
	tb.Helper()
	return sizedDayProblem(tb, demo.DayOptions{Seed: seed})
}

// sizedDayProblem is dayProblem for a day of the given size (0: default).
func sizedDayProblem(tb testing.TB, o demo.DayOptions) *problem {
	tb.Helper()
	county := demo.Stations()
	set := &stationSet{byCode: map[string]Station{}}
	for _, s := range county {
		st := Station{Code: s.Code, Name: s.Name, Tier: s.Tier, Location: orb.Point{s.Lon, s.Lat}, KeeperPhone: s.KeeperPhone}
		set.byCode[s.Code] = st
		if s.Tier == "county_hub" {
			set.hub = st
		}
	}
	if o.Date.IsZero() {
		o.Date = testDate
	}
	o.Stations = county
	day := demo.GenerateDay(o)
	parcels := make([]parcelRow, len(day))
	for i, p := range day {
		parcels[i] = parcelRow{ID: int64(i + 1), Carrier: p.Carrier, TrackingNo: p.TrackingNo, Direction: p.Direction,
			Station: p.Station, WeightG: int64(p.WeightG), VolumeCm3: int64(p.SizeCM["l"] * p.SizeCM["w"] * p.SizeCM["h"])}
	}
	sortParcels(parcels)
	fleet := []fleetRow{
		{Type: VehicleType{Code: "ev", CapacityKg: 800, CapacityL: 4000, CapacityParcels: 300, FixedCostFen: 200_00, CostPerKmFen: 50, CostPerHourFen: 30_00, Shift: Shift{"07:00", "20:00"}, MaxKm: 230}, Operator: "XPJD", Count: 4},
		{Type: VehicleType{Code: "minivan", CapacityKg: 1000, CapacityL: 5000, CapacityParcels: 350, FixedCostFen: 250_00, CostPerKmFen: 120, CostPerHourFen: 30_00, Shift: Shift{"07:00", "20:00"}}, Operator: "XPJD", Count: 10},
	}
	sts := append([]Station{set.hub}, sortedStations(set)...)
	stIndex := map[string]int{}
	points := make([]orb.Point, len(sts))
	for i, st := range sts {
		stIndex[st.Code], points[i] = i, st.Location
	}
	d, t, err := geo.Travel{}.Matrices(points)
	if err != nil {
		tb.Fatal(err)
	}
	m := &geo.CachedMatrix{Source: "great_circle", Distances: d, Durations: t}
	groups, _ := groupParcels(parcels, set, capacityOf(fleet[1].Type), nil)
	return &problem{Date: testDate, Hub: set.hub, Groups: groups, Fleet: fleet,
		Instance: buildInstance("day", groups, fleet, m, stIndex, false, dayModel{MaxTrips: 1})}
}

// BenchmarkPlanGeneratedDay plans a generated day (2,400 down and 360 up
// parcels, 124 villages, 14 vans) in 10 s and compares its cost with a
// 60-second reference search: the issue asks for at most 1 % more. The
// reference runs only here, under -bench, never in go test.
func BenchmarkPlanGeneratedDay(b *testing.B) {
	pr := dayProblem(b, 1)
	ctx := context.Background()
	ref, err := vrp.Solve(ctx, pr.Instance, vrp.Options{TimeLimit: 60 * time.Second, Seed: 2})
	if err != nil {
		b.Fatal(err)
	}
	refCost, err := vrp.Evaluate(pr.Instance, ref)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var gap float64
	for range b.N {
		start := time.Now()
		sol, err := vrp.Solve(ctx, pr.Instance, vrp.Options{TimeLimit: 10 * time.Second, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		cost, err := vrp.Evaluate(pr.Instance, sol)
		if err != nil {
			b.Fatal(err)
		}
		gap = 100 * float64(cost-refCost) / float64(refCost)
		if took > 10500*time.Millisecond {
			b.Errorf("planning took %s, over 10 s", took)
		}
		if len(sol.Unassigned) > len(ref.Unassigned) {
			b.Errorf("10 s leaves %d stops unassigned, 60 s %d", len(sol.Unassigned), len(ref.Unassigned))
		}
	}
	b.ReportMetric(gap, "gap_%")
	b.ReportMetric(float64(refCost)/costScale/100, "ref_CNY")
	if gap > 1 {
		b.Errorf("the 10 s plan costs %.2f %% more than the 60 s reference, over 1 %%", gap)
	}
}

// TestDayProblemFeasibleQuickly is the benchmark's cheap cousin for go test:
// a 1-second search on the generated day serves every village without
// breaking a rule.
func TestDayProblemFeasibleQuickly(t *testing.T) {
	t.Parallel()
	pr := dayProblem(t, 3)
	sol, err := vrp.Solve(context.Background(), pr.Instance, vrp.Options{TimeLimit: time.Second, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := vrp.Validate(pr.Instance, sol); err != nil {
		t.Fatal(err)
	}
	if len(sol.Unassigned) != 0 {
		t.Errorf("%d stops unassigned: %+v", len(sol.Unassigned), sol.Unassigned[0])
	}
}

// TestEveryParcelOnceOnRandomDays is a property test over generated days of
// many sizes and seasons: whatever the optimiser returns passes the
// validator (solvePlan checks), and every parcel is on exactly one stop or
// in the unassigned list with a reason.
func TestEveryParcelOnceOnRandomDays(t *testing.T) {
	t.Parallel()
	for seed := uint64(1); seed <= 6; seed++ {
		// Other months bring other produce (lychees in May, mangoes in summer).
		o := demo.DayOptions{Seed: seed, Down: int(seed) * 97, Up: int(seed) * 23, Date: testDate.AddDate(0, int(seed)*2, 0)}
		pr := sizedDayProblem(t, o)
		plan, err := solvePlan(context.Background(), pr, PlanOptions{TimeLimit: 150 * time.Millisecond, Seed: int64(seed)}, "joint", true)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		seen := map[int64]int{}
		for _, r := range plan.Routes {
			for _, st := range r.Stops {
				for _, p := range append(append([]ParcelRef{}, st.Drop...), st.Collect...) {
					seen[p.ID]++
				}
			}
		}
		for _, u := range plan.Unassigned {
			if u.Reason == "" {
				t.Errorf("seed %d: %s unassigned without a reason", seed, u.Station)
			}
			for _, p := range append(append([]ParcelRef{}, u.Drop...), u.Collect...) {
				seen[p.ID]++
			}
		}
		if len(seen) != o.Down+o.Up {
			t.Errorf("seed %d: %d parcels on the plan, want %d", seed, len(seen), o.Down+o.Up)
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("seed %d: parcel %d appears %d times", seed, id, n)
			}
		}
	}
}
