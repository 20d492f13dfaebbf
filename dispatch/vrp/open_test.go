package vrp

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

// walkDistance is a route's distance recomputed from the model alone: from
// the vehicle's start over its stops to its end, an absent end adding
// nothing.
func walkDistance(in *Instance, r Route) int64 {
	vt := &in.VehicleTypes[r.VehicleType]
	var d int64
	prev := vt.Start
	for _, s := range r.Stops {
		if prev != NoPlace {
			d += in.Distance[prev*in.N()+s+1]
		}
		prev = s + 1
	}
	if vt.End != NoPlace {
		d += in.Distance[prev*in.N()+vt.End]
	}
	return d
}

// TestOpenSegmentsMatchExactEvaluation: on open and asymmetric routes the
// segment evaluation agrees with the exact schedule, and the distance with
// a walk from the vehicle's start to its end.
func TestOpenSegmentsMatchExactEvaluation(t *testing.T) {
	t.Parallel()
	for _, k := range openKinds {
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
			if want := walkDistance(in, Route{VehicleType: tp, Stops: stops}); seg.dist != want {
				t.Fatalf("%s: route %v on type %d: segment distance %d, walk %d", k.name, stops, tp, seg.dist, want)
			}
			e := p.evaluate(&seg, tp)
			cost, ok := exactRoute(in, stops, tp)
			if ok != e.feasible() {
				t.Fatalf("%s: route %v on type %d: exact feasible %v, segments %+v", k.name, stops, tp, ok, e)
			}
			if !ok {
				continue
			}
			if int64(e.objective) != cost {
				t.Fatalf("%s: route %v: exact cost %d, segments %.1f", k.name, stops, cost, e.objective)
			}
			tl, err := RouteTimeline(in, Route{VehicleType: tp, Stops: stops})
			if err != nil {
				t.Fatalf("%s: route %v: the validator refuses it: %v", k.name, stops, err)
			}
			if tl.Cost != cost || tl.Distance != seg.dist {
				t.Fatalf("%s: route %v: validator cost %d distance %d, exact %d, segments %d", k.name, stops, tl.Cost, tl.Distance, cost, seg.dist)
			}
		}
	}
}

// TestSolveOpenRoutes solves the open kinds; the validator checks the
// result and each route's distance is the walk from its own start to its
// own end.
func TestSolveOpenRoutes(t *testing.T) {
	t.Parallel()
	for _, k := range openKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			in := randomInstance(k, 50, 9)
			sol := solveChecked(t, in, Options{TimeLimit: 700 * time.Millisecond, Seed: 1})
			if len(sol.Unassigned) > 0 && !k.fleet {
				t.Errorf("%d stops unassigned: %+v", len(sol.Unassigned), sol.Unassigned[0])
			}
			for _, r := range sol.Routes {
				tl, err := RouteTimeline(in, r)
				if err != nil {
					t.Fatal(err)
				}
				if w := walkDistance(in, r); tl.Distance != w {
					t.Errorf("route %v: timeline distance %d, walk %d", r.Stops, tl.Distance, w)
				}
			}
		})
	}
}

// TestOpenEndSavesTheReturn: on the line depot, 1, 2 a route without an end
// stops at its last stop, so it costs the way out only, and one that
// starts at stop 2's place serves 2 then 1 for the distance 2 → 1.
func TestOpenEndSavesTheReturn(t *testing.T) {
	t.Parallel()
	in := hgsLineInstance(2)
	in.VehicleTypes[0].End = NoPlace
	sol := solveChecked(t, in, Options{TimeLimit: 200 * time.Millisecond, Seed: 1})
	closed := hgsLineInstance(2)
	want := closed.Dist(0, 1) + closed.Dist(1, 2)
	if sol.Cost != want*in.VehicleTypes[0].DistanceCost+in.VehicleTypes[0].FixedCost {
		t.Errorf("open route costs %d, want the way out %d (+ fixed %d)", sol.Cost, want, in.VehicleTypes[0].FixedCost)
	}
	in.VehicleTypes[0].Start, in.VehicleTypes[0].End = 2, 0 // from stop 2's place back to the depot
	sol = solveChecked(t, in, Options{TimeLimit: 200 * time.Millisecond, Seed: 1})
	if r := sol.Routes[0].Stops; len(r) != 2 || r[0] != 1 {
		t.Errorf("route %v, want stop 2 first (it starts there)", r)
	}
}

// TestOpenEndsRefusedWithReloads: reloads need closed routes, and ends must
// be matrix nodes.
func TestOpenEndsRefusedWithReloads(t *testing.T) {
	t.Parallel()
	in := randomInstance(testKinds[6], 20, 3)
	in.VehicleTypes[0].End = NoPlace
	var ie *InputError
	if _, err := Solve(t.Context(), in, Options{TimeLimit: 100 * time.Millisecond}); !errors.As(err, &ie) {
		t.Errorf("multi-trip open route: error %v, want an InputError", err)
	}
	in = randomInstance(testKinds[0], 20, 3)
	in.VehicleTypes[0].Start = in.N()
	if _, err := Solve(t.Context(), in, Options{TimeLimit: 100 * time.Millisecond}); !errors.As(err, &ie) {
		t.Errorf("start outside the matrix: error %v, want an InputError", err)
	}
}
