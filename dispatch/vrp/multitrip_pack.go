package vrp

// The packing phase of a multi-trip solve (see packedDays).

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// tripInstance is in with each multi-trip van type turned into an unlimited
// supply of one-trip vans without fixed cost (the fixed cost is the van's,
// paid once however many trips it drives).
func tripInstance(in *Instance) *Instance {
	out := *in
	out.VehicleTypes = slices.Clone(in.VehicleTypes)
	for t := range out.VehicleTypes {
		vt := &out.VehicleTypes[t]
		if vt.Trips() > 1 && vt.Count != 0 {
			vt.Count, vt.FixedCost, vt.MaxTrips = Unlimited, 0, 1
		}
	}
	return &out
}

// packedDays is the first phase of a multi-trip solve: trips planned as if
// each had a van of its own (a relaxation: capacity, windows and release
// times hold per trip), packed into the limited fleet's days, each van's
// next trip leaving after the previous return plus the reload time, and
// mended stop by stop (the "route first, schedule second" scheme, e.g.
// Taillard, Laporte and Gendreau 1996, "Vehicle routeing with multiple use
// of vehicles", JORS 47). Its days warm-start the search with reloads.
func packedDays(ctx context.Context, in *Instance, opt Options, start time.Time) (*Solution, error) {
	if len(opt.Initial) > 0 { // a warm start's days, trip by trip
		var split []Route
		for _, r := range opt.Initial {
			for _, trip := range r.Trips() {
				split = append(split, Route{VehicleType: r.VehicleType, Stops: trip})
			}
		}
		opt.Initial = split
	}
	// The trips get most of the time; mending the packed days the rest.
	limit := opt.TimeLimit
	if limit <= 0 {
		limit = DefaultTimeLimit
	}
	deadline := start.Add(limit)
	if opt.MaxIterations <= 0 && opt.TimeLimit > 0 {
		opt.TimeLimit = limit * 9 / 10
	}
	trips := solveTrips(ctx, tripInstance(in), opt, start)
	sol := &Solution{Unassigned: trips.Unassigned}
	byType := make([][]Route, len(in.VehicleTypes))
	for _, r := range trips.Routes {
		if in.VehicleTypes[r.VehicleType].Trips() > 1 {
			byType[r.VehicleType] = append(byType[r.VehicleType], r)
		} else {
			sol.Routes = append(sol.Routes, r)
		}
	}
	for t, rs := range byType {
		if len(rs) == 0 {
			continue
		}
		vans, lost := packBest(in, t, rs)
		improveDays(in, vans, deadline)
		vans = slices.DeleteFunc(vans, func(r Route) bool { return len(r.Stops) == 0 })
		sol.Routes = append(sol.Routes, vans...)
		for _, s := range lost {
			sol.Unassigned = append(sol.Unassigned, Unassigned{Stop: s, Code: CodeFleet, Reason: fmt.Sprintf(
				"stop %s: its trip fits in no van's day of %s; add a vehicle or lengthen a shift", in.Stops[s].ID, in.VehicleTypes[t].Name)})
		}
	}
	for _, r := range sol.Routes {
		tl, err := RouteTimeline(in, r)
		if err != nil {
			return nil, fmt.Errorf("vrp: internal: a packed route breaks a rule: %w", err) // unreachable: packTrips checks each
		}
		sol.Cost += tl.Cost
	}
	return sol, nil
}

// packBest packs the trips in a few orders (by latest departure, by
// return, longest first), puts the stops of trips that fit nowhere one by
// one where they cost least, and keeps the packing that loses fewest stops,
// then costs least.
func packBest(in *Instance, t int, trips []Route) (vans []Route, lost []int) {
	bestCost := int64(0)
	for _, order := range []func(a, b *Timeline) int{
		func(a, b *Timeline) int { return cmp.Compare(a.Departure, b.Departure) },
		func(a, b *Timeline) int { return cmp.Compare(a.Return, b.Return) },
		func(a, b *Timeline) int { return cmp.Compare(b.Duration, a.Duration) },
	} {
		vs, left := packTrips(in, t, trips, order)
		var ls []int
		for _, r := range left {
			for _, s := range r.Stops {
				if !insertInDay(in, vs, s) {
					ls = append(ls, s)
				}
			}
		}
		var cost int64
		for _, r := range vs {
			tl, _ := RouteTimeline(in, r)
			cost += tl.Cost
		}
		if vans == nil || len(ls) < len(lost) || len(ls) == len(lost) && cost < bestCost {
			vans, lost, bestCost = vs, ls, cost
		}
	}
	return vans, lost
}

// packTrips packs one-trip routes of vehicle type t into the days of at
// most Count vans (best fit: trips in the given order of their timelines
// alone, each into the van whose day it lengthens least, in any position between
// that van's trips; a new van when none can take it). It returns the vans'
// routes and the trips that fit nowhere.
func packTrips(in *Instance, t int, trips []Route, order func(a, b *Timeline) int) (vans, left []Route) {
	vt := &in.VehicleTypes[t]
	type trip struct {
		stops []int
		alone *Timeline
	}
	ts := make([]trip, 0, len(trips))
	for _, r := range trips {
		tl, err := RouteTimeline(in, Route{VehicleType: t, Stops: r.Stops})
		if err != nil {
			left = append(left, r) // a trip that is infeasible alone
			continue
		}
		ts = append(ts, trip{r.Stops, tl})
	}
	slices.SortStableFunc(ts, func(a, b trip) int { return order(a.alone, b.alone) })
	type van struct {
		trips [][]int
		ret   int64
	}
	var days []van
	for _, tr := range ts {
		bestVan, bestPos, bestGrow := -1, 0, int64(0)
		for v := range days {
			if len(days[v].trips) >= vt.Trips() {
				continue
			}
			for pos := 0; pos <= len(days[v].trips); pos++ {
				cand := slices.Insert(slices.Clone(days[v].trips), pos, tr.stops)
				tl, err := RouteTimeline(in, dayRoute(t, cand))
				if err != nil {
					continue
				}
				if grow := tl.Return - days[v].ret; bestVan < 0 || grow < bestGrow {
					bestVan, bestPos, bestGrow = v, pos, grow
				}
			}
		}
		switch {
		case bestVan >= 0:
			d := &days[bestVan]
			d.trips = slices.Insert(d.trips, bestPos, tr.stops)
			tl, _ := RouteTimeline(in, dayRoute(t, d.trips))
			d.ret = tl.Return
		case vt.Count == Unlimited || len(days) < vt.Count:
			tl, _ := RouteTimeline(in, dayRoute(t, [][]int{tr.stops}))
			days = append(days, van{[][]int{tr.stops}, tl.Return})
		default:
			left = append(left, Route{VehicleType: t, Stops: tr.stops})
		}
	}
	for _, d := range days {
		vans = append(vans, dayRoute(t, d.trips))
	}
	return vans, left
}

// insertInDay puts stop s where it costs least in one of the vans' days: in
// a trip, or as a trip of its own between two trips when the van may drive
// one more. It reports false when no place is feasible.
func insertInDay(in *Instance, vans []Route, s int) bool {
	v, r, _ := bestInsertion(in, vans, s)
	if v < 0 {
		return false
	}
	vans[v] = r
	return true
}

// improveDays moves single stops between and within the vans' days (each
// to its cheapest feasible place, in any trip or as a trip of its own)
// while that lowers the cost, until deadline. It mends what packing the
// trips left expensive.
func improveDays(in *Instance, vans []Route, deadline time.Time) {
	for improved := true; improved; {
		improved = false
		for v := range vans {
			for k := 0; k < len(vans[v].Stops); k++ {
				if time.Now().After(deadline) {
					return
				}
				orig := vans[v]
				before, err := RouteTimeline(in, orig)
				if err != nil {
					continue
				}
				s := orig.Stops[k]
				var trips [][]int
				for _, trip := range orig.Trips() {
					trip = slices.DeleteFunc(slices.Clone(trip), func(x int) bool { return x == s })
					if len(trip) > 0 {
						trips = append(trips, trip)
					}
				}
				without := dayRoute(orig.VehicleType, trips)
				var saved int64
				if len(without.Stops) > 0 {
					tl, err := RouteTimeline(in, without)
					if err != nil {
						continue
					}
					saved = before.Cost - tl.Cost
				} else {
					saved = before.Cost
				}
				vans[v] = without
				w, r, added := bestInsertion(in, vans, s)
				if w >= 0 && added < saved {
					vans[w] = r
					improved = true
				} else {
					vans[v] = orig
				}
			}
		}
	}
}
