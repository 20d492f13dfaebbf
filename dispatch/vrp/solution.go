package vrp

// Solution: turning the search's best individual into the caller's
// Solution. Every route is checked exactly (several time windows per stop
// included, which the search only approximates); a route that breaks a rule
// gives up stops until it holds, and those stops are reinserted where they
// fit best, on a new vehicle if one is free, or reported with code fleet.
// Cost is the exact objective of the returned routes.

import (
	"fmt"
	"math"
	"slices"
)

// exactRoute evaluates one route of stop indices on vehicle type t under
// the model's definitions (see RouteTimeline in validate.go): its cost and
// whether it is feasible.
func exactRoute(in *Instance, stops []int, t int) (int64, bool) {
	if len(in.VehicleTypes[t].Breaks) > 0 {
		_, c, ok := bestBreaks(in, stops, t)
		return c, ok
	}
	return exactRouteB(in, stops, t, nil)
}

// exactRouteB is exactRoute with the breaks brk placed as given (breaks.go);
// breaks of the type that brk leaves out are not taken.
func exactRouteB(in *Instance, stops []int, t int, brk []BreakAt) (int64, bool) {
	if len(stops) == 0 {
		return 0, true
	}
	vt := &in.VehicleTypes[t]
	var load Amount
	for _, s := range stops {
		if in.Stops[s].Skills&^vt.Skills != 0 {
			return 0, false
		}
		for d := range MaxDims {
			load[d] += in.Stops[s].depotDelivery(d)
		}
	}
	var dist, travel int64
	e0 := max(vt.ShiftStart, in.DepotWindow.Start)
	for _, s := range stops {
		e0 = max(e0, in.Stops[s].Release) // the goods must be at the depot
	}
	end := min(vt.ShiftEnd, in.DepotWindow.End)
	tm, prev := e0, vt.Start
	for k, s := range stops {
		if !passBreaks(in, vt, brk, k, &tm, &load) {
			return 0, false
		}
		stop := &in.Stops[s]
		for d := range MaxDims {
			if load[d] > vt.Capacity[d] {
				return 0, false
			}
			load[d] += stop.Pickup[d] - stop.Delivery[d]
			if load[d] > vt.Capacity[d] {
				return 0, false
			}
		}
		node := s + 1
		dist += in.legDist(prev, node)
		travel += in.legTime(prev, node)
		start, ok := earliestStart(stop.TimeWindows, tm+in.legTime(prev, node))
		if !ok {
			return 0, false
		}
		setup := in.Stops[s].Setup
		if k > 0 {
			setup = in.setupAt(stops[k-1], s)
		}
		tm, prev = start+setup+stop.Service, node
	}
	if !passBreaks(in, vt, brk, len(stops), &tm, &load) {
		return 0, false
	}
	dist += in.legDist(prev, vt.End)
	travel += in.legTime(prev, vt.End)
	ret := tm + in.legTime(prev, vt.End)
	if ret > end {
		return 0, false
	}
	latest, next := ret, vt.End
	for k := len(stops) - 1; k >= 0; k-- {
		stop := &in.Stops[stops[k]]
		b, ok := backBreaks(vt, brk, k+1, latest-in.legTime(stops[k]+1, next))
		setup := stop.Setup
		if k > 0 {
			setup = in.setupAt(stops[k-1], stops[k])
		}
		l, ok2 := latestStart(stop.TimeWindows, b-stop.Service-setup)
		if !ok || !ok2 {
			return 0, false
		}
		latest, next = l, stops[k]+1
	}
	dep, ok := backBreaks(vt, brk, 0, latest-in.legTime(vt.Start, next))
	if !ok {
		return 0, false
	}
	dur := ret - dep
	if vt.MaxDuration > 0 && dur > vt.MaxDuration || vt.MaxDistance > 0 && dist > vt.MaxDistance ||
		vt.MaxTravelTime > 0 && travel > vt.MaxTravelTime || vt.MaxStops > 0 && len(stops) > vt.MaxStops {
		return 0, false
	}
	return vt.FixedCost + vt.DistanceCost*dist + vt.TimeCost*dur + vt.TravelTimeCost*travel + in.overWork(dur), true
}

// finalise builds the Solution of in from routes over stop indices.
func finalise(in *Instance, routes []Route, unassigned []Unassigned) *Solution {
	var removed []int
	for r := range routes {
		removed = append(removed, shedStops(in, &routes[r])...)
	}
	removed = shedPartners(in, routes, removed)
	// high priorities get the free places first (VROOM's priority)
	slices.SortStableFunc(removed, func(a, b int) int { return in.Stops[b].Priority - in.Stops[a].Priority })
	used := make([]int, len(in.VehicleTypes))
	for r := range routes {
		t := routes[r].VehicleType
		if len(routes[r].Stops) == 0 {
			continue
		}
		if c := in.VehicleTypes[t].Count; c != Unlimited && used[t] >= c {
			// defensive: a type used beyond its count gives its stops back
			removed = append(removed, routes[r].Stops...)
			routes[r].Stops = nil
			continue
		}
		used[t]++
	}
	for _, s := range removed {
		if in.Stops[s].Kind == KindDelivery {
			continue // placed with its pickup
		}
		if !reinsertAny(in, &routes, used, s) {
			unassigned = append(unassigned, Unassigned{Stop: s, Code: CodeFleet, Reason: fmt.Sprintf(
				"stop %s: the limited fleet has no vehicle left that can take it; add a vehicle or lengthen a shift", in.Stops[s].ID)})
			if in.Stops[s].Kind == KindPickup {
				d := in.Stops[s].Partner
				unassigned = append(unassigned, Unassigned{Stop: d, Code: CodeFleet, Reason: fmt.Sprintf(
					"stop %s: the limited fleet has no vehicle left that can take its shipment; add a vehicle or lengthen a shift", in.Stops[d].ID)})
			}
		}
	}
	sol := &Solution{Unassigned: unassigned}
	for _, r := range routes {
		if len(r.Stops) == 0 {
			continue
		}
		c := settleBreaks(in, &r)
		sol.Cost += c
		sol.Routes = append(sol.Routes, r)
	}
	return sol
}

// shedStops removes stops from an infeasible route until it is feasible,
// each time the one whose removal leaves the cheapest route, preferring
// removals that restore feasibility.
func shedStops(in *Instance, r *Route) []int {
	var removed []int
	for len(r.Stops) > 0 {
		if searchBreaksHold(in, r) {
			break // breaks.go: the search's break placement is feasible
		}
		if _, ok := exactRoute(in, r.Stops, r.VehicleType); ok {
			break
		}
		best, bestOK, bestCost := 0, false, int64(math.MaxInt64)
		trial := make([]int, 0, len(r.Stops))
		for k := range r.Stops {
			// a shipment's halves leave together: without its pickup, a
			// delivery would seem to free room it never took
			trial = withoutStop(in, trial[:0], r.Stops, r.Stops[k])
			c, ok := exactRoute(in, trial, r.VehicleType)
			// lowest priority first (VROOM's priority), then cheapest
			pr, bestPr := in.Stops[r.Stops[k]].Priority, in.Stops[r.Stops[best]].Priority
			if ok && (!bestOK || pr < bestPr || pr == bestPr && c < bestCost) {
				best, bestOK, bestCost = k, true, c
			}
		}
		if !bestOK {
			best = len(r.Stops) - 1 // nothing helps alone: drop the last visit
		}
		s := r.Stops[best]
		removed = append(removed, s)
		if in.Stops[s].shipment() {
			removed = append(removed, in.Stops[s].Partner)
		}
		r.Stops = withoutStop(in, nil, r.Stops, s)
	}
	return removed
}

// withoutStop appends to buf the stops other than s (and s's shipment
// partner).
func withoutStop(in *Instance, buf, stops []int, s int) []int {
	q := -1
	if in.Stops[s].shipment() {
		q = in.Stops[s].Partner
	}
	for _, x := range stops {
		if x != s && x != q {
			buf = append(buf, x)
		}
	}
	return buf
}

// reinsert puts stop s at its cheapest feasible place: in an existing route,
// or alone on a free vehicle. It reports false when nothing fits.
func reinsert(in *Instance, routes *[]Route, used []int, s int) bool {
	bestR, bestK, bestDelta := -1, 0, int64(math.MaxInt64)
	trial := []int{}
	for r, route := range *routes {
		if len(route.Stops) == 0 {
			continue
		}
		old, _ := exactRoute(in, route.Stops, route.VehicleType)
		for k := 0; k <= len(route.Stops); k++ {
			trial = append(append(append(trial[:0], route.Stops[:k]...), s), route.Stops[k:]...)
			if c, ok := exactRoute(in, trial, route.VehicleType); ok && c-old < bestDelta {
				bestR, bestK, bestDelta = r, k, c-old
			}
		}
	}
	bestT := -1
	for t, vt := range in.VehicleTypes {
		if vt.Count != Unlimited && used[t] >= vt.Count {
			continue
		}
		if c, ok := exactRoute(in, []int{s}, t); ok && c < bestDelta {
			bestT, bestDelta = t, c
		}
	}
	switch {
	case bestT >= 0:
		used[bestT]++
		*routes = append(*routes, Route{VehicleType: bestT, Stops: []int{s}})
	case bestR >= 0:
		st := (*routes)[bestR].Stops
		(*routes)[bestR].Stops = append(append(append([]int{}, st[:bestK]...), s), st[bestK:]...)
	default:
		return false
	}
	return true
}
