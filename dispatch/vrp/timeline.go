package vrp

// The validator's schedule of one route (see validate.go): written from the
// model alone, sharing nothing with the search.

import (
	"errors"
	"fmt"
)

// RouteTimeline checks one non-empty route and returns its schedule. A
// route drives one trip, or for a multi-trip vehicle type the trips its
// Reloads mark; between two trips the van spends ReloadTime at the depot. The
// schedule is defined in three passes over the route's nodes Start, s1…sk,
// End (with a 0, the depot, between trips; matrix node of stop i is i+1;
// travel time is Instance.Time; a leg from or to an absent end, NoPlace, is
// 0 long and takes no time):
//
//  1. Earliest schedule. e0 = max(ShiftStart, DepotWindow.Start). From a
//     day's start at time D, trip j leaves at max(D, Rel) for the first trip
//     and max(return of trip j−1 + ReloadTime, Rel) after, where Rel is the
//     largest Release of the trip's stops; service at each stop starts at
//     the earliest moment ≥ its arrival that lies in one of its windows (any
//     time when it has none); it is infeasible when the arrival is after
//     every window's End. R0 = the return time of the earliest schedule
//     (from D = e0); it must be ≤ min(ShiftEnd, DepotWindow.End).
//  2. Latest departure. Backwards from the last return at R0: the latest
//     start at stop i is the largest t in its windows with t + Service +
//     Time(i, next) ≤ the latest time at the next node; a trip's latest
//     departure is its first stop's latest start − Time(from, first), and the
//     previous trip's latest return is that − ReloadTime. D* = the first
//     trip's latest departure. D* ≥ e0 always, and a start at D* returns at
//     R0 too.
//  3. The reported schedule is the earliest schedule from D*; Duration =
//     R0 − D*, Waiting is what remains of it besides travel, service and
//     reloads.
//
// Loads follow simultaneous pickup and delivery, per trip: the vehicle
// leaves with the sum of the trip's deliveries (a shipment's delivery half
// excepted: its goods board at its pickup); after each stop it carries
// load − Delivery + Pickup; on every dimension each of these loads must be ≤
// Capacity. The vehicle type must hold every skill of every stop; the number
// of trips must be ≤ MaxTrips; Duration must be ≤ MaxDuration, Distance ≤
// MaxDistance, Travel ≤ MaxTravelTime and the stops ≤ MaxStops when those are
// set (> 0). A stop's visit lasts Setup + Service from the start of service,
// Setup being 0 after a stop of the same Site (vroomfields.go). Breaks
// (breaks.go) are taken where the van is, between the previous service (or
// the departure) and the next leg, each starting at the earliest moment in
// one of its windows and lasting its Service, with at most its MaxLoad on
// board.
func RouteTimeline(in *Instance, route Route) (*Timeline, error) {
	if route.VehicleType < 0 || route.VehicleType >= len(in.VehicleTypes) {
		return nil, fmt.Errorf("vehicle type %d does not exist", route.VehicleType)
	}
	if len(route.Stops) == 0 {
		return nil, errors.New("the route is empty")
	}
	vt := &in.VehicleTypes[route.VehicleType]
	for i, k := range route.Reloads {
		if k < 1 || k >= len(route.Stops) || i > 0 && k <= route.Reloads[i-1] {
			return nil, fmt.Errorf("reload %d at position %d: reloads must be strictly increasing positions in 1..%d, between two stops", i+1, k, len(route.Stops)-1)
		}
	}
	if trips := len(route.Reloads) + 1; trips > vt.Trips() {
		return nil, fmt.Errorf("drives %d trips but vehicle type %d (%s) may drive %d", trips, route.VehicleType, vt.Name, vt.Trips())
	}
	if err := checkRouteBreaks(in, route); err != nil {
		return nil, err
	}
	tl := &Timeline{Steps: make([]StepTime, len(route.Stops)), Breaks: make([]BreakTime, len(route.Breaks))}
	ends := append(append(make([]int, 0, len(route.Reloads)+1), route.Reloads...), len(route.Stops))
	from := 0
	for _, k := range ends {
		trip := TripTime{First: from, End: k}
		for _, st := range route.Stops[from:k] {
			if st < 0 || st >= len(in.Stops) {
				return nil, fmt.Errorf("stop %d does not exist", st)
			}
			stop := &in.Stops[st]
			if stop.Skills&^vt.Skills != 0 {
				return nil, fmt.Errorf("stop %d (%s) needs skills vehicle type %d (%s) lacks", st, stop.ID, route.VehicleType, vt.Name)
			}
			for d := range MaxDims {
				trip.StartLoad[d] += stop.depotDelivery(d) // a shipment's delivery was loaded at its pickup
			}
			trip.Release = max(trip.Release, stop.Release)
		}
		if err := checkLoad(in, vt, trip.StartLoad, -1); err != nil {
			return nil, tripErr(len(tl.Trips), len(route.Reloads), err)
		}
		load := trip.StartLoad
		for k := trip.First; k < trip.End; k++ {
			if err := tl.breakLoads(in, vt, route, k, load); err != nil {
				return nil, err
			}
			stop := &in.Stops[route.Stops[k]]
			for d := range MaxDims {
				load[d] += stop.Pickup[d] - stop.Delivery[d]
			}
			if err := checkLoad(in, vt, load, route.Stops[k]); err != nil {
				return nil, tripErr(len(tl.Trips), len(route.Reloads), err)
			}
			tl.Steps[k].Load = load
		}
		if trip.End == len(route.Stops) {
			if err := tl.breakLoads(in, vt, route, trip.End, load); err != nil {
				return nil, err
			}
		}
		tl.Trips = append(tl.Trips, trip)
		from = k
	}
	tl.StartLoad = tl.Trips[0].StartLoad

	// Pass 1: the earliest schedule and its return time.
	e0 := max(vt.ShiftStart, in.DepotWindow.Start)
	end := min(vt.ShiftEnd, in.DepotWindow.End)
	if err := tl.forward(in, vt, route, e0); err != nil {
		return nil, err
	}
	if tl.Return > end {
		return nil, fmt.Errorf("returns to the depot at %d, after the shift or depot closing at %d", tl.Return, end)
	}
	r0 := tl.Return

	// Pass 2: the latest start at each stop that still returns at r0.
	latest := r0
	for j := len(tl.Trips) - 1; j >= 0; j-- {
		trip := &tl.Trips[j]
		next := tripEnd(vt, j, len(tl.Trips))
		for k := trip.End - 1; k >= trip.First; k-- {
			st := route.Stops[k]
			stop := &in.Stops[st]
			// latest is the latest start at next: leave st by latest − leg,
			// after the breaks taken there
			l, ok := latestBreaks(vt, route, k+1, latest-in.legTime(st+1, next))
			t, ok2 := latestIn(stop.TimeWindows, l-stop.Service-in.setupAt(prevStop(route, trip, k), st))
			if !ok || !ok2 {
				return nil, fmt.Errorf("internal: no latest start at stop %d", st) // unreachable when pass 1 succeeded
			}
			latest, next = t, st+1
		}
		latest -= in.legTime(tripStart(vt, j), next) // the trip's latest departure
		if j == 0 {
			l, ok := latestBreaks(vt, route, 0, latest) // breaks at the start
			if !ok {
				return nil, errors.New("internal: no latest start of the breaks at the start")
			}
			latest = l
		}
		if j > 0 {
			latest -= vt.ReloadTime // the previous trip's latest return
		}
	}
	dep := latest

	// Pass 3: the reported schedule from the latest departure.
	if err := tl.forward(in, vt, route, dep); err != nil || tl.Return != r0 {
		return nil, fmt.Errorf("internal: departure at %d does not return at %d", dep, r0)
	}
	tl.Duration = tl.Return - tl.Departure
	if vt.MaxDuration > 0 && tl.Duration > vt.MaxDuration {
		return nil, fmt.Errorf("lasts %d, longer than the vehicle type's limit %d", tl.Duration, vt.MaxDuration)
	}
	if vt.MaxDistance > 0 && tl.Distance > vt.MaxDistance {
		return nil, fmt.Errorf("drives %d, farther than the vehicle type's limit %d", tl.Distance, vt.MaxDistance)
	}
	if vt.MaxTravelTime > 0 && tl.Travel > vt.MaxTravelTime {
		return nil, fmt.Errorf("travels %d, longer than the vehicle type's max travel time %d", tl.Travel, vt.MaxTravelTime)
	}
	if vt.MaxStops > 0 && len(route.Stops) > vt.MaxStops {
		return nil, fmt.Errorf("serves %d stops, more than the vehicle type's max of %d", len(route.Stops), vt.MaxStops)
	}
	tl.Cost = vt.FixedCost + vt.DistanceCost*tl.Distance + vt.TimeCost*tl.Duration + vt.TravelTimeCost*tl.Travel + in.overWork(tl.Duration)
	return tl, nil
}

// tripErr names the trip of a multi-trip route an error is in.
func tripErr(j, reloads int, err error) error {
	if reloads == 0 {
		return err
	}
	return fmt.Errorf("trip %d: %w", j+1, err)
}

// forward computes the earliest schedule of route from a day's start at
// dep; tl.Trips must hold the trips' bounds and release times.
func (tl *Timeline) forward(in *Instance, vt *VehicleType, route Route, dep int64) error {
	tl.Distance, tl.Travel, tl.Service, tl.Waiting, tl.Reload, tl.BreakService, tl.Setup = 0, 0, 0, 0, 0, 0, 0
	t := dep
	for j := range tl.Trips {
		trip := &tl.Trips[j]
		if j > 0 {
			t += vt.ReloadTime
			tl.Reload += vt.ReloadTime
		}
		leave := max(t, trip.Release)
		if j == 0 {
			tl.Departure = leave
		} else {
			tl.Waiting += leave - t
		}
		t, trip.Departure = leave, leave
		prev := tripStart(vt, j)
		for k := trip.First; k < trip.End; k++ {
			if err := tl.takeBreaks(vt, route, k, &t); err != nil {
				return err
			}
			st := route.Stops[k]
			stop := &in.Stops[st]
			node := st + 1
			t += in.legTime(prev, node)
			tl.Travel += in.legTime(prev, node)
			tl.Distance += in.legDist(prev, node)
			start, ok := earliestIn(stop.TimeWindows, t)
			if !ok {
				return tripErr(j, len(tl.Trips)-1, fmt.Errorf("reaches stop %d (%s) at %d, after its last time window closes", st, stop.ID, t))
			}
			s := &tl.Steps[k]
			s.Arrival, s.Waiting, s.Start, s.Distance = t, start-t, start, tl.Distance
			tl.Waiting += start - t
			s.Setup = in.setupAt(prevStop(route, trip, k), st)
			tl.Service += stop.Service
			tl.Setup += s.Setup
			t = start + s.Setup + stop.Service
			prev = node
		}
		if trip.End == len(route.Stops) {
			if err := tl.takeBreaks(vt, route, trip.End, &t); err != nil {
				return err
			}
		}
		end := tripEnd(vt, j, len(tl.Trips))
		t += in.legTime(prev, end)
		tl.Travel += in.legTime(prev, end)
		tl.Distance += in.legDist(prev, end)
		trip.Return = t
	}
	tl.Return = t
	return nil
}

// prevStop is the stop before position k of route on trip (−1: the trip's
// start, which counts as another place for setup).
func prevStop(route Route, trip *TripTime, k int) int {
	if k > trip.First {
		return route.Stops[k-1]
	}
	return -1
}

// tripStart is where trip j of a van of type vt leaves from: the van's
// Start for the first trip (NoPlace: it begins at its first stop, the leg
// is free), the depot after a reload.
func tripStart(vt *VehicleType, j int) int {
	if j == 0 {
		return vt.Start
	}
	return 0
}

// tripEnd is where trip j of trips ends: the van's End for the last, the
// depot before a reload.
func tripEnd(vt *VehicleType, j, trips int) int {
	if j == trips-1 {
		return vt.End
	}
	return 0
}

// earliestIn is the earliest time ≥ t inside one of ws (t itself when ws is
// empty), or false when t is after every window.
func earliestIn(ws []TimeWindow, t int64) (int64, bool) {
	if len(ws) == 0 {
		return t, true
	}
	best, ok := int64(0), false
	for _, w := range ws {
		if t > w.End {
			continue
		}
		c := max(t, w.Start)
		if !ok || c < best {
			best, ok = c, true
		}
	}
	return best, ok
}

// latestIn is the latest time ≤ t inside one of ws (t itself when ws is
// empty), or false when t is before every window.
func latestIn(ws []TimeWindow, t int64) (int64, bool) {
	if len(ws) == 0 {
		return t, true
	}
	best, ok := int64(0), false
	for _, w := range ws {
		if t < w.Start {
			continue
		}
		c := min(t, w.End)
		if !ok || c > best {
			best, ok = c, true
		}
	}
	return best, ok
}

// checkLoad checks the load leaving the depot (st = −1) or stop st.
func checkLoad(in *Instance, vt *VehicleType, load Amount, st int) error {
	where := func() string {
		if st < 0 {
			return "leaving the depot"
		}
		return fmt.Sprintf("after stop %d (%s)", st, in.Stops[st].ID)
	}
	for d := range in.Dims {
		if load[d] > vt.Capacity[d] {
			return fmt.Errorf("load %d on dimension %d %s exceeds capacity %d of %s", load[d], d, where(), vt.Capacity[d], vt.Name)
		}
	}
	for d := in.Dims; d < MaxDims; d++ {
		if load[d] != 0 {
			return fmt.Errorf("load on unused dimension %d %s", d, where())
		}
	}
	return nil
}
