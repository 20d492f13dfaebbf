package vrp

import (
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkUntilConverged measures the search without a time limit (the
// stopping rule of params.go: convergedIterations) on random instances of
// 5 to 200 stops: the median and worst answer time per size and kind, and,
// at 20 and 200 stops, the gap to what a search of VRP_REF (default 10 s)
// finds on the same instance. One thread, seed 1. For example:
//
//	go test -run XXX -bench UntilConverged -benchtime 1x ./dispatch/vrp/
//
// Times are wall clock (median_ms, max_ms) and the process's CPU time
// (median_cpu_ms: user + system, GC included), which is what the wall time
// would be on an idle core when the machine is shared.
// VRP_INSTANCES (default 4) is the number of instances per size and kind,
// VRP_SIZES (default 5,10,20,50,100,200) the sizes;
// VRP_KINDS (default cvrp,vrptw,rich) the kinds;
// VRP_REF=0 skips the reference searches (times only); VRP_REF_CACHE names
// a file that keeps the reference costs between runs (kind, n, instance
// seed, VRP_REF), so that comparing two versions of the stopping rule
// costs the 10 s searches once. BenchmarkSmall is the same benchmark at 20
// and 200 stops (go test -run XXX -bench Small ./dispatch/vrp/).
func BenchmarkSmall(b *testing.B) {
	if os.Getenv("VRP_SIZES") == "" {
		b.Setenv("VRP_SIZES", "20,200")
	}
	BenchmarkUntilConverged(b)
}

func BenchmarkUntilConverged(b *testing.B) {
	instances := envInt("VRP_INSTANCES", 4)
	ref := 10 * time.Second
	if v := os.Getenv("VRP_REF"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil && v != "0" {
			b.Fatalf("VRP_REF=%q: %v", v, err)
		}
		ref = d
	}
	kinds := []kind{testKinds[0], testKinds[2], testKinds[4]} // cvrp, vrptw, rich (VROOM-like)
	if v := os.Getenv("VRP_KINDS"); v != "" {
		kinds = slices.DeleteFunc(kinds, func(k kind) bool { return !slices.Contains(strings.Split(v, ","), k.name) })
	}
	sizes := []int{5, 10, 20, 50, 100, 200}
	if v := os.Getenv("VRP_SIZES"); v != "" {
		sizes = sizes[:0]
		for _, f := range strings.Split(v, ",") {
			if n, err := strconv.Atoi(f); err == nil && n > 0 {
				sizes = append(sizes, n)
			}
		}
	}
	cache := loadRefCache(os.Getenv("VRP_REF_CACHE"))
	for b.Loop() {
		fmt.Printf("kind\tn\tmedian_ms\tmax_ms\tmedian_cpu_ms\tmean_gap_pct\tworst_gap_pct\t(ref %v, %d instances)\n", ref, instances)
		var all20, all200, cpu20, cpu200, gaps []float64
		for _, n := range sizes {
			for _, k := range kinds {
				var ms, cpu, kgaps []float64
				for seed := range instances {
					in := randomInstance(k, n, uint64(1000*n+seed))
					begin, cpuBegin := time.Now(), cpuTime()
					quick, err := Solve(b.Context(), in, Options{Seed: 1, Threads: 1})
					took, cpuTook := time.Since(begin), cpuTime()-cpuBegin
					if err != nil {
						b.Fatal(err)
					}
					if _, err := Evaluate(in, quick); err != nil {
						b.Fatalf("%s n=%d: invalid solution: %v", k.name, n, err)
					}
					ms = append(ms, float64(took.Microseconds())/1000)
					cpu = append(cpu, float64(cpuTook.Microseconds())/1000)
					if ref > 0 && (n == 20 || n == 200) {
						key := fmt.Sprintf("%s/%d/%d/%v", k.name, n, 1000*n+seed, ref)
						longCost, ok := cache[key]
						if !ok {
							long, err := Solve(b.Context(), in, Options{Seed: 1, Threads: 1, TimeLimit: ref})
							if err != nil {
								b.Fatal(err)
							}
							longCost = long.Cost
							cache[key] = longCost
							saveRefCache(os.Getenv("VRP_REF_CACHE"), cache)
						}
						kgaps = append(kgaps, 100*float64(quick.Cost-longCost)/float64(longCost))
					}
				}
				switch n {
				case 20:
					all20, cpu20 = append(all20, ms...), append(cpu20, cpu...)
				case 200:
					all200, cpu200 = append(all200, ms...), append(cpu200, cpu...)
				}
				gaps = append(gaps, kgaps...)
				meanGap, worstGap := "-", "-"
				if len(kgaps) > 0 {
					meanGap = fmt.Sprintf("%.3f", mean(kgaps))
					worstGap = fmt.Sprintf("%.3f", slices.Max(kgaps))
				}
				fmt.Printf("%s\t%d\t%.1f\t%.1f\t%.1f\t%s\t%s\n", k.name, n, median(ms), slices.Max(ms), median(cpu), meanGap, worstGap)
			}
		}
		b.ReportMetric(median(all20), "median_ms@20")
		b.ReportMetric(median(all200), "median_ms@200")
		b.ReportMetric(median(cpu20), "median_cpu_ms@20")
		b.ReportMetric(median(cpu200), "median_cpu_ms@200")
		if len(gaps) > 0 {
			b.ReportMetric(slices.Max(gaps), "worst_gap%")
			b.ReportMetric(mean(gaps), "mean_gap%")
		}
	}
}

// loadRefCache reads the reference costs of file (none: empty).
func loadRefCache(file string) map[string]int64 {
	m := map[string]int64{}
	if file == "" {
		return m
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return m
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, " "); ok {
			if c, err := strconv.ParseInt(v, 10, 64); err == nil {
				m[k] = c
			}
		}
	}
	return m
}

// saveRefCache writes m to file (none: nothing).
func saveRefCache(file string, m map[string]int64) {
	if file == "" {
		return
	}
	var sb strings.Builder
	for _, k := range slices.Sorted(maps.Keys(m)) {
		fmt.Fprintf(&sb, "%s %d\n", k, m[k])
	}
	_ = os.WriteFile(file, []byte(sb.String()), 0o644)
}

// cpuTime is the CPU time the process has used (user + system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func mean(xs []float64) float64 {
	var t float64
	for _, x := range xs {
		t += x
	}
	return t / float64(len(xs))
}
