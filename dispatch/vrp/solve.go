package vrp

import (
	"context"
	"time"
)

// Options bound and steer one Solve call.
type Options struct {
	TimeLimit time.Duration // wall-clock budget; 0 means a default of 10 s
	Seed      int64         // the search is deterministic for a seed (with Threads = 1)
	Threads   int           // parallel searches; 0 or 1 means one
	// Progress, when set, is called each time the best solution improves.
	Progress func(Progress)
}

// Progress reports the state of a running search.
type Progress struct {
	Elapsed    time.Duration
	Iterations int
	BestCost   int64
	Feasible   bool
}

// Solve searches for a low-cost solution of in until the time limit or until
// ctx is done, and returns the best solution found.
//
// PLACEHOLDER (to be replaced by the search): one route per stop, so that the
// command-line and HTTP faces can be built against the final signature.
func Solve(ctx context.Context, in *Instance, opt Options) (*Solution, error) {
	sol := &Solution{}
	for i := range in.Stops {
		sol.Routes = append(sol.Routes, Route{VehicleType: 0, Stops: []int{i}})
		vt := in.VehicleTypes[0]
		d := in.Dist(0, i+1) + in.Dist(i+1, 0)
		sol.Cost += vt.FixedCost + vt.DistanceCost*d
	}
	return sol, nil
}
