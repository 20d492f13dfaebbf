package vrp

// Exact packing of trips into vans' days. When each trip is planned as if
// it had a van of its own (tripInstance), what remains is a scheduling
// problem: give each trip a van and a place in that van's day so that
// every trip still leaves after its release and after the van's previous
// return plus the reload time, and still meets its windows. Distance does
// not change, so a packing of the relaxation's trips is as cheap as the
// relaxation, a lower bound of the multi-trip problem when its trips are
// optimal (the "route first, schedule second" view of Taillard, Laporte
// and Gendreau 1996; Cattaruzza, Absi and Feillet 2016, §4, likewise
// assign the trips of their Split to vehicles in a second step). It is
// parallel-machine scheduling with release dates and deadlines, NP-hard,
// but the days of a county hold a few trips each: a depth-first search
// that tries each trip in each van at each place in its day (vans with no
// trip yet being alike, only the first of them) finds a packing or proves
// there is none within a budget of day evaluations, where the greedy
// packTrips, one order and one choice per trip, gives trips up.

import (
	"cmp"
	"slices"
)

// packBudget is how many van days packExact evaluates at most.
const packBudget = 200_000

// packer holds packExact's state.
type packer struct {
	in       *Instance
	vt       *VehicleType
	trips    [][]int // stops of each trip
	release  []int64 // latest release of each trip's stops
	vans     [][]int // trip indices of each van's day, in order
	maxVans  int
	e0, end  int64
	budget   int
	exceeded bool
}

// packExact packs one-trip routes of vehicle type t into at most Count
// vans' days, or reports false when the search found no packing within
// packBudget (or there is none). Every day it returns passes RouteTimeline.
func packExact(in *Instance, t int, trips []Route) ([]Route, bool) {
	vt := &in.VehicleTypes[t]
	pk := &packer{in: in, vt: vt, budget: packBudget, maxVans: vt.Count,
		e0: max(vt.ShiftStart, in.DepotWindow.Start), end: min(vt.ShiftEnd, in.DepotWindow.End)}
	if pk.maxVans == Unlimited {
		pk.maxVans = len(trips)
	}
	dur := make([]int64, 0, len(trips))
	for _, r := range trips {
		tl, err := RouteTimeline(in, Route{VehicleType: t, Stops: r.Stops})
		if err != nil {
			return nil, false // a trip infeasible alone: not a packing problem
		}
		pk.trips = append(pk.trips, r.Stops)
		pk.release = append(pk.release, tl.Trips[0].Release)
		dur = append(dur, tl.Duration)
	}
	// longest trips first, as in bin packing: they constrain most
	order := make([]int, len(pk.trips))
	for j := range order {
		order[j] = j
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(dur[b], dur[a]) })
	if !pk.place(order) {
		return nil, false
	}
	vans := make([]Route, 0, len(pk.vans))
	for _, day := range pk.vans {
		ts := make([][]int, len(day))
		for k, j := range day {
			ts[k] = pk.trips[j]
		}
		r := dayRoute(t, ts)
		if _, err := RouteTimeline(in, r); err != nil {
			return nil, false // a limit the search does not see (duration, distance, stops)
		}
		vans = append(vans, r)
	}
	return vans, true
}

// place packs the trips of order, the rest already in pk.vans.
func (pk *packer) place(order []int) bool {
	if len(order) == 0 {
		return true
	}
	j := order[0]
	for v := range pk.vans {
		day := pk.vans[v]
		if len(day) >= pk.vt.Trips() {
			continue
		}
		for pos := 0; pos <= len(day); pos++ {
			cand := slices.Insert(slices.Clone(day), pos, j)
			if !pk.feasible(cand) {
				if pk.exceeded {
					return false
				}
				continue
			}
			pk.vans[v] = cand
			if pk.place(order[1:]) {
				return true
			}
			pk.vans[v] = day
			if pk.exceeded {
				return false
			}
		}
	}
	if len(pk.vans) < pk.maxVans { // a van of its own, the first free one only
		pk.vans = append(pk.vans, []int{j})
		if pk.place(order[1:]) {
			return true
		}
		pk.vans = pk.vans[:len(pk.vans)-1]
	}
	return false
}

// feasible tells whether a van can drive the trips of day in that order,
// each as early as it can (the earliest schedule decides feasibility:
// arriving earlier never breaks a window, waiting being allowed).
func (pk *packer) feasible(day []int) bool {
	if pk.budget--; pk.budget < 0 {
		pk.exceeded = true
		return false
	}
	t := pk.e0
	for k, j := range day {
		if k > 0 {
			t += pk.vt.ReloadTime
		}
		ret, ok := tripReturn(pk.in, pk.trips[j], max(t, pk.release[j]))
		if !ok {
			return false
		}
		t = ret
	}
	return t <= pk.end
}

// tripReturn is when a trip over stops that leaves the depot at dep is back
// there, serving each stop as early as it can, or false when it reaches a
// stop after its last window.
func tripReturn(in *Instance, stops []int, dep int64) (int64, bool) {
	t, prev, prevStop := dep, 0, -1
	for _, st := range stops {
		s := &in.Stops[st]
		t += in.legTime(prev, st+1)
		start, ok := earliestIn(s.TimeWindows, t)
		if !ok {
			return 0, false
		}
		t = start + in.setupAt(prevStop, st) + s.Service
		prev, prevStop = st+1, st
	}
	return t + in.legTime(prev, 0), true
}
