package vrp

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// TestReloadSegments: a route with reload copies evaluated by segment
// concatenation agrees with the validator's RouteTimeline (feasibility,
// and the cost of feasible days), and joining any prefix with its suffix
// gives the same evaluation as building the route left to right.
func TestReloadSegments(t *testing.T) {
	t.Parallel()
	base := randomInstance(testKinds[6], 30, 5)
	base.VehicleTypes[0].TimeCost = 1 // duration priced too
	keep := make([]int, len(base.Stops))
	for i := range keep {
		keep[i] = i
	}
	nb := len(base.Stops)
	in := withReloads(base, 6)
	p := newParamsReload(in, defaultConfig(), nb)
	rng := rand.New(rand.NewPCG(3, 9))
	w := penalties{load: 1000, time: 1000, dist: 1000}
	agree, feasible := 0, 0
	for trial := range 3000 {
		perm := rng.Perm(nb)[:1+rng.IntN(10)]
		var nodes []int
		for _, s := range perm {
			nodes = append(nodes, s+1)
			if rng.IntN(4) == 0 {
				nodes = append(nodes, nb+1+rng.IntN(6)) // a reload, maybe twice
			}
		}
		if nodes[0] > nb {
			continue
		}
		seg := p.routeSegment(nodes, 0)
		ev := p.evaluate(&seg, 0)
		// every cut: prefix ⊕ suffix
		cut := rng.IntN(len(nodes) + 1)
		left := p.depotFrom[0]
		var next segment
		for _, c := range nodes[:cut] {
			p.join(&left, &p.single[c], &next)
			left = next
		}
		right := p.depotTo[0]
		for k := len(nodes) - 1; k >= cut; k-- {
			p.join(&p.single[nodes[k]], &right, &next)
			right = next
		}
		var whole segment
		p.join(&left, &right, &whole)
		ev2 := p.evaluate(&whole, 0)
		if math.Abs(p.penalised(&ev, &w)-p.penalised(&ev2, &w)) > 1e-6 {
			t.Fatalf("trial %d %v cut %d: %+v left to right, %+v by halves", trial, nodes, cut, ev, ev2)
		}
		route := reloadRoute(nodes, 0, keep, nb)
		tl, err := RouteTimeline(base, route)
		if (err == nil) != ev.feasible() {
			t.Fatalf("trial %d %v: validator %v, segments %+v", trial, nodes, err, ev)
		}
		if err == nil {
			feasible++
			if int64(ev.objective) != tl.Cost {
				t.Fatalf("trial %d %v: cost %v, validator %d", trial, nodes, ev.objective, tl.Cost)
			}
			agree++
		}
	}
	if feasible < 100 {
		t.Errorf("only %d feasible days tried", feasible)
	}
}

// TestSolvePlansReloadsInSearch: seven vans that must reload; every
// solution is validated (capacity per trip, windows, release times).
func TestSolvePlansReloadsInSearch(t *testing.T) {
	t.Parallel()
	in := randomInstance(testKinds[6], 60, 21)
	sol := solveChecked(t, in, Options{Seed: 1, MaxIterations: 300})
	reloads := 0
	for _, r := range sol.Routes {
		reloads += len(r.Reloads)
	}
	if reloads == 0 || len(sol.Routes) > in.VehicleTypes[0].Count {
		t.Errorf("%d routes, %d reloads", len(sol.Routes), reloads)
	}
	t.Logf("%d routes, %d reloads, %d unassigned, cost %d", len(sol.Routes), reloads, len(sol.Unassigned), sol.Cost)
}

// TestPackAndMendDays: trips planned one van each are packed into the
// limited fleet's days and mended stop by stop; every step keeps the days
// feasible (capacity per trip, windows, release times, reloads) and mending
// never raises the cost.
func TestPackAndMendDays(t *testing.T) {
	t.Parallel()
	in := randomInstance(testKinds[6], 50, 21)
	trips := solveChecked(t, tripInstance(in), Options{Seed: 1, MaxIterations: 200})
	vans, lost := packBest(in, 0, trips.Routes)
	if len(vans) > in.VehicleTypes[0].Count {
		t.Fatalf("%d vans, the fleet has %d", len(vans), in.VehicleTypes[0].Count)
	}
	left := make([]Unassigned, 0, len(lost)+len(trips.Unassigned))
	for _, s := range lost {
		left = append(left, Unassigned{Stop: s})
	}
	left = append(left, trips.Unassigned...)
	before, err := Evaluate(in, &Solution{Routes: vans, Unassigned: left})
	if err != nil {
		t.Fatalf("packed days: %v", err)
	}
	improveDays(in, vans, time.Now().Add(5*time.Second))
	after, err := Evaluate(in, &Solution{Routes: vans, Unassigned: left})
	if err != nil {
		t.Fatalf("mended days: %v", err)
	}
	if after > before {
		t.Errorf("mending raised the cost from %d to %d", before, after)
	}
	reloads := 0
	for _, r := range vans {
		reloads += len(r.Reloads)
	}
	if reloads == 0 {
		t.Error("no van drives a second trip; the test instance should need some")
	}
	t.Logf("%d vans, %d reloads, %d stops lost, cost %d → %d", len(vans), reloads, len(lost), before, after)
}
