package vrp_test

import (
	"github.com/tongpei/tongpei/dispatch/vrp"
	"github.com/tongpei/tongpei/dispatch/vrp/vrpio"

	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The optimiser's benchmarks: one sub-benchmark per instance of the shared
// sets, with the project's convention of n/10 seconds, one thread, seed 1.
// Each reports the gap to the best-known solution in % (metric gap%) and
// fails on a solution the validator refuses. VRP_MAXN (default 401) bounds
// the instance size; VRP_SCALE multiplies the time limit (0.2 for a quick
// look). For example:
//
//	go test -run XXX -bench CVRPX -benchtime 1x ./dispatch/vrp/

func BenchmarkCVRPX(b *testing.B) {
	benchSet(b, "cvrp-x/*.vrp", solBKS)
}

func BenchmarkHFVRP(b *testing.B) {
	benchSet(b, "hfvrp/*.vrp", solBKS)
}

func BenchmarkVRPSPD(b *testing.B) {
	table := dethloffBKS(b)
	benchSet(b, "vrpspd-dethloff/*.vrpspd", func(b *testing.B, f *vrpio.VRPLIB, file string) float64 {
		// the matrix is the real distance × 10⁴
		return 1e4 * table[strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))]
	})
}

// solBKS reads the cost of the .sol file beside an instance, in model units.
func solBKS(b *testing.B, f *vrpio.VRPLIB, file string) float64 {
	sf, err := os.Open(strings.TrimSuffix(file, filepath.Ext(file)) + ".sol")
	if err != nil {
		b.Fatal(err)
	}
	defer sf.Close()
	_, bks, err := f.ReadSolution(sf)
	if err != nil {
		b.Fatal(err)
	}
	return bks * float64(f.CostDivisor)
}

func dethloffBKS(b *testing.B) map[string]float64 {
	fh, err := os.Open(filepath.Join(benchDir, "vrpspd-dethloff", "BKS.tsv"))
	if err != nil {
		b.Skip(err)
	}
	defer fh.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 {
			if v, err := strconv.ParseFloat(f[2], 64); err == nil {
				out[f[0]] = v
			}
		}
	}
	return out
}

func benchSet(b *testing.B, pattern string, bksOf func(*testing.B, *vrpio.VRPLIB, string) float64) {
	files, _ := filepath.Glob(filepath.Join(benchDir, pattern))
	if len(files) == 0 {
		b.Skip("no benchmark instances " + pattern + " under " + benchDir)
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
		fh, err := os.Open(file)
		if err != nil {
			b.Fatal(err)
		}
		f, err := vrpio.ReadVRPLIB(fh)
		fh.Close()
		if err != nil {
			b.Fatalf("%s: %v", file, err)
		}
		in := f.Instance
		if in.N() > maxN {
			continue
		}
		bks := bksOf(b, f, file)
		limit := time.Duration(scale * float64(in.N()) * float64(100*time.Millisecond))
		b.Run(strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)), func(b *testing.B) {
			var gap float64
			for b.Loop() {
				sol, err := vrp.Solve(b.Context(), in, vrp.Options{TimeLimit: limit, Seed: 1, Threads: 1})
				if err != nil {
					b.Fatal(err)
				}
				cost, err := vrp.Evaluate(in, sol)
				if err != nil || cost != sol.Cost {
					b.Fatalf("invalid solution (cost %d, validator %d): %v", sol.Cost, cost, err)
				}
				if len(sol.Unassigned) > 0 {
					b.Errorf("%d stops unassigned, first: %s", len(sol.Unassigned), sol.Unassigned[0].Reason)
				}
				gap = 100 * (float64(cost) - bks) / bks
			}
			b.ReportMetric(gap, "gap%")
		})
	}
}

// BenchmarkEvaluate measures the validator on the largest CVRP benchmark.
func BenchmarkEvaluate(b *testing.B) {
	path := filepath.Join(benchDir, "cvrp-x/X-n1001-k43")
	fv, err := os.Open(path + ".vrp")
	if err != nil {
		b.Skip(err)
	}
	defer fv.Close()
	f, err := vrpio.ReadVRPLIB(fv)
	if err != nil {
		b.Fatal(err)
	}
	fs, err := os.Open(path + ".sol")
	if err != nil {
		b.Fatal(err)
	}
	defer fs.Close()
	s, _, err := f.ReadSolution(fs)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := vrp.Evaluate(f.Instance, s); err != nil {
			b.Fatal(err)
		}
	}
}

// benchDir is the benchmark set: $TONGPEI_BENCHMARKS, else the
// repository's own copy (testdata/benchmarks, so a clone tests the same
// files whatever lies beside it), else the nearest shared/benchmarks above
// the package. Benchmarks that need it skip without it.
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
