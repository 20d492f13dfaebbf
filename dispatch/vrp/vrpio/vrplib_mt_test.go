package vrpio

import (
	"github.com/tongpei/tongpei/dispatch/vrp"

	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tinyMT: depot at (0,0); clients 1 (3,4), 2 (6,8), 3 (0,5); one van of
// capacity 10 that may reload; client 3's goods arrive at time 20.
const tinyMT = `NAME: tinyMT
TYPE: MTVRPTWR
EDGE_WEIGHT_TYPE: EUC_2D
DIMENSION: 4
VEHICLES: 1
CAPACITY: 10
SERVICE_TIME: 0
NODE_COORD_SECTION
1 0 0
2 3 4
3 6 8
4 0 5
DEMAND_SECTION
1 0
2 4
3 4
4 5
TIME_WINDOW_SECTION
1 0 35
2 0 35
3 0 35
4 0 35
RELEASE_TIME_SECTION
1 0
2 0
3 0
4 20
VEHICLES_RELOAD_DEPOT_SECTION
1 1
DEPOT_SECTION
1
EOF
`

func TestReadMTVRPTWR(t *testing.T) {
	t.Parallel()
	f, err := ReadVRPLIB(strings.NewReader(tinyMT))
	if err != nil {
		t.Fatal(err)
	}
	in := f.Instance
	vt := in.VehicleTypes[0]
	if f.Dialect != DialectMT || vt.MaxTrips != vrp.Unlimited || vt.Count != 1 || vt.Capacity[0] != 10 {
		t.Fatalf("dialect %d, vehicle type %+v", f.Dialect, vt)
	}
	// Distances and times in tenths: 5 → 50, window 35 → 350, release 20 → 200.
	if in.Dist(0, 1) != 50 || in.Dist(1, 2) != 50 || in.DepotWindow.End != 350 || in.Stops[2].Release != 200 {
		t.Fatalf("d(0,1) %d d(1,2) %d depot %v release %d", in.Dist(0, 1), in.Dist(1, 2), in.DepotWindow, in.Stops[2].Release)
	}
	// Two trips: 0 1 2 0 (back at 200), then 3 may leave at its release 200.
	two := &vrp.Solution{Routes: []vrp.Route{{Stops: []int{0, 1, 2}, Reloads: []int{2}}}}
	cost, err := vrp.Evaluate(in, two)
	if err != nil || cost != 300 {
		t.Fatalf("two trips: cost %d, %v", cost, err)
	}
	tl, _ := vrp.RouteTimeline(in, two.Routes[0])
	if len(tl.Trips) != 2 || tl.Trips[1].Departure != 200 || tl.Return != 300 || tl.Trips[1].StartLoad[0] != 5 {
		t.Fatalf("timeline %+v", tl.Trips)
	}
	var buf bytes.Buffer
	two.Cost = cost
	if err := f.WriteSolution(&buf, two); err != nil || buf.String() != "Route #1: 1 2 0 3\nCost 300\n" {
		t.Fatalf("wrote %q, %v", buf.String(), err)
	}
	back, _, err := f.ReadSolution(strings.NewReader("Route #1: 0 1 2 0 0 3 0\nCost: 300\n"))
	if err != nil || len(back.Routes) != 1 || len(back.Routes[0].Reloads) != 1 || back.Routes[0].Reloads[0] != 2 {
		t.Fatalf("read back %+v, %v", back, err)
	}

	// Capacity holds per trip: one trip of 13 is too much.
	if err := vrp.Validate(in, &vrp.Solution{Routes: []vrp.Route{{Stops: []int{0, 1, 2}}}}); err == nil || !strings.Contains(err.Error(), "exceeds capacity") {
		t.Errorf("overloaded trip accepted: %v", err)
	}
	// Release times: client 3 first cannot leave before 200, and then the
	// rest returns at 200+100+200 = 500, after the depot closes at 350.
	first := &vrp.Solution{Routes: []vrp.Route{{Stops: []int{2, 0, 1}, Reloads: []int{1}}}}
	if err := vrp.Validate(in, first); err == nil || !strings.Contains(err.Error(), "after the shift") {
		t.Errorf("release ignored: %v", err)
	}
	late := *in
	late.Stops = append([]vrp.Stop(nil), in.Stops...)
	late.Stops[2].Release = 260 // leaves at 260, back at 360 > 350
	if err := vrp.Validate(&late, two); err == nil {
		t.Error("a trip leaving before its goods arrive was accepted")
	}
	// Reloads must sit between stops, and only multi-trip vans reload.
	for _, reloads := range [][]int{{0}, {3}, {2, 2}} {
		if err := vrp.Validate(in, &vrp.Solution{Routes: []vrp.Route{{Stops: []int{0, 1, 2}, Reloads: reloads}}}); err == nil {
			t.Errorf("reloads %v accepted", reloads)
		}
	}
	single := late
	single.VehicleTypes = []vrp.VehicleType{vt}
	single.VehicleTypes[0].MaxTrips = 2
	if err := vrp.Validate(&single, &vrp.Solution{Routes: []vrp.Route{{Stops: []int{0, 1, 2}, Reloads: []int{1, 2}}}}); err == nil || !strings.Contains(err.Error(), "may drive 2") {
		t.Errorf("three trips on a two-trip van: %v", err)
	}
}

func TestReloadTimeAndMaxTrips(t *testing.T) {
	t.Parallel()
	f, err := ReadVRPLIB(strings.NewReader(strings.Replace(tinyMT, "4 20\n", "4 0\n", 1)))
	if err != nil {
		t.Fatal(err)
	}
	in := f.Instance
	in.VehicleTypes[0].ReloadTime = 40
	tl, err := vrp.RouteTimeline(in, vrp.Route{Stops: []int{0, 1, 2}, Reloads: []int{2}})
	if err != nil {
		t.Fatal(err)
	}
	// 200 for the first trip, 40 reloading, 100 for the second.
	if tl.Return-tl.Departure != 340 || tl.Reload != 40 || tl.Trips[1].Departure-tl.Trips[0].Return != 40 {
		t.Fatalf("timeline %+v", tl)
	}
	in.VehicleTypes[0].MaxTrips = 0
	if _, err := vrp.RouteTimeline(in, vrp.Route{Stops: []int{0, 1, 2}, Reloads: []int{2}}); err == nil {
		t.Error("a single-trip van reloaded")
	}
}

func TestReadMTVRPTWRErrors(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ from, to, want string }{
		"depot release": {"1 0\n2 0\n3 0\n4 20", "1 5\n2 0\n3 0\n4 20", "release time must be 0"},
		"other depot":   {"VEHICLES_RELOAD_DEPOT_SECTION\n1 1", "VEHICLES_RELOAD_DEPOT_SECTION\n1 2", "depot \"2\" is not supported"},
		"no vehicle":    {"VEHICLES_RELOAD_DEPOT_SECTION\n1 1", "VEHICLES_RELOAD_DEPOT_SECTION\n2 1", "vehicle \"2\" is not in 1..1"},
		"some reload":   {"VEHICLES: 1", "VEHICLES: 2", "only some vehicles"},
		"explicit":      {"EUC_2D", "EXPLICIT", "MTVRPTWR needs EUC_2D"},
	}
	for name, c := range cases {
		_, err := ReadVRPLIB(strings.NewReader(strings.Replace(tinyMT, c.from, c.to, 1)))
		var ie *vrp.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an InputError with %q", name, err, c.want)
		}
	}
}

// TestSolvePlansReloads: one van of capacity 10 cannot carry 13 in one
// trip, and client 3's goods arrive at 200: Solve drives two trips, the one
// with client 3 leaving at its release or later. With capacity 20 and no
// release one trip is cheaper (217 against 300), and no reload is used.
func TestSolvePlansReloads(t *testing.T) {
	t.Parallel()
	f, err := ReadVRPLIB(strings.NewReader(tinyMT))
	if err != nil {
		t.Fatal(err)
	}
	in := f.Instance
	sol := solveChecked(t, in, vrp.Options{Seed: 1, MaxIterations: 50})
	if len(sol.Unassigned) != 0 || len(sol.Routes) != 1 || len(sol.Routes[0].Reloads) != 1 || sol.Cost != 300 {
		t.Fatalf("solution %+v", sol)
	}
	tl, _ := vrp.RouteTimeline(in, sol.Routes[0])
	for _, trip := range tl.Trips {
		for _, st := range sol.Routes[0].Stops[trip.First:trip.End] {
			if trip.Departure < in.Stops[st].Release {
				t.Errorf("stop %d leaves at %d before its release %d", st, trip.Departure, in.Stops[st].Release)
			}
		}
	}
	f, err = ReadVRPLIB(strings.NewReader(strings.NewReplacer("4 20\n", "4 0\n", "CAPACITY: 10", "CAPACITY: 20").Replace(tinyMT)))
	if err != nil {
		t.Fatal(err)
	}
	sol = solveChecked(t, f.Instance, vrp.Options{Seed: 1, MaxIterations: 50})
	if len(sol.Routes) != 1 || len(sol.Routes[0].Reloads) != 0 || sol.Cost != 217 {
		t.Fatalf("a reload that does not pay: %+v", sol)
	}
}

// TestMTVRPTWRBenchmark (node 9 of C201R0.5 is released at 1365, i.e.
// 13650 tenths): the published optima use reloads and release times
// that bind, so the checks above are exercised on real data too.
func TestMTVRPTWRBenchmark(t *testing.T) {
	t.Parallel()
	path := filepath.Join(benchDir, "mtvrptwr/C201R0.5")
	raw, err := os.ReadFile(path + ".sol")
	if err != nil {
		t.Skip(err)
	}
	f := readInstanceFile(t, path+".vrp")
	in := f.Instance
	if in.Stops[7].Release != 13650 || in.Stops[0].Service != 900 || in.VehicleTypes[0].Count != 8 {
		t.Fatalf("stop 1 %+v, fleet %+v", in.Stops[0], in.VehicleTypes)
	}
	s, _, err := f.ReadSolution(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	reloads, binding := 0, 0
	for _, r := range s.Routes {
		tl, err := vrp.RouteTimeline(in, r)
		if err != nil {
			t.Fatal(err)
		}
		reloads += len(r.Reloads)
		for _, trip := range tl.Trips {
			if trip.Departure == trip.Release && trip.Release > 0 {
				binding++
			}
		}
	}
	if reloads < 8 || binding == 0 {
		t.Errorf("%d reloads, %d trips leaving at their release time", reloads, binding)
	}
	// Dropping the reloads overloads a trip.
	s.Routes[1].Reloads = nil
	if err := vrp.Validate(in, s); err == nil {
		t.Error("a van's whole day as one trip was accepted")
	}
}

// solveChecked runs vrp.Solve and checks the solution with the independent
// validator: every stop once, every route feasible, Cost exact.
func solveChecked(t *testing.T, in *vrp.Instance, opt vrp.Options) *vrp.Solution {
	t.Helper()
	sol, err := vrp.Solve(t.Context(), in, opt)
	if err != nil {
		t.Fatalf("%s: Solve: %v", in.Name, err)
	}
	cost, err := vrp.Evaluate(in, sol)
	if err != nil || cost != sol.Cost {
		t.Fatalf("%s: invalid solution (cost %d, validator %d): %v", in.Name, sol.Cost, cost, err)
	}
	return sol
}
