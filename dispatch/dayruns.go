package dispatch

import (
	"context"
	"slices"
	"time"

	"github.com/tongpei/tongpei/dispatch/vrp"
)

// The county's day planned as it runs (a decomposition by arrival wave, in
// the spirit of the route-first schedule-second multi-trip heuristics of
// Taillard, Laporte and Gendreau 1996): first the morning runs, one per
// van, with the stops whose parcels were at the hub early; then the
// afternoon runs with the stops of the noon trunk, each van that drove in
// the morning leaving again after its return and the reload, with what is
// left of its range, and the idle vans at their usual cost. It gives up
// the freedom to carry an overnight parcel in the afternoon, which is what
// the county does anyway, and in return every van's morning is used.

// waveSplit is the release time from which a stop belongs to the
// afternoon: the middle of the widest gap between the stops' distinct
// release times; ok is false when the releases form one wave.
func waveSplit(in *vrp.Instance) (split int64, ok bool) {
	rs := make([]int64, 0, len(in.Stops))
	for _, s := range in.Stops {
		rs = append(rs, s.Release)
	}
	slices.Sort(rs)
	rs = slices.Compact(rs)
	var gap int64
	for i := 1; i < len(rs); i++ {
		if g := rs[i] - rs[i-1]; g > gap && g > waveGapS {
			gap, split, ok = g, rs[i-1]+g/2, true
		}
	}
	return split, ok
}

// solveByWaves plans the morning, then the afternoon, within opt's time
// limit, and answers the joined days as a solution of in (stops neither
// run could take are unassigned with the optimiser's reasons).
func solveByWaves(ctx context.Context, in *vrp.Instance, split int64, opt vrp.Options) (*vrp.Solution, error) {
	var am, pm []int
	lastRelease := int64(0)
	for s, st := range in.Stops {
		if st.Release < split {
			am = append(am, s)
		} else {
			pm = append(pm, s)
			lastRelease = max(lastRelease, st.Release)
		}
	}
	half := opt
	half.TimeLimit = opt.TimeLimit / 2
	// The morning: every van once, back in time to reload for the noon
	// trunk's run, on half its range.
	morning := subInstance(in, am)
	for t := range morning.VehicleTypes {
		vt := &morning.VehicleTypes[t]
		vt.MaxTrips = 1
		vt.ShiftEnd = min(vt.ShiftEnd, lastRelease+int64(time.Hour/time.Second))
		if vt.MaxDistance > 0 {
			vt.MaxDistance /= 2
		}
	}
	amSol, err := solve(ctx, morning, half)
	if err != nil {
		return nil, err
	}
	// The afternoon: a vehicle type per van that drove in the morning
	// (free to use again, from its return and reload, with the rest of
	// its range), and the vans left idle as they are.
	afternoon := subInstance(in, pm)
	afternoon.VehicleTypes = nil
	type van struct {
		t     int // in's vehicle type
		stops []int
	}
	var vans []van // afternoon type k < len(vans): vans[k]
	used := make([]int, len(in.VehicleTypes))
	for _, r := range amSol.Routes {
		if len(r.Stops) == 0 {
			continue
		}
		tl, err := vrp.RouteTimeline(morning, r)
		if err != nil {
			return nil, err
		}
		vt := in.VehicleTypes[r.VehicleType]
		vt.Count, vt.FixedCost, vt.MaxTrips = 1, 0, 1
		vt.ShiftStart = max(vt.ShiftStart, tl.Return+vt.ReloadTime)
		if vt.MaxDistance > 0 {
			vt.MaxDistance -= tl.Distance
		}
		afternoon.VehicleTypes = append(afternoon.VehicleTypes, vt)
		stops := make([]int, len(r.Stops))
		for k, s := range r.Stops {
			stops[k] = am[s]
		}
		vans = append(vans, van{r.VehicleType, stops})
		used[r.VehicleType]++
	}
	var idleOf []int // afternoon type len(vans)+k: in's type idleOf[k]
	for t, vt := range in.VehicleTypes {
		if vt.Count != vrp.Unlimited {
			vt.Count -= used[t]
			if vt.Count <= 0 {
				continue
			}
		}
		vt.MaxTrips = 1
		afternoon.VehicleTypes = append(afternoon.VehicleTypes, vt)
		idleOf = append(idleOf, t)
	}
	sol := &vrp.Solution{}
	for _, u := range amSol.Unassigned {
		u.Stop = am[u.Stop]
		sol.Unassigned = append(sol.Unassigned, u)
	}
	pmRoute := make([][]int, len(vans))
	if len(pm) > 0 {
		half.TimeLimit = max(100*time.Millisecond, opt.TimeLimit-half.TimeLimit)
		half.Progress = nil
		pmSol, err := solve(ctx, afternoon, half)
		if err != nil {
			return nil, err
		}
		for _, r := range pmSol.Routes {
			stops := make([]int, len(r.Stops))
			for k, s := range r.Stops {
				stops[k] = pm[s]
			}
			if r.VehicleType < len(vans) {
				pmRoute[r.VehicleType] = stops
			} else if len(stops) > 0 {
				sol.Routes = append(sol.Routes, vrp.Route{VehicleType: idleOf[r.VehicleType-len(vans)], Stops: stops})
			}
		}
		for _, u := range pmSol.Unassigned {
			u.Stop = pm[u.Stop]
			sol.Unassigned = append(sol.Unassigned, u)
		}
	}
	for k, v := range vans {
		day := vrp.Route{VehicleType: v.t, Stops: v.stops}
		if len(pmRoute[k]) > 0 {
			joined := vrp.Route{VehicleType: v.t, Stops: append(slices.Clone(v.stops), pmRoute[k]...), Reloads: []int{len(v.stops)}}
			if _, err := vrp.RouteTimeline(in, joined); err == nil {
				day = joined
			} else { // not expected: the afternoon was planned from this morning
				for _, s := range pmRoute[k] {
					sol.Unassigned = append(sol.Unassigned, vrp.Unassigned{Stop: s, Code: vrp.CodeFleet, Reason: "no van's day could take it"})
				}
			}
		}
		sol.Routes = append(sol.Routes, day)
	}
	return sol, nil
}

// subInstance is in over the stops listed (their order), the hub first.
// A balanced day's target is halved for each wave's runs, as the
// morning's range is (a van's day is its two runs).
func subInstance(in *vrp.Instance, stops []int) *vrp.Instance {
	sub := &vrp.Instance{Name: in.Name, Dims: in.Dims, DepotWindow: in.DepotWindow,
		VehicleTypes: slices.Clone(in.VehicleTypes), BalanceTarget: in.BalanceTarget / 2, BalanceCost: in.BalanceCost}
	nodes := []int{0}
	for _, s := range stops {
		sub.Stops = append(sub.Stops, in.Stops[s])
		nodes = append(nodes, s+1)
	}
	n, inN := len(nodes), in.N()
	sub.Distance, sub.Duration = make([]int64, n*n), make([]int64, n*n)
	for i, a := range nodes {
		for j, b := range nodes {
			sub.Distance[i*n+j] = in.Distance[a*inN+b]
			sub.Duration[i*n+j] = in.Time(a, b)
		}
	}
	return sub
}
