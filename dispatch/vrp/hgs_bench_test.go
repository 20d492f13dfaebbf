package vrp

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkCVRPX solves the X instances of the shared benchmark set, one
// sub-benchmark per instance, with the project's convention: n/10 seconds,
// one thread, seed 1. It reports the gap to the best-known solution in % and
// fails on an invalid solution. VRP_MAXN (default 401) bounds the instance
// size; VRP_SCALE multiplies the time limit (e.g. 0.2 for a quick look).
//
//	go test -run XXX -bench CVRPX -benchtime 1x ./dispatch/vrp/
func BenchmarkCVRPX(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(benchDir, "cvrp-x", "*.vrp"))
	if len(files) == 0 {
		b.Skip("no benchmark instances under " + benchDir)
	}
	maxN := 401
	if v, err := strconv.Atoi(os.Getenv("VRP_MAXN")); err == nil {
		maxN = v
	}
	scale := 1.0
	if v, err := strconv.ParseFloat(os.Getenv("VRP_SCALE"), 64); err == nil {
		scale = v
	}
	for _, file := range files {
		t := &testing.T{}
		f := readInstanceFile(t, file)
		in := f.Instance
		if in.N() > maxN {
			continue
		}
		name := strings.TrimSuffix(filepath.Base(file), ".vrp")
		sf, err := os.Open(strings.TrimSuffix(file, ".vrp") + ".sol")
		if err != nil {
			b.Fatal(err)
		}
		_, bks, err := f.ReadSolution(sf)
		sf.Close()
		if err != nil {
			b.Fatal(err)
		}
		limit := time.Duration(scale * float64(in.N()) * float64(100*time.Millisecond))
		b.Run(name, func(b *testing.B) {
			var gap float64
			for b.Loop() {
				sol, err := Solve(b.Context(), in, Options{TimeLimit: limit, Seed: 1, Threads: 1})
				if err != nil {
					b.Fatal(err)
				}
				cost, err := Evaluate(in, sol)
				if err != nil || cost != sol.Cost {
					b.Fatalf("invalid solution (cost %d, validator %d): %v", sol.Cost, cost, err)
				}
				gap = 100 * (float64(cost) - bks) / bks
			}
			b.ReportMetric(gap, "gap%")
		})
	}
}
