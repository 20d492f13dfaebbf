package vrp

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestLimitsSegmentsAgainstTimeline: with max stops, max travel time and
// setups, a route's segment is feasible exactly when the validator's
// schedule is, when setups never repeat at a site (the search charges
// every setup; see vroomfields.go), and lies only on the safe side when
// they do.
func TestLimitsSegmentsAgainstTimeline(t *testing.T) {
	t.Parallel()
	in := randomInstance(kind{name: "limits", windows: true}, 15, 9)
	in.VehicleTypes[0].MaxStops = 4
	in.VehicleTypes[0].MaxTravelTime = 2500
	for i := range in.Stops {
		in.Stops[i].Setup = 40
		in.Stops[i].Site = 1 + i%10 // stops i and i+10 share a place
	}
	p := newParams(in, defaultConfig())
	rng := rand.New(rand.NewPCG(3, 3))
	var ok, bad, stops, travel int
	for range 2000 {
		perm := rng.Perm(len(in.Stops))[:1+rng.IntN(6)]
		route := Route{Stops: perm}
		var nodes []int
		repeat := false
		for k, s := range perm {
			nodes = append(nodes, s+1)
			if k > 0 && in.Stops[perm[k-1]].Site == in.Stops[s].Site {
				repeat = true
			}
		}
		seg := p.routeSegment(nodes, 0)
		ev := p.evaluate(&seg, 0)
		_, err := RouteTimeline(in, route)
		switch {
		case err == nil && ev.feasible():
			ok++
		case err != nil && !ev.feasible():
			bad++
			if strings.Contains(err.Error(), "max of 4") {
				stops++
			}
			if strings.Contains(err.Error(), "max travel time") {
				travel++
			}
		case err == nil && repeat:
			// the search's pessimistic setup: allowed
		default:
			t.Fatalf("route %v: validator %v, segment feasible %v (%+v)", perm, err, ev.feasible(), ev)
		}
	}
	if ok == 0 || stops == 0 || travel == 0 {
		t.Fatalf("%d feasible, %d infeasible (%d on stops, %d on travel): not exercised", ok, bad, stops, travel)
	}
}

// TestSetupOncePerPlace: a second stop at the same site spends no setup.
func TestSetupOncePerPlace(t *testing.T) {
	t.Parallel()
	in := pdLine(3)
	for i := range in.Stops {
		in.Stops[i].Setup, in.Stops[i].Service = 7, 5
	}
	in.Stops[1].Site, in.Stops[2].Site = 4, 4
	tl, err := RouteTimeline(in, Route{Stops: []int{0, 1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	if tl.Steps[0].Setup != 7 || tl.Steps[1].Setup != 7 || tl.Steps[2].Setup != 0 || tl.Setup != 14 {
		t.Fatalf("setups %d %d %d (total %d), want 7 7 0 (14)", tl.Steps[0].Setup, tl.Steps[1].Setup, tl.Steps[2].Setup, tl.Setup)
	}
	// 10 + 7+5 + 10 + 7+5 + 10 + 0+5 + 30 back
	if tl.Duration != 89 {
		t.Fatalf("duration %d, want 89", tl.Duration)
	}
}

// TestSolveLimits solves with max stops and max travel time; the validator
// checks both.
func TestSolveLimits(t *testing.T) {
	t.Parallel()
	in := randomInstance(kind{name: "limits", windows: true}, 30, 4)
	in.VehicleTypes[0].MaxStops = 4
	in.VehicleTypes[0].MaxTravelTime = 3000
	sol := solveChecked(t, in, Options{Seed: 1, MaxIterations: 100})
	for _, r := range sol.Routes {
		if len(r.Stops) > 4 {
			t.Fatalf("route of %d stops", len(r.Stops))
		}
	}
}

// TestPriorityDecidesWhoIsLeftOut: one van that can carry two of three
// stops keeps the two with the higher priorities.
func TestPriorityDecidesWhoIsLeftOut(t *testing.T) {
	t.Parallel()
	for low := range 3 {
		in := pdLine(3)
		in.VehicleTypes[0].Count, in.VehicleTypes[0].MaxStops = 1, 2
		for i := range in.Stops {
			in.Stops[i].Priority = 50
		}
		in.Stops[low].Priority = 10
		sol := solveChecked(t, in, Options{Seed: 1, MaxIterations: 30})
		if len(sol.Unassigned) != 1 || sol.Unassigned[0].Stop != low {
			t.Errorf("low priority stop %d: unassigned %+v", low, sol.Unassigned)
		}
	}
}
