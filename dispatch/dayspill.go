package dispatch

import (
	"context"
	"slices"
	"time"

	"github.com/tongpei/tongpei/dispatch/vrp"
)

// solveDay is solve with a mend for the vans' multi-run day. The optimiser
// searches reloads itself (dispatch/vrp/reload.go), but it starts from runs
// packed into the vans' days type by type (multitrip_pack.go); with a mixed
// fleet and a short limit the runs can still crowd onto the cheapest type,
// whose few vans cannot drive them all, and the stops that fit in no day
// come back with code fleet while vans of another type stand idle (on the
// demonstration day of 2026-12-03 the search alone now leaves none, so the
// mend is a net, not the plan). Those stops are then planned
// again on the vans left over, for a few rounds, within what is left of
// the time limit, so that a plan of the day never serves fewer stations
// than the fleet can; and since one run a van is a day too, a one-run plan
// is solved beside it and the cheaper kept. With byWave, when the stops' parcels come in two
// waves (the overnight and the noon trunk), the day is planned wave by
// wave instead (solveByWaves): the overnight parcels all on morning runs.
// A one-run day is solved as before.
func solveDay(ctx context.Context, in *vrp.Instance, opt vrp.Options, byWave bool) (*vrp.Solution, error) {
	if !multiRun(in) {
		return solve(ctx, in, opt)
	}
	limit := opt.TimeLimit
	if limit <= 0 {
		limit = vrp.DefaultTimeLimit
	}
	start := time.Now()
	if split, waved := waveSplit(in); byWave && waved {
		o := opt
		o.TimeLimit = limit * 3 / 4
		sol, err := solveByWaves(ctx, in, split, o)
		if err != nil {
			return nil, err
		}
		return sol, mend(ctx, in, sol, start.Add(limit), opt)
	}
	// A day of one run a van is a day of up to two, and the optimiser
	// plans it well; the multi-run search gets the first half of the time
	// and the one-run plan the second, and the better is the plan.
	o := opt
	o.TimeLimit = limit * 3 / 8
	best, err := solve(ctx, in, o)
	if err != nil {
		return nil, err
	}
	if err := mend(ctx, in, best, start.Add(limit/2), opt); err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return best, nil
	}
	one := *in
	one.VehicleTypes = slices.Clone(in.VehicleTypes)
	for t := range one.VehicleTypes {
		one.VehicleTypes[t].MaxTrips = 1
	}
	o.TimeLimit, o.Progress = max(100*time.Millisecond, time.Until(start.Add(limit))), nil
	sol, err := solve(ctx, &one, o)
	if err != nil {
		return nil, err
	}
	if len(sol.Unassigned) < len(best.Unassigned) || len(sol.Unassigned) == len(best.Unassigned) && sol.Cost < best.Cost {
		best = sol
	}
	return best, nil
}

// mend plans again, on the vans left over, what sol leaves out for want
// of a van, for a few rounds until deadline, and sets sol's cost.
func mend(ctx context.Context, in *vrp.Instance, sol *vrp.Solution, deadline time.Time, opt vrp.Options) error {
	const rounds = 3
	for round := range rounds {
		if ctx.Err() != nil {
			break
		}
		more, err := spill(ctx, in, sol, vrp.Options{Seed: opt.Seed, Threads: opt.Threads,
			TimeLimit: max(100*time.Millisecond, time.Until(deadline)/time.Duration(rounds-round))})
		if err != nil {
			return err
		}
		if !more {
			break
		}
	}
	sol.Cost = 0
	for _, r := range sol.Routes {
		tl, err := vrp.RouteTimeline(in, r)
		if err != nil {
			return err
		}
		sol.Cost += tl.Cost
	}
	return nil
}

// multiRun tells whether some van of in may drive more than one run (the
// counterfactual's unlimited vans too, so that it is planned the same way).
func multiRun(in *vrp.Instance) bool {
	for t := range in.VehicleTypes {
		if in.VehicleTypes[t].Trips() > 1 && in.VehicleTypes[t].Count != 0 {
			return true
		}
	}
	return false
}

// spill plans the stops sol leaves out for want of a van (code fleet) on
// the vans sol does not use, adding their routes to sol. It reports
// whether it placed any stop.
func spill(ctx context.Context, in *vrp.Instance, sol *vrp.Solution, opt vrp.Options) (bool, error) {
	var left []int
	var keep []vrp.Unassigned
	for _, u := range sol.Unassigned {
		if u.Code == vrp.CodeFleet {
			left = append(left, u.Stop)
		} else {
			keep = append(keep, u)
		}
	}
	if len(left) == 0 {
		return false, nil
	}
	used := make([]int, len(in.VehicleTypes))
	for _, r := range sol.Routes {
		used[r.VehicleType]++
	}
	sub := &vrp.Instance{Name: in.Name + " (vans left)", Dims: in.Dims, DepotWindow: in.DepotWindow}
	var typeOf []int // sub's vehicle type → in's
	for t, vt := range in.VehicleTypes {
		if vt.Count != vrp.Unlimited {
			vt.Count -= used[t]
			if vt.Count <= 0 {
				continue
			}
		}
		sub.VehicleTypes = append(sub.VehicleTypes, vt)
		typeOf = append(typeOf, t)
	}
	if len(sub.VehicleTypes) == 0 {
		return false, nil
	}
	nodes := append([]int{0}, left...) // sub's matrix node → in's
	for k := 1; k < len(nodes); k++ {
		nodes[k]++
	}
	for _, s := range left {
		sub.Stops = append(sub.Stops, in.Stops[s])
	}
	n, inN := len(nodes), in.N()
	sub.Distance, sub.Duration = make([]int64, n*n), make([]int64, n*n)
	for i, a := range nodes {
		for j, b := range nodes {
			sub.Distance[i*n+j] = in.Distance[a*inN+b]
			sub.Duration[i*n+j] = in.Time(a, b)
		}
	}
	got, err := solve(ctx, sub, opt)
	if err != nil {
		return false, err
	}
	placed := false
	for _, r := range got.Routes {
		if len(r.Stops) == 0 {
			continue
		}
		stops := make([]int, len(r.Stops))
		for k, s := range r.Stops {
			stops[k] = left[s]
		}
		sol.Routes = append(sol.Routes, vrp.Route{VehicleType: typeOf[r.VehicleType], Stops: stops, Reloads: r.Reloads})
		placed = true
	}
	for _, u := range got.Unassigned {
		u.Stop = left[u.Stop]
		keep = append(keep, u)
	}
	sol.Unassigned = keep
	return placed, nil
}
