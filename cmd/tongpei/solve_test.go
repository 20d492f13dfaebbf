package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongpei/tongpei/dispatch/vrp"
	"github.com/tongpei/tongpei/dispatch/vrp/vrpio"
)

const tinyVRP = `NAME : tiny
TYPE : CVRP
DIMENSION : 4
EDGE_WEIGHT_TYPE : EUC_2D
CAPACITY : 100
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

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSolveVRPLIB(t *testing.T) {
	t.Parallel()
	path := writeFile(t, t.TempDir(), "tiny.vrp", tinyVRP)
	var out, errw bytes.Buffer
	fl := solveFlags{timeLimit: 300 * time.Millisecond, seed: 1, threads: 1}
	if err := runSolve(context.Background(), path, fl, &out, &errw); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(lines[0], "Route #1: ") || !strings.HasPrefix(last, "Cost ") {
		t.Fatalf("output %q", out.String())
	}
	// The printed solution must be a valid solution of the file.
	f, err := vrpio.ReadVRPLIB(strings.NewReader(tinyVRP))
	if err != nil {
		t.Fatal(err)
	}
	sol, cost, err := f.ReadSolution(strings.NewReader(out.String()))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := vrp.Evaluate(f.Instance, sol); err != nil || float64(got) != cost {
		t.Errorf("printed cost %v, recomputed %d, %v", cost, got, err)
	}
	if errw.Len() != 0 {
		t.Errorf("stderr is not a terminal, yet got %q", errw.String())
	}
}

func TestSolveJSON(t *testing.T) {
	t.Parallel()
	body := `{"vehicles":[{"id":1,"start":[110,30],"end":[110,30],"capacity":[9]},{"id":2,"start":[110,30],"end":[110,30],"capacity":[9]}],
	  "jobs":[{"id":3,"location":[110.01,30.02],"delivery":[2]},{"id":4,"location":[110.03,30],"pickup":[1]}]}`
	path := writeFile(t, t.TempDir(), "p.txt", body) // detected by content
	var out, errw bytes.Buffer
	fl := solveFlags{timeLimit: 300 * time.Millisecond, seed: 1, threads: 1}
	if err := runSolve(context.Background(), path, fl, &out, &errw); err != nil {
		t.Fatal(err)
	}
	var res vrpio.VROOMOutput
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || res.Code != 0 || len(res.Routes) == 0 {
		t.Fatalf("output %s, %v", out.String(), err)
	}
	out.Reset()
	fl.format = "vrplib"
	if err := runSolve(context.Background(), path, fl, &out, &errw); err != nil {
		t.Fatal(err)
	}
	if text := out.String(); !strings.HasPrefix(text, "Route #1: ") || !strings.Contains(text, "\nCost ") {
		t.Errorf("--format vrplib: %q", text)
	}
	bad := writeFile(t, t.TempDir(), "bad.json", `{"jobs":[]}`)
	if err := runSolve(context.Background(), bad, fl, &out, &errw); err == nil || !strings.Contains(err.Error(), "jobs") {
		t.Errorf("bad problem: %v", err)
	}
}

func TestSolveErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fl := solveFlags{timeLimit: time.Second, seed: 1, threads: 1}
	var out bytes.Buffer
	if err := runSolve(context.Background(), filepath.Join(dir, "missing.vrp"), fl, &out, &out); err == nil {
		t.Error("missing file accepted")
	}
	bad := writeFile(t, dir, "bad.vrp", strings.Replace(tinyVRP, "2 3 4", "2 x 4", 1))
	err := runSolve(context.Background(), bad, fl, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "line 8") {
		t.Errorf("bad file: %v", err)
	}
	fl.timeLimit = -time.Second
	if err := runSolve(context.Background(), bad, fl, &out, &out); err == nil || !strings.Contains(err.Error(), "--time-limit") {
		t.Errorf("negative time limit: %v", err)
	}
	fl.timeLimit, fl.rounding = time.Second, "even"
	if err := runSolve(context.Background(), bad, fl, &out, &out); err == nil || !strings.Contains(err.Error(), "--rounding") {
		t.Errorf("--rounding even: %v", err)
	}
}

// TestSolveUntilConverged: without --time-limit a small file answers at
// once instead of after 10 s.
func TestSolveUntilConverged(t *testing.T) {
	t.Parallel()
	path := writeFile(t, t.TempDir(), "tiny.vrp", tinyVRP)
	var out, errw bytes.Buffer
	begin := time.Now()
	if err := runSolve(context.Background(), path, solveFlags{seed: 1, threads: 1}, &out, &errw); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(begin); took > 2*time.Second {
		t.Errorf("3 stops without a time limit took %v", took)
	}
}

// TestSetRounding: the DIMACS convention is read from the set's README
// section or from a .sol printing a one-decimal cost.
func TestSetRounding(t *testing.T) {
	t.Parallel()
	repo := filepath.Join("..", "..", "testdata", "benchmarks")
	for sub, want := range map[string]vrpio.Rounding{"vrptw-gh1000": vrpio.RoundDIMACS, "cvrp-x": vrpio.RoundFile, "hfvrp": vrpio.RoundFile} {
		if _, err := os.Stat(filepath.Join(repo, sub)); err != nil {
			t.Skipf("no %s", sub)
		}
		if got, why := setRounding(filepath.Join(repo, sub)); got != want {
			t.Errorf("%s: rounding %d (%s), want %d", sub, got, why, want)
		}
	}
	dir := t.TempDir()
	writeFile(t, dir, "a.sol", "Route #1: 1 2\nCost 12.3\n")
	if got, why := setRounding(dir); got != vrpio.RoundDIMACS || !strings.Contains(why, "a.sol") {
		t.Errorf("one-decimal .sol: %d (%s)", got, why)
	}
	writeFile(t, dir, "README.md", "# Set\nDistances truncated to one decimal (DIMACS).\n")
	if _, why := setRounding(dir); !strings.Contains(why, "README.md") {
		t.Errorf("README not read first: %s", why)
	}
}

func TestBench(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "tiny.vrp", tinyVRP)
	writeFile(t, dir, "tiny.sol", "Route #1: 1 2 3\nCost 20\n")
	writeFile(t, dir, "lonely.vrp", tinyVRP) // no .sol: skipped
	var out, errw bytes.Buffer
	fl := benchFlags{perNode: 50 * time.Millisecond, threads: 1, seed: 1}
	if err := runBench(context.Background(), dir, fl, &out, &errw); err != nil {
		t.Fatalf("%v\n%s", err, errw.String())
	}
	rows := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(rows) != 3 || rows[0] != "instance\tn\tcost\tbks\tgap_pct\tseconds" {
		t.Fatalf("output %q", out.String())
	}
	cols := strings.Split(rows[1], "\t")
	if cols[0] != "tiny" || cols[1] != "4" || cols[3] != "20" || !strings.HasPrefix(rows[2], "mean\t1\t") {
		t.Errorf("rows %q", rows)
	}
	fl.maxN = 3
	out.Reset()
	if err := runBench(context.Background(), dir, fl, &out, &errw); err != nil || strings.Contains(out.String(), "tiny\t") {
		t.Errorf("--max-n 3 ran tiny: %v %q", err, out.String())
	}
	if err := runBench(context.Background(), t.TempDir(), fl, &out, &errw); err == nil {
		t.Error("empty directory accepted")
	}
}

func TestBenchCasesShared(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "..", "shared", "benchmarks")
	if d := os.Getenv("TONGPEI_BENCHMARKS"); d != "" {
		dir = d
	}
	for sub, want := range map[string]int{"cvrp-x": 41, "hfvrp": 10, "vrpspd-dethloff": 40} {
		if _, err := os.Stat(filepath.Join(dir, sub)); err != nil {
			t.Skip("no shared benchmarks")
		}
		cases, err := benchCases(filepath.Join(dir, sub), vrpio.RoundFile)
		if err != nil || len(cases) != want {
			t.Errorf("%s: %d cases, want %d: %v", sub, len(cases), want, err)
		}
	}
}
