package vrp

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Options bound and steer one Solve call.
type Options struct {
	// TimeLimit is the wall-clock budget. 0 means at most DefaultTimeLimit,
	// ending sooner once the search has converged (params.go: n/2
	// iterations, at least 100, without a best 0.1 % below the last one
	// that counted), so that small problems return at once.
	TimeLimit time.Duration
	Seed      int64 // the search is deterministic for a seed (with Threads = 1)
	Threads   int   // parallel searches; 0 or 1 means one
	// MaxIterations, when > 0, stops each search after that many genetic
	// iterations instead of at the time limit (ctx still ends it early):
	// with it the result depends on the seed alone.
	MaxIterations int
	// Progress, when set, is called each time the best solution improves.
	// With Threads > 1 it is called from several goroutines, one at a time.
	Progress func(Progress)
	// Initial, when set, are routes (over in's stops) the search starts
	// from: a warm start (warmstart.go).
	Initial []Route
	// Started, when set, is when the caller's clock began (before it read
	// the problem): TimeLimit counts from it, so that a limit covers the
	// whole call, loading included. Zero: from the call to Solve.
	Started time.Time
}

// Progress reports the state of a running search.
type Progress struct {
	Elapsed    time.Duration
	Iterations int
	BestCost   int64
	Feasible   bool
}

// DefaultTimeLimit is the budget of a Solve call whose Options set none.
const DefaultTimeLimit = 10 * time.Second

// Solve searches for a low-cost solution of in until the time limit or until
// ctx is done, and returns the best solution found: a Hybrid Genetic Search
// (Vidal 2022) over the stops some vehicle can serve, the others listed in
// Solution.Unassigned with the reason. Every stop appears exactly once in the
// routes or the unassigned list, and Cost is the exact objective of the
// routes. It fails only on a malformed instance.
func Solve(ctx context.Context, in *Instance, opt Options) (*Solution, error) {
	start := time.Now()
	if !opt.Started.IsZero() && opt.Started.Before(start) {
		start = opt.Started
	}
	if err := checkModel(in); err != nil {
		return nil, err
	}
	if multiTrip(in) {
		return solveMultiTrip(ctx, in, opt, start)
	}
	return solveTrips(ctx, in, opt, start), nil
}

// packShare is the share of a multi-trip solve's time limit spent on the
// packing phase; the search with reloads gets the rest.
const packShare = 0.4

// solveMultiTrip plans vans that may drive several trips in two phases: the
// packed days of packedDays, then the search with reloads inside its routes
// (reload.go) warm-started from them, which can move stops across trips and
// vans and so mends what packing cannot. The better of the two is kept.
func solveMultiTrip(ctx context.Context, in *Instance, opt Options, start time.Time) (*Solution, error) {
	first := opt
	if opt.TimeLimit > 0 && opt.MaxIterations <= 0 {
		first.TimeLimit = time.Duration(packShare * float64(opt.TimeLimit))
	}
	packed, err := packedDays(ctx, in, first, start)
	if err != nil {
		return nil, err
	}
	warm := opt
	warm.Initial = packed.Routes
	sol := solveTrips(ctx, in, warm, start)
	if len(packed.Unassigned) < len(sol.Unassigned) || len(packed.Unassigned) == len(sol.Unassigned) && packed.Cost < sol.Cost {
		return packed, nil
	}
	return sol, nil
}

// solveTrips is the search. When a van may drive several trips, the search
// gets reload copies of the depot to place in its routes (reload.go).
func solveTrips(ctx context.Context, in *Instance, opt Options, start time.Time) *Solution {
	keep, unassigned := presolve(in)
	if len(keep) == 0 {
		return &Solution{Unassigned: unassigned}
	}
	sub := subInstance(in, keep)
	nbReal, multi := len(keep), multiTrip(in)
	if multi {
		sub = withReloads(sub, reloadCopies(sub))
	}
	sub, nbBreaks := withBreaks(sub) // breaks_search.go; never with reloads
	p := newParamsReload(sub, defaultConfig(), nbReal+nbBreaks)
	// The stopping rule scales with the real clients, not the reload
	// depots' copies.
	p.cfg.nbIterConverged = convergedIterations(nbReal, p.cfg)
	limit := opt.TimeLimit
	if limit <= 0 {
		limit = DefaultTimeLimit
	}
	threads := max(1, opt.Threads)
	warm, warmTypes := warmRoutes(in, keep, opt.Initial, nbReal+1, len(sub.Stops)-nbReal)
	results := make([]*individual, threads)
	var wg sync.WaitGroup
	var mu sync.Mutex
	progress := opt.Progress
	if progress != nil && threads > 1 {
		var best int64 = -1
		inner := progress
		progress = func(pr Progress) {
			mu.Lock()
			defer mu.Unlock()
			if best < 0 || pr.BestCost < best {
				best = pr.BestCost
				inner(pr)
			}
		}
	}
	for k := range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newSearch(ctx, p, deriveSeed(opt.Seed, k), start, limit, opt.MaxIterations)
			s.progress = progress
			s.untilConverged = opt.TimeLimit <= 0 && opt.MaxIterations <= 0
			s.initial, s.initialTypes = warm, warmTypes
			results[k] = s.run()
		}()
	}
	wg.Wait()
	best := results[0]
	for _, r := range results[1:] {
		if r.feasible && !best.feasible || r.feasible == best.feasible && r.penalisedCost < best.penalisedCost {
			best = r
		}
	}
	routes := make([]Route, 0, len(best.routes))
	for r, route := range best.routes {
		if rt := p.outRoute(route, best.types[r], keep, nbReal); len(rt.Stops) > 0 {
			routes = append(routes, rt)
		}
	}
	if multi {
		return finaliseTrips(in, routes, unassigned)
	}
	return finalise(in, routes, unassigned)
}

// deriveSeed gives each thread its own seed (SplitMix64 of seed and k).
func deriveSeed(seed int64, k int) uint64 {
	z := uint64(seed) + uint64(k+1)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// checkModel rejects instances the search cannot read.
func checkModel(in *Instance) error {
	if in == nil {
		return errors.New("vrp: nil instance")
	}
	n := in.N()
	if len(in.Distance) != n*n {
		return fmt.Errorf("vrp: the distance matrix has %d entries, want %d×%d (depot + stops)", len(in.Distance), n, n)
	}
	if in.Duration != nil && len(in.Duration) != n*n {
		return fmt.Errorf("vrp: the duration matrix has %d entries, want %d×%d (depot + stops)", len(in.Duration), n, n)
	}
	if in.Dims < 1 || in.Dims > MaxDims {
		return fmt.Errorf("vrp: Dims is %d, want 1 to %d", in.Dims, MaxDims)
	}
	for i, s := range in.Stops {
		if s.Release < 0 {
			return inputErr(0, fmt.Sprintf("stops[%d].release", i), "a release time must be ≥ 0, not %d", s.Release)
		}
	}
	if in.Places < 0 {
		return fmt.Errorf("vrp: Places is %d, want ≥ 0", in.Places)
	}
	if err := checkShipments(in); err != nil {
		return err
	}
	if err := checkBreaks(in); err != nil {
		return err
	}
	if err := checkFields(in); err != nil {
		return err
	}
	if in.BalanceCost < 0 || in.BalanceTarget < 0 {
		return inputErr(0, "balance", "target %d and cost %d must be ≥ 0", in.BalanceTarget, in.BalanceCost)
	}
	open := in.Places > 0
	for t, vt := range in.VehicleTypes {
		if vt.ReloadTime < 0 || vt.MaxTrips < 0 && vt.MaxTrips != Unlimited {
			return inputErr(0, fmt.Sprintf("vehicle_types[%d]", t), "reload time %d and max trips %d must be ≥ 0", vt.ReloadTime, vt.MaxTrips)
		}
		for _, e := range [2]int{vt.Start, vt.End} {
			if e < NoPlace || e >= n {
				return inputErr(0, fmt.Sprintf("vehicle_types[%d]", t), "start %d and end %d must be matrix nodes (0..%d) or NoPlace", vt.Start, vt.End, n-1)
			}
		}
		open = open || !vt.closed()
	}
	if open && multiTrip(in) {
		// reload.go adds the depot's copies after the stops and routes
		// every trip through the depot: not built for other ends yet
		return inputErr(0, "vehicle_types", "vans that drive several trips need every route to start and end at the depot")
	}
	return nil
}
