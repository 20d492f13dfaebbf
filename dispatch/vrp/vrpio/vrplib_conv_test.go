package vrpio

import (
	"github.com/tongpei/tongpei/dispatch/vrp"

	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lkhSPD is a VRPSPD instance in LKH-3's coordinate layout (the one LKH-3
// distributes Montané & Galvão's instances in): EXACT_2D with SCALE.
const lkhSPD = `NAME : tiny
TYPE : VRPSPD
DIMENSION : 4
CAPACITY : 10
EDGE_WEIGHT_TYPE : EXACT_2D
SCALE : 100
NODE_COORD_SECTION
1 0 0
2 3 4
3 1 1
4 0 2.5
PICKUP_AND_DELIVERY_SECTION
1 0 0 1000 0 0 0
2 0 0 1000 5 2 3
3 0 0 1000 0 4 1
4 0 0 1000 0 1 1
DEPOT_SECTION
1
-1
EOF
`

func TestReadLKHExact2D(t *testing.T) {
	f, err := ReadVRPLIB(strings.NewReader(lkhSPD))
	if err != nil {
		t.Fatal(err)
	}
	in := f.Instance
	if f.Dialect != DialectSPD || f.CostDivisor != 100 {
		t.Fatalf("dialect %d, divisor %d; want VRPSPD, SCALE 100", f.Dialect, f.CostDivisor)
	}
	// nint(100 × Euclidean): LKH-3's EXACT_2D.
	for _, c := range []struct {
		i, j int
		want int64
	}{{0, 1, 500}, {0, 2, 141}, {1, 2, 361}, {0, 3, 250}, {2, 3, 180}} {
		if got := in.Distance[c.i*in.N()+c.j]; got != c.want {
			t.Errorf("d(%d,%d) = %d, want %d", c.i+1, c.j+1, got, c.want)
		}
	}
	if s := in.Stops[0]; s.Pickup[0] != 2 || s.Delivery[0] != 3 || s.Service != 500 {
		t.Errorf("stop 2: pickup %d delivery %d service %d, want 2 3 500 (times × SCALE, as distances)", s.Pickup[0], s.Delivery[0], s.Service)
	}
	sol := &vrp.Solution{Routes: []vrp.Route{{Stops: []int{0, 1, 2}}}}
	cost, err := vrp.Evaluate(in, sol)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(500 + 361 + 180 + 250); cost != want {
		t.Errorf("cost %d, want %d", cost, want)
	}
	if got := f.FormatCost(cost); got != "12.91" {
		t.Errorf("FormatCost = %s, want 12.91 (file units: cost / SCALE)", got)
	}
	// Without SCALE, EXACT_2D is × 1000 (LKH-3's default).
	g, err := ReadVRPLIB(strings.NewReader(strings.Replace(lkhSPD, "SCALE : 100\n", "", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if d := g.Instance.Distance[2]; d != 1414 || g.CostDivisor != 1000 {
		t.Errorf("default scale: d(1,3) = %d, divisor %d; want 1414, 1000", d, g.CostDivisor)
	}
	bad := strings.Replace(lkhSPD, "SCALE : 100", "SCALE : 0", 1)
	if _, err := ReadVRPLIB(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "SCALE") {
		t.Errorf("SCALE 0: %v, want an error naming SCALE", err)
	}
}

// tinyTW is a VRPTW file whose rounding conventions disagree: d(1,2) =
// 1.46 (1 rounded, 1.4 truncated), d(1,3) = 2.129… (2 or 2.1), d(2,3) = 1.55
// (2 or 1.5).
const tinyTW = `NAME : tinytw
TYPE : VRPTW
DIMENSION : 3
VEHICLES : 2
CAPACITY : 10
SERVICE_TIME : 1
EDGE_WEIGHT_TYPE : EUC_2D
NODE_COORD_SECTION
1 0 0
2 1.46 0
3 1.46 1.55
DEMAND_SECTION
1 0
2 1
3 1
TIME_WINDOW_SECTION
1 0 100
2 0 5
3 0 3
DEPOT_SECTION
1
-1
EOF
`

func TestReadVRPTWDIMACS(t *testing.T) {
	near, err := ReadVRPLIB(strings.NewReader(tinyTW))
	if err != nil {
		t.Fatal(err)
	}
	f, err := ReadVRPLIBWith(strings.NewReader(tinyTW), ReadOptions{Rounding: RoundDIMACS})
	if err != nil {
		t.Fatal(err)
	}
	if f.Rounding != RoundDIMACS || f.CostDivisor != DIMACSScale {
		t.Fatalf("rounding %d, divisor %d; want DIMACS, %d", f.Rounding, f.CostDivisor, DIMACSScale)
	}
	in := f.Instance
	if d, dn := in.Distance[2], near.Instance.Distance[2]; d != 21 || dn != 2 {
		t.Errorf("d(1,3) = %d tenths (want 21), nearest %d (want 2)", d, dn)
	}
	if w := in.Stops[1].TimeWindows[0]; w.End != 30 || in.Stops[0].Service != 10 || in.DepotWindow.End != 1000 {
		t.Errorf("times not in tenths: window %v, service %d, depot %v", w, in.Stops[0].Service, in.DepotWindow)
	}
	// 1→3→2→1: at 3 at 2.1 (window ends at 3), leave at 3.1, at 2 at 4.6.
	sol := &vrp.Solution{Routes: []vrp.Route{{Stops: []int{1, 0}}}}
	cost, err := vrp.Evaluate(in, sol)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(21 + 15 + 14); cost != want || f.FormatCost(cost) != "5.0" {
		t.Errorf("cost %d (%s), want %d (5.0)", cost, f.FormatCost(cost), want)
	}
	// With 3's window closing at 2 the route is on time only under rounding
	// (2 ≤ 2), late under DIMACS (2.1 > 2): the convention decides
	// feasibility, not only the cost.
	tight := strings.Replace(tinyTW, "3 0 3\n", "3 0 2\n", 1)
	g, err := ReadVRPLIBWith(strings.NewReader(tight), ReadOptions{Rounding: RoundDIMACS})
	if err != nil {
		t.Fatal(err)
	}
	h, err := ReadVRPLIB(strings.NewReader(tight))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := vrp.Evaluate(g.Instance, sol); err == nil {
		t.Error("DIMACS: arriving at 2.1 in a window closing at 2 was accepted")
	}
	if _, err := vrp.Evaluate(h.Instance, sol); err != nil {
		t.Errorf("nearest rounding: %v", err)
	}
	if _, err := ReadVRPLIBWith(strings.NewReader(lkhSPD), ReadOptions{Rounding: RoundDIMACS}); err == nil {
		t.Error("DIMACS rounding of a VRPSPD file was accepted")
	}
}

// TestGehringHombergerDIMACS recomputes every published Gehring & Homberger
// solution of the set exactly under the DIMACS convention: the same cost to
// the tenth, every window met.
func TestGehringHombergerDIMACS(t *testing.T) {
	t.Parallel()
	for _, sol := range benchFiles(t, "vrptw-gh1000/*.sol") {
		t.Run(filepath.Base(sol), func(t *testing.T) {
			t.Parallel()
			fh, err := os.Open(strings.TrimSuffix(sol, ".sol") + ".vrp")
			if err != nil {
				t.Fatal(err)
			}
			f, err := ReadVRPLIBWith(fh, ReadOptions{Rounding: RoundDIMACS})
			fh.Close()
			if err != nil {
				t.Fatal(err)
			}
			sh, err := os.Open(sol)
			if err != nil {
				t.Fatal(err)
			}
			defer sh.Close()
			s, want, err := f.ReadSolution(sh)
			if err != nil {
				t.Fatal(err)
			}
			got, err := vrp.Evaluate(f.Instance, s)
			if err != nil {
				t.Fatalf("published solution rejected under DIMACS: %v", err)
			}
			if got != int64(math.Round(want*DIMACSScale)) {
				t.Errorf("recomputed %s, file says %v", f.FormatCost(got), want)
			}
		})
	}
}

func TestUnknownKeysAreErrors(t *testing.T) {
	cases := []struct{ name, before, insert string }{
		{"MAX_LOAD", "CAPACITY : 10\n", "MAX_LOAD : 3\n"},
		{"PRIZE_SECTION", "DEPOT_SECTION\n", "PRIZE_SECTION\n1 0\n2 1\n3 1\n"},
		{"CAPACITY_SECTION", "DEPOT_SECTION\n", "VEHICLES_FIXED_COST_SECTION\n1 10\n"},
		{"EDGE_WEIGHT_SECTION", "DEPOT_SECTION\n", "EDGE_WEIGHT_SECTION\n0 1 2\n"},
	}
	for _, c := range cases {
		text := strings.Replace(tinyTW, c.before, c.insert+c.before, 1)
		_, err := ReadVRPLIB(strings.NewReader(text))
		var ie *vrp.InputError
		if !errors.As(err, &ie) {
			t.Errorf("%s: got %v, want an InputError", c.name, err)
			continue
		}
		if field := strings.Fields(c.insert)[0]; !strings.Contains(err.Error(), field) || ie.Line == 0 {
			t.Errorf("%s: %v does not name %s with its line", c.name, err, field)
		}
	}
	text := strings.Replace(lkhSPD, "DEPOT_SECTION\n", "DEMAND_SECTION\n1 0\n2 1\n3 1\n4 1\nDEPOT_SECTION\n", 1)
	if _, err := ReadVRPLIB(strings.NewReader(text)); err == nil || !strings.Contains(err.Error(), "DEMAND_SECTION") {
		t.Errorf("VRPSPD with a DEMAND_SECTION: %v, want an error naming it", err)
	}
}
