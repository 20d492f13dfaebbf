package vrp

import (
	"math/rand/v2"
	"testing"
	"time"
)

// handTravelCost recomputes a route's cost from the matrices alone, without
// RouteTimeline's travel figure: FixedCost + DistanceCost×distance +
// TimeCost×duration + TravelTimeCost×(sum of the legs' Time, depot legs
// between trips included). duration comes from the timeline: it is the only
// part that needs a schedule.
func handTravelCost(in *Instance, r Route, duration int64) int64 {
	vt := &in.VehicleTypes[r.VehicleType]
	var dist, travel int64
	for _, trip := range r.Trips() {
		prev := 0
		for _, s := range trip {
			dist += in.Dist(prev, s+1)
			travel += in.Time(prev, s+1)
			prev = s + 1
		}
		dist += in.Dist(prev, 0)
		travel += in.Time(prev, 0)
	}
	return vt.FixedCost + vt.DistanceCost*dist + vt.TimeCost*duration + vt.TravelTimeCost*travel
}

// TestTravelTimeCostObjective checks the search's route evaluation against
// the validator and a recomputation by hand on instances with a
// TravelTimeCost: every route the search's model calls feasible is feasible
// for RouteTimeline and costs exactly what both say.
func TestTravelTimeCostObjective(t *testing.T) {
	t.Parallel()
	for _, k := range travelKinds {
		if k.trips {
			continue // the search holds reloads as copies of the depot; TestTravelTimeCostSolve covers them
		}
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			in := randomInstance(k, 30, 17)
			p := newParams(in, defaultConfig())
			rng := rand.New(rand.NewPCG(5, 9))
			checked := 0
			for range 3000 {
				vt := rng.IntN(len(in.VehicleTypes))
				perm := rng.Perm(len(in.Stops))[:1+rng.IntN(5)]
				nodes := make([]int, len(perm))
				for i, s := range perm {
					nodes[i] = s + 1
				}
				seg := p.routeSegment(nodes, vt)
				ev := p.evaluate(&seg, vt)
				if !ev.feasible() {
					continue
				}
				r := Route{VehicleType: vt, Stops: perm}
				tl, err := RouteTimeline(in, r)
				if err != nil {
					t.Fatalf("route %v on type %d: the search's model calls it feasible, the validator: %v", perm, vt, err)
				}
				if hand := handTravelCost(in, r, tl.Duration); tl.Cost != hand || int64(ev.objective) != hand {
					t.Fatalf("route %v on type %d: validator %d, search %.1f, by hand %d", perm, vt, tl.Cost, ev.objective, hand)
				}
				checked++
			}
			if checked < 100 {
				t.Fatalf("only %d feasible routes: the test checks too little", checked)
			}
		})
	}
}

// TestTravelTimeCostSolve solves the instances with a TravelTimeCost and
// checks every route's cost against the recomputation by hand; and that a
// pure travel-time objective does not see service: the same instance with
// every service time multiplied by ten (no time limits to break) gets the
// same routes at the same cost.
func TestTravelTimeCostSolve(t *testing.T) {
	t.Parallel()
	for _, k := range travelKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			in := randomInstance(k, 30, 23)
			sol := solveChecked(t, in, Options{Seed: 1, MaxIterations: 200, TimeLimit: time.Minute})
			var sum int64
			for _, r := range sol.Routes {
				if len(r.Stops) == 0 {
					continue
				}
				tl, err := RouteTimeline(in, r)
				if err != nil {
					t.Fatal(err)
				}
				if hand := handTravelCost(in, r, tl.Duration); hand != tl.Cost {
					t.Fatalf("route %v: validator %d, by hand %d", r, tl.Cost, hand)
				}
				sum += tl.Cost
			}
			if sum != sol.Cost {
				t.Fatalf("routes sum to %d, Solution.Cost %d", sum, sol.Cost)
			}
		})
	}
	t.Run("service not priced", func(t *testing.T) {
		t.Parallel()
		base := randomInstance(kind{name: "travel", pickups: true, travelCost: true}, 30, 29)
		long := randomInstance(kind{name: "travel", pickups: true, travelCost: true}, 30, 29)
		for i := range base.Stops {
			base.Stops[i].Service = 10
			long.Stops[i].Service = 100
		}
		opt := Options{Seed: 1, MaxIterations: 200, TimeLimit: time.Minute}
		a, b := solveChecked(t, base, opt), solveChecked(t, long, opt)
		if a.Cost != b.Cost {
			t.Fatalf("service ×10 changed the cost %d → %d: travel-time pricing must not see it", a.Cost, b.Cost)
		}
		priced := randomInstance(kind{name: "duration", pickups: true}, 30, 29)
		for i := range priced.Stops {
			priced.Stops[i].Service = 100
		}
		priced.VehicleTypes[0].TimeCost = 2 // the county's objective prices it
		if c := solveChecked(t, priced, opt); c.Cost <= b.Cost {
			t.Fatalf("TimeCost 2 with service costs %d, TravelTimeCost 2 costs %d: service should add", c.Cost, b.Cost)
		}
	})
}
