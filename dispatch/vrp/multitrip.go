package vrp

// Multi-trip vans: the search plans the trips itself, with reload copies of
// the depot in its routes (reload.go). What is left here is the exact end of
// it: each day is checked by RouteTimeline (several windows per stop
// included, which the search only approximates); a day that breaks a rule
// gives up stops until it holds, and those stops go back where they cost
// least, in any trip, as a trip of their own or on a free van, or are
// reported with code fleet.

import (
	"fmt"
	"slices"
)

// multiTrip tells whether some vehicle type may drive more than one trip.
func multiTrip(in *Instance) bool {
	for t := range in.VehicleTypes {
		if in.VehicleTypes[t].Trips() > 1 && in.VehicleTypes[t].Count != 0 {
			return true
		}
	}
	return false
}

// finaliseTrips is finalise for routes with reloads.
func finaliseTrips(in *Instance, routes []Route, unassigned []Unassigned) *Solution {
	var removed []int
	used := make([]int, len(in.VehicleTypes))
	for r := range routes {
		removed = append(removed, shedTrips(in, &routes[r])...)
		t := routes[r].VehicleType
		if len(routes[r].Stops) == 0 {
			continue
		}
		if c := in.VehicleTypes[t].Count; c != Unlimited && used[t] >= c {
			removed = append(removed, routes[r].Stops...) // defensive, as in finalise
			routes[r] = Route{VehicleType: t}
			continue
		}
		used[t]++
	}
	routes = slices.DeleteFunc(routes, func(r Route) bool { return len(r.Stops) == 0 })
	for _, s := range removed {
		v, r, added := bestInsertion(in, routes, s)
		bestT, alone := -1, int64(0)
		for t, vt := range in.VehicleTypes {
			if vt.Count != Unlimited && used[t] >= vt.Count {
				continue
			}
			if tl, err := RouteTimeline(in, Route{VehicleType: t, Stops: []int{s}}); err == nil && (bestT < 0 || tl.Cost < alone) {
				bestT, alone = t, tl.Cost
			}
		}
		switch {
		case bestT >= 0 && (v < 0 || alone < added):
			used[bestT]++
			routes = append(routes, Route{VehicleType: bestT, Stops: []int{s}})
		case v >= 0:
			routes[v] = r
		default:
			unassigned = append(unassigned, Unassigned{Stop: s, Code: CodeFleet, Reason: fmt.Sprintf(
				"stop %s: the limited fleet has no van whose day can take it; add a vehicle or lengthen a shift", in.Stops[s].ID)})
		}
	}
	sol := &Solution{Routes: routes, Unassigned: unassigned}
	for _, r := range routes {
		tl, _ := RouteTimeline(in, r)
		sol.Cost += tl.Cost
	}
	return sol
}

// shedTrips removes stops from an infeasible day until it holds, each time
// the one whose removal leaves the cheapest day, preferring removals that
// restore feasibility; a trip left empty disappears with its reload.
func shedTrips(in *Instance, r *Route) []int {
	var removed []int
	for len(r.Stops) > 0 {
		if _, err := RouteTimeline(in, *r); err == nil {
			break
		}
		trips := r.Trips()
		best, bestOK, bestCost := Route{}, false, int64(0)
		for j := range trips {
			for k := range trips[j] {
				cand := slices.Clone(trips)
				cand[j] = slices.Delete(slices.Clone(trips[j]), k, k+1)
				day := dayRoute(r.VehicleType, cand)
				if tl, err := RouteTimeline(in, day); err == nil && (!bestOK || tl.Cost < bestCost) {
					best, bestOK, bestCost = day, true, tl.Cost
				}
			}
		}
		if !bestOK { // nothing helps alone: drop the last visit
			last := slices.Clone(trips)
			j := len(last) - 1
			last[j] = last[j][:len(last[j])-1]
			best = dayRoute(r.VehicleType, last)
		}
		removed = append(removed, missing(r.Stops, best.Stops))
		*r = best
	}
	return removed
}

// missing is the one element of a that b lacks (b is a without it).
func missing(a, b []int) int {
	for k := range b {
		if a[k] != b[k] {
			return a[k]
		}
	}
	return a[len(a)-1]
}

// bestInsertion is the van, its new day and the added cost of the cheapest
// feasible place for stop s (van −1 when there is none).
func bestInsertion(in *Instance, vans []Route, s int) (int, Route, int64) {
	bestVan, bestCost := -1, int64(0)
	var best Route
	for v, r := range vans {
		old, err := RouteTimeline(in, r)
		if err != nil {
			continue
		}
		trips := r.Trips()
		try := func(cand Route) {
			if tl, err := RouteTimeline(in, cand); err == nil && (bestVan < 0 || tl.Cost-old.Cost < bestCost) {
				bestVan, bestCost, best = v, tl.Cost-old.Cost, cand
			}
		}
		for j := range trips {
			for k := 0; k <= len(trips[j]); k++ {
				cand := slices.Clone(trips)
				cand[j] = slices.Insert(slices.Clone(trips[j]), k, s)
				try(dayRoute(r.VehicleType, cand))
			}
		}
		if len(trips) < in.VehicleTypes[r.VehicleType].Trips() {
			for j := 0; j <= len(trips); j++ {
				try(dayRoute(r.VehicleType, slices.Insert(slices.Clone(trips), j, []int{s})))
			}
		}
	}
	return bestVan, best, bestCost
}

// dayRoute joins trips into one route with a reload between each two.
func dayRoute(t int, trips [][]int) Route {
	r := Route{VehicleType: t}
	for _, stops := range trips {
		if len(stops) == 0 {
			continue // an empty trip is no trip
		}
		if len(r.Stops) > 0 {
			r.Reloads = append(r.Reloads, len(r.Stops))
		}
		r.Stops = append(r.Stops, stops...)
	}
	return r
}
