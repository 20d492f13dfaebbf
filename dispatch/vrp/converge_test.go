package vrp

import (
	"testing"
	"time"
)

// TestSmallProblemsReturnAtOnce: without a time limit the search stops when
// it has converged, long before the 10 s default on a handful of stops, and
// the answer is as good as a full budget's on such a problem.
func TestSmallProblemsReturnAtOnce(t *testing.T) {
	t.Parallel()
	for _, n := range []int{5, 12} {
		in := randomInstance(testKinds[2], n, 5)
		begin := time.Now()
		quick := solveChecked(t, in, Options{Seed: 1})
		took := time.Since(begin)
		if took > DefaultTimeLimit/2 { // well under 1 s on an idle core
			t.Errorf("n = %d: took %v without a time limit", n, took)
		}
		long := solveChecked(t, in, Options{Seed: 1, TimeLimit: 2 * time.Second})
		if quick.Cost > long.Cost {
			t.Errorf("n = %d: stopped early at cost %d, a 2 s search finds %d", n, quick.Cost, long.Cost)
		}
		t.Logf("n = %d: %v, cost %d (2 s: %d)", n, took, quick.Cost, long.Cost)
	}
}
