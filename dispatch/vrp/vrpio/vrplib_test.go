package vrpio

import (
	"github.com/tongpei/tongpei/dispatch/vrp"

	"bufio"
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// benchDir is the benchmark set: $TONGPEI_BENCHMARKS, else the
// repository's own copy (testdata/benchmarks, so a clone tests the same
// files whatever lies beside it), else the nearest shared/benchmarks above
// the package. Tests that need it skip without it.
var benchDir = func() string {
	if d := os.Getenv("TONGPEI_BENCHMARKS"); d != "" {
		return d
	}
	dir, _ := filepath.Abs(".")
	for {
		for _, sub := range []string{"testdata/benchmarks", "shared/benchmarks"} {
			if _, err := os.Stat(filepath.Join(dir, sub)); err == nil {
				return filepath.Join(dir, sub)
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "shared/benchmarks"
		}
		dir = parent
	}
}()

func readInstanceFile(t *testing.T, path string) *VRPLIB {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	f, err := ReadVRPLIB(fh)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return f
}

func benchFiles(t *testing.T, pattern string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(benchDir, pattern))
	if len(files) == 0 {
		t.Skipf("no benchmark files %s under %s", pattern, benchDir)
	}
	return files
}

// TestBenchmarkSolutions proves the parsers and the validator together: every
// published solution is feasible and its recomputed cost is the file's.
func TestBenchmarkSolutions(t *testing.T) {
	t.Parallel()
	sols := append(benchFiles(t, "cvrp-x/*.sol"), benchFiles(t, "hfvrp/*.sol")...)
	for _, sol := range append(sols, benchFiles(t, "mtvrptwr/*.sol")...) {
		t.Run(filepath.Base(sol), func(t *testing.T) {
			t.Parallel()
			f := readInstanceFile(t, strings.TrimSuffix(sol, ".sol")+".vrp")
			fh, err := os.Open(sol)
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			s, want, err := f.ReadSolution(fh)
			if err != nil {
				t.Fatal(err)
			}
			got, err := vrp.Evaluate(f.Instance, s)
			if err != nil {
				t.Fatalf("published solution rejected: %v", err)
			}
			tol := 0.0
			if f.Dialect == DialectHF {
				tol = 0.01 // legs rounded to 1/HFDistanceScale; the .sol files written in model units match exactly
			}
			if g := float64(got) / float64(f.CostDivisor); math.Abs(g-want) > tol+1e-9 {
				t.Errorf("recomputed cost %s, file says %v", f.FormatCost(got), want)
			}
		})
	}
}

// TestEveryBenchmarkInstanceParses reads every instance file of the set.
func TestEveryBenchmarkInstanceParses(t *testing.T) {
	t.Parallel()
	files := append(benchFiles(t, "*/*.vrp"), benchFiles(t, "*/*.vrpspd")...)
	// cvrp-x, hfvrp, vrpspd-dethloff, mtvrptwr, vrptw-gh1000
	if want := 41 + 10 + 40 + 19 + 12; len(files) != want {
		t.Errorf("%d instance files, want %d", len(files), want)
	}
	for _, path := range files {
		f := readInstanceFile(t, path)
		if err := vrp.Validate(f.Instance, &vrp.Solution{Unassigned: allUnassigned(f.Instance)}); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
}

func allUnassigned(in *vrp.Instance) []vrp.Unassigned {
	u := make([]vrp.Unassigned, len(in.Stops))
	for i := range u {
		u[i].Stop = i
	}
	return u
}

// TestDethloffInstances reads every VRPSPD file and checks a trivial
// one-stop-per-route solution where the fleet allows it.
func TestDethloffInstances(t *testing.T) {
	t.Parallel()
	for _, path := range benchFiles(t, "vrpspd-dethloff/*.vrpspd") {
		f := readInstanceFile(t, path)
		in := f.Instance
		if f.Dialect != DialectSPD || len(in.Stops) != 50 || in.VehicleTypes[0].Count < 1 {
			t.Fatalf("%s: dialect %d, %d stops, %d vehicles", path, f.Dialect, len(in.Stops), in.VehicleTypes[0].Count)
		}
		var pick, del int64
		for _, s := range in.Stops {
			pick += s.Pickup[0]
			del += s.Delivery[0]
			if len(s.TimeWindows) != 0 {
				t.Fatalf("%s: redundant time window kept", path)
			}
		}
		if pick == 0 || del == 0 {
			t.Fatalf("%s: pickups %d, deliveries %d", path, pick, del)
		}
	}
	// Column order: pickup before delivery (node 2 of CON3-0).
	f := readInstanceFile(t, filepath.Join(benchDir, "vrpspd-dethloff/CON3-0.vrpspd"))
	if s := f.Instance.Stops[0]; s.Pickup[0] != 1015547 || s.Delivery[0] != 109447 {
		t.Errorf("node 2: pickup %d delivery %d", s.Pickup[0], s.Delivery[0])
	}
	if f.Instance.Dist(0, 1) != 174413 || f.Instance.Dist(1, 0) != 174413 {
		t.Errorf("matrix: %d", f.Instance.Dist(0, 1))
	}
}

func TestBKSTable(t *testing.T) {
	t.Parallel()
	fh, err := os.Open(filepath.Join(benchDir, "vrpspd-dethloff/BKS.tsv"))
	if err != nil {
		t.Skip(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if f[0] == "instance" {
			continue
		}
		if _, err := strconv.ParseFloat(f[2], 64); err != nil || len(f) != 3 {
			t.Errorf("BKS.tsv row %q", sc.Text())
		}
	}
}

const tinyCVRP = `NAME : tiny
TYPE : CVRP
DIMENSION : 4
EDGE_WEIGHT_TYPE : EUC_2D
CAPACITY : 10
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
DEPOT_SECTION
1
-1
EOF
`

func TestRoundTripCVRP(t *testing.T) {
	t.Parallel()
	f, err := ReadVRPLIB(strings.NewReader("\ufeff" + strings.ReplaceAll(tinyCVRP, "\n", "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	in := f.Instance
	if in.Name != "tiny" || in.Dist(0, 2) != 10 || in.Dist(1, 3) != 3 {
		t.Fatalf("distances %v", in.Distance)
	}
	s := &vrp.Solution{Routes: []vrp.Route{{Stops: []int{0, 1}}, {Stops: []int{2}}}}
	if s.Cost, err = vrp.Evaluate(in, s); err != nil || s.Cost != 30 {
		t.Fatalf("cost %d, %v", s.Cost, err)
	}
	var buf bytes.Buffer
	if err := f.WriteSolution(&buf, s); err != nil {
		t.Fatal(err)
	}
	if want := "Route #1: 1 2\nRoute #2: 3\nCost 30\n"; buf.String() != want {
		t.Fatalf("wrote %q, want %q", buf.String(), want)
	}
	back, cost, err := f.ReadSolution(&buf)
	if err != nil || cost != 30 || back.Cost != 30 || len(back.Routes) != 2 || back.Routes[0].Stops[1] != 1 {
		t.Fatalf("read back %+v %v %v", back, cost, err)
	}
	over := &vrp.Solution{Routes: []vrp.Route{{Stops: []int{0, 1, 2}}}}
	if err := vrp.Validate(in, over); err == nil || !strings.Contains(err.Error(), "exceeds capacity") {
		t.Errorf("overload accepted: %v", err)
	}
}

func TestRoundTripHF(t *testing.T) {
	t.Parallel()
	path := filepath.Join(benchDir, "hfvrp/X115-HVRP")
	if _, err := os.Stat(path + ".vrp"); err != nil {
		t.Skip(err)
	}
	f := readInstanceFile(t, path+".vrp")
	if len(f.Instance.VehicleTypes) != 3 || f.Instance.VehicleTypes[0].Count != 11 {
		t.Fatalf("types %+v", f.Instance.VehicleTypes)
	}
	raw, _ := os.ReadFile(path + ".sol")
	s, _, err := f.ReadSolution(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if s.Cost, err = vrp.Evaluate(f.Instance, s); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.WriteSolution(&buf, s); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Fields(buf.String()), strings.Fields(string(raw)); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("round trip differs:\n%s\nwant\n%s", buf.String(), raw)
	}
}

func TestReadVRPLIBErrors(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ edit, want string }{
		"no dimension": {"DIMENSION : 4\n", "DIMENSION: the key is missing"},
		"bad coord":    {"2 3 4\n", "line 8: NODE_COORD_SECTION: node 2: coordinate"},
		"short demand": {"4 5\nDEPOT", "DEPOT"},
		"depot 2":      {"1\n-1", "2\n-1"},
		"bad type":     {"TYPE : CVRP", "TYPE : TSP"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var text string
			switch name {
			case "no dimension":
				text = strings.Replace(tinyCVRP, c.edit, "", 1)
			case "bad coord":
				text = strings.Replace(tinyCVRP, c.edit, "2 x 4\n", 1)
			default:
				text = strings.Replace(tinyCVRP, c.edit, c.want, 1)
			}
			_, err := ReadVRPLIB(strings.NewReader(text))
			var ie *vrp.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("want *InputError, got %v", err)
			}
			if name == "no dimension" || name == "bad coord" {
				if !strings.Contains(err.Error(), c.want) {
					t.Errorf("error %q does not contain %q", err, c.want)
				}
			}
		})
	}
}

func TestExplicitFormats(t *testing.T) {
	t.Parallel()
	full := [][]int64{{0, 1, 2}, {1, 0, 3}, {2, 3, 0}}
	formats := map[string]string{
		"FULL_MATRIX":    "0 1 2\n1 0 3\n2 3 0",
		"LOWER_ROW":      "1\n2 3",
		"UPPER_ROW":      "1 2\n3",
		"LOWER_DIAG_ROW": "0\n1 0\n2 3 0",
		"UPPER_DIAG_ROW": "0 1 2\n0 3\n0",
	}
	for format, body := range formats {
		text := "NAME : m\nTYPE : CVRP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EXPLICIT\nEDGE_WEIGHT_FORMAT : " + format +
			"\nCAPACITY : 5\nEDGE_WEIGHT_SECTION\n" + body + "\nDEMAND_SECTION\n1 0\n2 1\n3 1\nDEPOT_SECTION\n1\n-1\nEOF\n"
		f, err := ReadVRPLIB(strings.NewReader(text))
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		for i := range 3 {
			for j := range 3 {
				if f.Instance.Dist(i, j) != full[i][j] {
					t.Fatalf("%s: d(%d,%d) = %d", format, i, j, f.Instance.Dist(i, j))
				}
			}
		}
	}
}

func TestDistanceLimit(t *testing.T) {
	t.Parallel()
	text := strings.Replace(tinyCVRP, "CAPACITY : 10\n", "CAPACITY : 10\nDISTANCE : 25\nVEHICLES : 3\n", 1)
	f, err := ReadVRPLIB(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if vt := f.Instance.VehicleTypes[0]; vt.MaxDistance != 25 || vt.MaxDuration != 0 || vt.Count != 3 {
		t.Fatalf("vehicle type %+v", vt)
	}
	// With service times, DISTANCE bounds travel plus service.
	f, err = ReadVRPLIB(strings.NewReader(strings.Replace(text, "DISTANCE : 25\n", "DISTANCE : 25\nSERVICE_TIME : 2\n", 1)))
	if err != nil {
		t.Fatal(err)
	}
	in := f.Instance
	if vt := in.VehicleTypes[0]; vt.MaxDistance != 0 || vt.MaxDuration != 25 || in.Stops[0].Service != 2 {
		t.Fatalf("vehicle type %+v", vt)
	}
	// Customers 1, 2, 3 are 5, 10, 5 from the depot; 2 → 3 is 7.
	ok := &vrp.Solution{Routes: []vrp.Route{{Stops: []int{0}}, {Stops: []int{1}}, {Stops: []int{2}}}}
	if err := vrp.Validate(in, ok); err != nil {
		t.Errorf("feasible solution rejected: %v", err)
	}
	if err := vrp.Validate(in, &vrp.Solution{Routes: []vrp.Route{{Stops: []int{0, 1}}, {Stops: []int{2}}}}); err != nil {
		t.Errorf("route of 20 + 2×2 rejected: %v", err)
	}
	long := &vrp.Solution{Routes: []vrp.Route{{Stops: []int{0}}, {Stops: []int{1, 2}}}}
	if err := vrp.Validate(in, long); err == nil || !strings.Contains(err.Error(), "longer than") {
		t.Errorf("route of 22 + 2×2 accepted: %v", err)
	}
}
