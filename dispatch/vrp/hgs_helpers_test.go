package vrp

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// kind selects the attributes of a random test instance.
type kind struct {
	name                    string
	pickups, windows, fleet bool
	release, trips          bool // release times; seven vans that reload
	// travelCost prices travel time alone (TravelTimeCost, VROOM's
	// per_hour) on every vehicle type; on the fleet kinds the "small" type
	// keeps its TimeCost too, so both objectives meet in one instance.
	travelCost bool
	// ends: routes start or end elsewhere than the depot (open.go): 1 open
	// ends (no return), 2 two places after the stops as starts and ends;
	// on the fleet kinds each type gets its own pair.
	ends int
}

var testKinds = []kind{
	{name: "cvrp"},
	{name: "vrpspd", pickups: true},
	{name: "vrptw", windows: true},
	{name: "hf", fleet: true},
	{name: "rich", pickups: true, windows: true, fleet: true},
	{name: "vrptwr", windows: true, release: true},
	{name: "mtvrptwr", windows: true, release: true, trips: true},
}

// travelKinds are kinds with VROOM's objective: not in the golden tests,
// which pin the county's results.
var travelKinds = []kind{
	{name: "vrptw-travel", windows: true, travelCost: true},
	{name: "rich-travel", pickups: true, windows: true, fleet: true, travelCost: true},
	{name: "mtvrptwr-travel", windows: true, release: true, trips: true, travelCost: true},
}

// openKinds have open or asymmetric routes: not in the golden tests either.
var openKinds = []kind{
	{name: "cvrp-open", ends: 1},
	{name: "vrptw-asym", windows: true, ends: 2},
	{name: "rich-open", pickups: true, windows: true, fleet: true, ends: 2},
}

// randomInstance builds a small instance of kind k: Euclidean distances on a
// 1000×1000 square, the depot in the middle.
func randomInstance(k kind, n int, seed uint64) *Instance {
	rng := rand.New(rand.NewPCG(seed, 7))
	in := &Instance{Name: k.name, Dims: 1, DepotWindow: TimeWindow{0, Horizon}}
	xs, ys := []float64{500}, []float64{500}
	for i := range n {
		xs, ys = append(xs, rng.Float64()*1000), append(ys, rng.Float64()*1000)
		s := Stop{ID: "s" + strconv.Itoa(i), Delivery: Amount{1 + rng.Int64N(20)}}
		if k.pickups {
			s.Pickup[0] = rng.Int64N(20)
			if rng.IntN(3) == 0 {
				s.Delivery[0] = 0
			}
		}
		if k.windows {
			s.Service = 10 + rng.Int64N(20)
			if rng.IntN(4) > 0 {
				start := rng.Int64N(6000)
				s.TimeWindows = []TimeWindow{{start, start + 300 + rng.Int64N(1500)}}
			}
		}
		if k.release && rng.IntN(2) == 0 {
			// Late enough to bind, early enough that the stop's own window
			// (reached within 710 of the depot) stays reachable.
			s.Release = rng.Int64N(4000)
			if len(s.TimeWindows) > 0 {
				s.Release = rng.Int64N(max(s.TimeWindows[0].Start-710, 1))
			}
		}
		in.Stops = append(in.Stops, s)
	}
	if k.ends == 2 {
		// fixed places, so the stops stay those of the closed kinds
		xs, ys = append(xs, 100, 950), append(ys, 900, 50)
		in.Places = 2
	}
	m := n + 1 + in.Places
	in.Distance = make([]int64, m*m)
	for i := range m {
		for j := range m {
			in.Distance[i*m+j] = int64(math.Round(math.Hypot(xs[i]-xs[j], ys[i]-ys[j])))
		}
	}
	in.VehicleTypes = []VehicleType{{Name: "van", Count: Unlimited, Capacity: Amount{60}, DistanceCost: 1, ShiftEnd: Horizon}}
	if k.windows {
		in.DepotWindow = TimeWindow{0, 9000}
		in.VehicleTypes[0].ShiftEnd = 8500
	}
	if k.trips {
		in.VehicleTypes[0].Count, in.VehicleTypes[0].MaxTrips, in.VehicleTypes[0].ReloadTime = 7, Unlimited, 60
	}
	if k.fleet {
		in.Dims = 2
		for i := range in.Stops {
			in.Stops[i].Delivery[1] = rng.Int64N(5)
			if i%7 == 3 {
				in.Stops[i].Skills = 1
			}
		}
		in.VehicleTypes = []VehicleType{
			{Name: "small", Count: Unlimited, Capacity: Amount{40, 20}, FixedCost: 100, DistanceCost: 2, TimeCost: 1, ShiftEnd: Horizon, MaxDistance: 6000},
			{Name: "big", Count: 3, Capacity: Amount{100, 40}, FixedCost: 400, DistanceCost: 3, ShiftEnd: Horizon, Skills: 1},
			{Name: "cold", Count: 2, Capacity: Amount{70, 30}, FixedCost: 250, DistanceCost: 2, ShiftStart: 500, ShiftEnd: Horizon, Skills: 3},
		}
		if k.windows {
			for t := range in.VehicleTypes {
				in.VehicleTypes[t].ShiftEnd = 8500
				in.VehicleTypes[t].MaxDuration = 7000
			}
		}
	}
	switch {
	case k.ends == 1:
		for t := range in.VehicleTypes {
			in.VehicleTypes[t].End = NoPlace
		}
	case k.ends == 2 && !k.fleet:
		in.VehicleTypes[0].Start, in.VehicleTypes[0].End = n+1, n+2
	case k.ends == 2:
		ends := [][2]int{{0, NoPlace}, {NoPlace, n + 2}, {n + 1, 0}}
		for t := range in.VehicleTypes {
			in.VehicleTypes[t].Start, in.VehicleTypes[t].End = ends[t][0], ends[t][1]
		}
	}
	if k.travelCost {
		for t := range in.VehicleTypes {
			in.VehicleTypes[t].TravelTimeCost = int64(2 + t)
		}
		if k.windows { // long service, which the travel cost must not price
			for i := range in.Stops {
				in.Stops[i].Service *= 5
			}
		}
	}
	return in
}

// solveChecked runs Solve and checks the solution with the independent
// validator: every stop once, every route feasible, Cost exact.
func solveChecked(t *testing.T, in *Instance, opt Options) *Solution {
	t.Helper()
	sol, err := Solve(t.Context(), in, opt)
	if err != nil {
		t.Fatalf("%s: Solve: %v", in.Name, err)
	}
	cost, err := Evaluate(in, sol)
	if err != nil {
		t.Fatalf("%s: invalid solution: %v", in.Name, err)
	}
	if cost != sol.Cost {
		t.Fatalf("%s: Solution.Cost %d, the validator computes %d", in.Name, sol.Cost, cost)
	}
	for _, r := range sol.Routes {
		if len(r.Stops) == 0 {
			t.Fatalf("%s: empty route returned", in.Name)
		}
	}
	return sol
}

// lsRoutesOf lists the clients of each LS route.
func lsRoutesOf(ls *localSearch) [][]int {
	out := make([][]int, ls.nbRoutes)
	for i, r := range ls.routes[:ls.nbRoutes] {
		for n := r.depot.next; !n.isDepot; n = n.next {
			out[i] = append(out[i], n.cour)
		}
	}
	return out
}

// totalCost is the penalised cost of routes recomputed from scratch.
func totalCost(p *params, ls *localSearch, routes [][]int) float64 {
	var c float64
	for i, r := range routes {
		seg := p.routeSegment(r, ls.routes[i].vt)
		c += p.cost(&seg, ls.routes[i].vt, &ls.w)
	}
	return c
}

// checkLSConsistent verifies that every route's incremental data matches a
// recomputation from scratch.
func checkLSConsistent(t *testing.T, p *params, ls *localSearch) {
	t.Helper()
	for i, r := range ls.routes[:ls.nbRoutes] {
		var seq []int
		pos := 0
		for n := r.depot.next; !n.isDepot; n = n.next {
			pos++
			if n.route != r || n.position != pos || n.next.prev != n {
				t.Fatalf("route %d: broken links at client %d", i, n.cour)
			}
			seq = append(seq, n.cour)
		}
		seg := p.routeSegment(seq, r.vt)
		want := p.cost(&seg, r.vt, &ls.w)
		if math.Abs(want-r.penalty) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Fatalf("route %d: incremental cost %.6f, recomputed %.6f", i, r.penalty, want)
		}
	}
}

// randomStart loads ls with the split of a random giant tour under
// penalties that vary with trial.
func randomStart(ls *localSearch, sp *splitter, ind *individual, rng *rand.Rand, trial int) {
	w := penalties{load: float64(1 + trial%20), time: float64(1 + trial%3), dist: 1}
	ind.giantTour = ind.giantTour[:0]
	for c := 1; c <= ls.p.nbClients; c++ {
		ind.giantTour = append(ind.giantTour, c)
	}
	rng.Shuffle(len(ind.giantTour), func(i, j int) {
		ind.giantTour[i], ind.giantTour[j] = ind.giantTour[j], ind.giantTour[i]
	})
	sp.split(ind, &w)
	ls.w = w
	ls.prepareRoutes(ind)
}
