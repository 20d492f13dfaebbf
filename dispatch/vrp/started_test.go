package vrp

import (
	"testing"
	"time"
)

// TestLimitCountsFromStarted: with Options.Started the time limit covers
// what the caller did before calling Solve (reading the problem), so a
// call whose budget is nearly spent returns at once.
func TestLimitCountsFromStarted(t *testing.T) {
	t.Parallel()
	in := randomInstance(testKinds[0], 60, 3)
	began := time.Now()
	sol := solveChecked(t, in, Options{Seed: 1, TimeLimit: time.Second, Started: began.Add(-900 * time.Millisecond)})
	if took := time.Since(began); took > 600*time.Millisecond {
		t.Errorf("100 ms left of the budget, Solve took %v", took)
	}
	if len(sol.Unassigned) > 0 {
		t.Errorf("%d stops unassigned", len(sol.Unassigned))
	}
}
