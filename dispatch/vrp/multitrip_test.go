package vrp

import (
	"testing"
	"time"
)

// TestPackAndMendDays: trips planned one van each are packed into the
// limited fleet's days and mended stop by stop; every step keeps the days
// feasible (capacity per trip, windows, release times, reloads) and mending
// never raises the cost.
func TestPackAndMendDays(t *testing.T) {
	t.Parallel()
	in := randomInstance(testKinds[6], 50, 21)
	trips := solveChecked(t, tripInstance(in), Options{Seed: 1, MaxIterations: 200})
	vans, lost := packBest(in, 0, trips.Routes)
	if len(vans) > in.VehicleTypes[0].Count {
		t.Fatalf("%d vans, the fleet has %d", len(vans), in.VehicleTypes[0].Count)
	}
	left := make([]Unassigned, 0, len(lost)+len(trips.Unassigned))
	for _, s := range lost {
		left = append(left, Unassigned{Stop: s})
	}
	left = append(left, trips.Unassigned...)
	before, err := Evaluate(in, &Solution{Routes: vans, Unassigned: left})
	if err != nil {
		t.Fatalf("packed days: %v", err)
	}
	improveDays(in, vans, time.Now().Add(5*time.Second))
	after, err := Evaluate(in, &Solution{Routes: vans, Unassigned: left})
	if err != nil {
		t.Fatalf("mended days: %v", err)
	}
	if after > before {
		t.Errorf("mending raised the cost from %d to %d", before, after)
	}
	reloads := 0
	for _, r := range vans {
		reloads += len(r.Reloads)
	}
	if reloads == 0 {
		t.Error("no van drives a second trip; the test instance should need some")
	}
	t.Logf("%d vans, %d reloads, %d stops lost, cost %d → %d", len(vans), reloads, len(lost), before, after)
}
