package vrp

import (
	"context"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestSolveRandomInstances solves one small instance of every kind and has
// the independent validator check the result.
func TestSolveRandomInstances(t *testing.T) {
	t.Parallel()
	for _, k := range testKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			in := randomInstance(k, 50, 9)
			sol := solveChecked(t, in, Options{TimeLimit: 700 * time.Millisecond, Seed: 1})
			if len(sol.Unassigned) > 0 && !k.fleet {
				t.Errorf("%d stops unassigned: %+v", len(sol.Unassigned), sol.Unassigned[0])
			}
		})
	}
}

// TestSegmentsMatchExactEvaluation is a property test of the concatenation
// machinery: on random routes, the segment evaluation of a route agrees
// with the exact schedule (feasibility and objective).
func TestSegmentsMatchExactEvaluation(t *testing.T) {
	t.Parallel()
	for _, k := range testKinds {
		in := randomInstance(k, 30, 21)
		p := newParams(in, defaultConfig())
		rng := rand.New(rand.NewPCG(5, 6))
		for range 3000 {
			tp := rng.IntN(len(in.VehicleTypes))
			var clients, stops []int
			for _, c := range rng.Perm(p.nbClients)[:1+rng.IntN(8)] {
				clients, stops = append(clients, c+1), append(stops, c)
			}
			seg := p.routeSegment(clients, tp)
			e := p.evaluate(&seg, tp)
			cost, ok := exactRoute(in, stops, tp)
			if ok != e.feasible() {
				t.Fatalf("%s: route %v on type %d: exact feasible %v, segments %+v", k.name, stops, tp, ok, e)
			}
			if ok && int64(e.objective) != cost {
				t.Fatalf("%s: route %v: exact cost %d, segments %.1f", k.name, stops, cost, e.objective)
			}
			if ok {
				if _, err := RouteTimeline(in, Route{VehicleType: tp, Stops: stops}); err != nil {
					t.Fatalf("%s: route %v: the validator refuses it: %v", k.name, stops, err)
				}
			}
		}
	}
}

// TestPickupDeliveryLoad: the deliveries fit when leaving the depot, but
// collecting the big pickup first overflows the van mid-route; the other
// order fits.
func TestPickupDeliveryLoad(t *testing.T) {
	t.Parallel()
	in := hgsLineInstance(2)
	in.VehicleTypes[0].Capacity = Amount{10}
	in.Stops[0].Delivery, in.Stops[0].Pickup = Amount{2}, Amount{8} // leaves 8 + picks 8 − 2 = 14
	in.Stops[1].Delivery = Amount{6}
	p := newParams(in, defaultConfig())
	bad := p.routeSegment([]int{1, 2}, 0)
	good := p.routeSegment([]int{2, 1}, 0)
	if e := p.evaluate(&bad, 0); e.loadEx != 4 {
		t.Errorf("pickup first: excess load %.0f, want 4 (peak 14 on capacity 10)", e.loadEx)
	}
	if e := p.evaluate(&good, 0); e.loadEx != 0 {
		t.Errorf("delivery first: excess load %.0f, want 0", e.loadEx)
	}
	if _, ok := exactRoute(in, []int{0, 1}, 0); ok {
		t.Error("exactRoute accepts a route that overflows after the first pickup")
	}
	sol := solveChecked(t, in, Options{TimeLimit: 200 * time.Millisecond, Seed: 1})
	for _, r := range sol.Routes {
		if reflect.DeepEqual(r.Stops, []int{0, 1}) {
			t.Errorf("Solve returned the overflowing order %v", r.Stops)
		}
	}
}

// hgsLineInstance places n stops on a line 100 apart from the depot.
func hgsLineInstance(n int) *Instance {
	in := &Instance{Name: "line", Dims: 1, DepotWindow: TimeWindow{0, Horizon}}
	m := n + 1
	in.Distance = make([]int64, m*m)
	for i := range m {
		for j := range m {
			in.Distance[i*m+j] = 100 * int64(max(i-j, j-i))
		}
	}
	for i := range n {
		in.Stops = append(in.Stops, Stop{ID: "s" + string(rune('a'+i)), Delivery: Amount{1}})
	}
	in.VehicleTypes = []VehicleType{{Name: "van", Count: Unlimited, Capacity: Amount{100}, DistanceCost: 1, ShiftEnd: Horizon}}
	return in
}

// TestTimeWindowsForceOrder: the far stop must be served first.
func TestTimeWindowsForceOrder(t *testing.T) {
	t.Parallel()
	in := hgsLineInstance(3)
	in.Stops[2].TimeWindows = []TimeWindow{{300, 350}} // far stop early
	in.Stops[0].TimeWindows = []TimeWindow{{700, 900}} // near stop late
	in.VehicleTypes[0].Count = 1
	sol := solveChecked(t, in, Options{TimeLimit: 200 * time.Millisecond, Seed: 1})
	if len(sol.Routes) != 1 || !reflect.DeepEqual(sol.Routes[0].Stops, []int{2, 1, 0}) {
		t.Errorf("routes %+v, want one route 2, 1, 0", sol.Routes)
	}
}

// TestSkills: a stop needing a skill goes on the only type that has it.
func TestSkills(t *testing.T) {
	t.Parallel()
	in := hgsLineInstance(4)
	in.Stops[1].Skills = 2
	in.VehicleTypes = append(in.VehicleTypes, VehicleType{Name: "fridge", Count: 1, Capacity: Amount{100},
		FixedCost: 1000, DistanceCost: 1, ShiftEnd: Horizon, Skills: 2})
	sol := solveChecked(t, in, Options{TimeLimit: 200 * time.Millisecond, Seed: 1})
	for _, r := range sol.Routes {
		for _, s := range r.Stops {
			if s == 1 && r.VehicleType != 1 {
				t.Errorf("stop 1 needs the fridge but rides type %d", r.VehicleType)
			}
		}
	}
}

// TestUnassignedReasons: stops no vehicle can serve alone are reported with
// a stable code and a reason naming the stop and its figures; the rest is
// solved.
func TestUnassignedReasons(t *testing.T) {
	t.Parallel()
	in := hgsLineInstance(7)
	in.DepotWindow = TimeWindow{0, 10000}
	in.VehicleTypes[0].ShiftEnd = 10000
	in.VehicleTypes[0].MaxDistance = 1300
	in.VehicleTypes[0].MaxDuration = 1500
	in.Stops[0].Delivery = Amount{150}                       // capacity
	in.Stops[1].Skills = 4                                   // skills
	in.Stops[2].TimeWindows = []TimeWindow{{9900, 9950}}     // time_window: back after 10000
	in.Stops[3].Service, in.Stops[3].TimeWindows = 1200, nil // duration: 800 + 1200 > 1500
	// stop 6 is 700 away: 1400 > 1300 (distance)
	want := map[int]string{0: CodeCapacity, 1: CodeSkills, 2: CodeTimeWindow, 3: CodeDuration, 6: CodeDistance}
	sol := solveChecked(t, in, Options{TimeLimit: 200 * time.Millisecond, Seed: 1})
	got := map[int]string{}
	for _, u := range sol.Unassigned {
		got[u.Stop] = u.Code
		if !strings.Contains(u.Reason, in.Stops[u.Stop].ID) || strings.Contains(u.Reason, "\n") {
			t.Errorf("reason %q does not name stop %s on one line", u.Reason, in.Stops[u.Stop].ID)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("unassigned codes %v, want %v", got, want)
	}
}

// TestFleetShortage: two vans of capacity 5 cannot carry 14 parcels; the
// solution stays feasible and the stops left out carry code fleet.
func TestFleetShortage(t *testing.T) {
	t.Parallel()
	in := hgsLineInstance(7)
	in.VehicleTypes[0].Count = 2
	in.VehicleTypes[0].Capacity = Amount{5}
	for i := range in.Stops {
		in.Stops[i].Delivery = Amount{2}
	}
	sol := solveChecked(t, in, Options{TimeLimit: 300 * time.Millisecond, Seed: 1})
	if len(sol.Unassigned) != 3 {
		t.Fatalf("%d unassigned, want 3 (two vans carry two stops each)", len(sol.Unassigned))
	}
	for _, u := range sol.Unassigned {
		if u.Code != CodeFleet {
			t.Errorf("stop %d: code %q, want fleet", u.Stop, u.Code)
		}
	}
}

// TestDeterministic: with an iteration limit the result depends on the seed
// alone.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	in := randomInstance(testKinds[4], 40, 17)
	opt := Options{Seed: 42, MaxIterations: 150, TimeLimit: time.Minute}
	a := solveChecked(t, in, opt)
	b := solveChecked(t, in, opt)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("two runs with seed 42 differ: cost %d vs %d", a.Cost, b.Cost)
	}
}

// TestTimeLimit: Solve returns within 5 % of its time limit.
func TestTimeLimit(t *testing.T) {
	t.Parallel()
	in := randomInstance(testKinds[0], 200, 2)
	const limit = 1500 * time.Millisecond
	start := time.Now()
	solveChecked(t, in, Options{TimeLimit: limit, Seed: 1})
	if el := time.Since(start); el > limit*105/100 {
		t.Errorf("took %v for a limit of %v", el, limit)
	}
}

// TestContextCancel: cancelling the context ends the search promptly with a
// valid solution.
func TestContextCancel(t *testing.T) {
	t.Parallel()
	in := randomInstance(testKinds[4], 150, 4)
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	sol, err := Solve(ctx, in, Options{TimeLimit: time.Minute, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > time.Second {
		t.Errorf("took %v after a 300 ms cancellation", el)
	}
	if _, err := Evaluate(in, sol); err != nil {
		t.Errorf("invalid solution after cancellation: %v", err)
	}
}

// TestThreadsAndProgress: parallel searches return a valid solution and
// report improving progress.
func TestThreadsAndProgress(t *testing.T) {
	t.Parallel()
	in := randomInstance(testKinds[3], 60, 8)
	var last int64 = -1
	calls := 0
	sol := solveChecked(t, in, Options{TimeLimit: 600 * time.Millisecond, Seed: 3, Threads: 2,
		Progress: func(p Progress) {
			calls++
			if last >= 0 && p.BestCost >= last {
				t.Errorf("progress cost %d after %d", p.BestCost, last)
			}
			last = p.BestCost
		}})
	if calls == 0 {
		t.Error("Progress was never called")
	}
	_ = sol
}

// TestSeveralWindows: stops with two windows each (the search approximates
// them by their envelope); the returned solution must still be exact.
func TestSeveralWindows(t *testing.T) {
	t.Parallel()
	in := randomInstance(testKinds[2], 40, 31)
	for i := range in.Stops {
		if i%2 == 0 {
			s := int64(500 + 150*i)
			in.Stops[i].TimeWindows = []TimeWindow{{s, s + 200}, {s + 2000, s + 2300}}
		}
	}
	solveChecked(t, in, Options{TimeLimit: 500 * time.Millisecond, Seed: 1})
}
