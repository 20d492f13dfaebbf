package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// tinyTWSet is a VRPTW instance whose cost differs between the rounding
// conventions' distances: 1→3→2→1, the one order of a single route that
// meets the windows, is 2.1 + 1.5 + 1.4 = 5.0 truncated to tenths (50 in
// the model) and 2 + 2 + 1 = 5 rounded; two routes cost 7.0.
const tinyTWSet = `NAME : tinytw
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

// TestBenchReadsTheSetsConvention: a set whose README names the DIMACS
// convention is read in tenths without a flag, and bench says why.
func TestBenchReadsTheSetsConvention(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "README.md", "# A set\nDistances truncated to one decimal (DIMACS).\n")
	writeFile(t, dir, "tw.vrp", tinyTWSet)
	writeFile(t, dir, "tw.sol", "Route #1: 2 1\nCost 5.0\n")
	var out, errw bytes.Buffer
	fl := benchFlags{perNode: 50 * time.Millisecond, threads: 1, seed: 1, rounding: "auto"}
	if err := runBench(context.Background(), dir, fl, &out, &errw); err != nil {
		t.Fatalf("%v\n%s", err, errw.String())
	}
	if !strings.Contains(errw.String(), "DIMACS") {
		t.Errorf("bench did not say which convention: %q", errw.String())
	}
	rows := strings.Split(strings.TrimSpace(out.String()), "\n")
	if cols := strings.Split(rows[1], "\t"); cols[2] != "5" || cols[4] != "0.000" {
		t.Errorf("row %q: want cost 5 (5.0 in tenths) at gap 0", rows[1])
	}
}
