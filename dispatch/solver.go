package dispatch

import (
	"context"
	"sync/atomic"

	"github.com/tongpei/tongpei/dispatch/vrp"
)

// Solver is what plans call to optimise: vrp.Solve's contract (the best
// solution within opt's limits or when ctx ends; an error only for a
// malformed instance). serve installs the NATS solver workers' client
// (dispatch/solverbus), which falls back to vrp.Solve when none answers.
type Solver func(ctx context.Context, in *vrp.Instance, opt vrp.Options) (*vrp.Solution, error)

// solver is process-wide: set once at start, before plans run.
var solver atomic.Pointer[Solver]

// UseSolver makes plans solve with s; nil goes back to vrp.Solve in this
// process.
func UseSolver(s Solver) {
	if s == nil {
		solver.Store(nil)
		return
	}
	solver.Store(&s)
}

// solve is vrp.Solve, or the installed Solver.
func solve(ctx context.Context, in *vrp.Instance, opt vrp.Options) (*vrp.Solution, error) {
	if s := solver.Load(); s != nil {
		return (*s)(ctx, in, opt)
	}
	return vrp.Solve(ctx, in, opt)
}
