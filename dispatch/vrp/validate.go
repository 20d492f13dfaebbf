package vrp

// The independent validator. It is written from the model in instance.go
// alone and shares no code with the search, so that a bug in one is caught by
// the other: every benchmark solution and every solution Solve returns can be
// checked here before anyone trusts its cost.

import (
	"errors"
	"fmt"
)

// Timeline is the schedule of one non-empty route as the validator sees it:
// when it leaves, when it reaches each stop, what it carries.
type Timeline struct {
	Departure int64 // leaves the depot (as late as possible, see Evaluate)
	Return    int64 // back at the depot
	Duration  int64 // Return − Departure
	Distance  int64 // sum of the legs' distances
	Travel    int64 // sum of the legs' travel times
	Service   int64 // sum of the stops' service times
	Waiting   int64 // sum of the waiting before service
	Cost      int64 // FixedCost + DistanceCost×Distance + TimeCost×Duration
	// StartLoad is the load leaving the depot: the sum of the deliveries.
	StartLoad Amount
	Steps     []StepTime // one per stop, in route order
}

// StepTime is one visit of a Timeline.
type StepTime struct {
	Arrival  int64  // reaches the stop
	Waiting  int64  // waits for the time window to open
	Start    int64  // service starts: Arrival + Waiting
	Distance int64  // distance driven since the departure, up to this stop
	Load     Amount // load on board after the stop's delivery and pickup
}

// Validate reports the first way s breaks the rules of in, or nil when s is a
// feasible solution: every stop appears exactly once across the routes and
// the unassigned list, each route's vehicle type exists and is used no more
// often than its Count, and each route passes RouteTimeline's checks (skills,
// load, time windows, shift, depot window, duration and distance limits).
// It does not check s.Cost; compare it with Evaluate for that.
func Validate(in *Instance, s *Solution) error {
	if in == nil || s == nil {
		return errors.New("validate: nil instance or solution")
	}
	if err := checkInstance(in); err != nil {
		return err
	}
	seen := make([]int, len(in.Stops)) // 0: not seen, else 1 + route index or -1 for unassigned
	used := make([]int, len(in.VehicleTypes))
	for r, route := range s.Routes {
		if route.VehicleType < 0 || route.VehicleType >= len(in.VehicleTypes) {
			return fmt.Errorf("route %d: vehicle type %d does not exist (the instance has %d)", r+1, route.VehicleType, len(in.VehicleTypes))
		}
		for _, st := range route.Stops {
			if st < 0 || st >= len(in.Stops) {
				return fmt.Errorf("route %d: stop %d does not exist (the instance has %d stops)", r+1, st, len(in.Stops))
			}
			if seen[st] != 0 {
				return fmt.Errorf("route %d: stop %d (%s) is visited twice", r+1, st, in.Stops[st].ID)
			}
			seen[st] = r + 1
		}
		if len(route.Stops) == 0 {
			continue // an empty route uses no vehicle
		}
		used[route.VehicleType]++
		if _, err := RouteTimeline(in, route); err != nil {
			return fmt.Errorf("route %d: %w", r+1, err)
		}
	}
	for _, u := range s.Unassigned {
		if u.Stop < 0 || u.Stop >= len(in.Stops) {
			return fmt.Errorf("unassigned: stop %d does not exist (the instance has %d stops)", u.Stop, len(in.Stops))
		}
		if seen[u.Stop] != 0 {
			return fmt.Errorf("unassigned: stop %d (%s) is also routed or listed twice", u.Stop, in.Stops[u.Stop].ID)
		}
		seen[u.Stop] = -1
	}
	for i, v := range seen {
		if v == 0 {
			return fmt.Errorf("stop %d (%s) is neither routed nor unassigned", i, in.Stops[i].ID)
		}
	}
	for t, n := range used {
		if c := in.VehicleTypes[t].Count; c != Unlimited && n > c {
			return fmt.Errorf("vehicle type %d (%s): %d routes but only %d vehicles", t, in.VehicleTypes[t].Name, n, c)
		}
	}
	return nil
}

// Evaluate validates s and recomputes its objective: the sum over non-empty
// routes of
//
//	FixedCost + DistanceCost×distance + TimeCost×duration
//
// of the route's vehicle type. Empty routes cost nothing and unassigned stops
// add nothing (the model has no penalty for them). distance is the sum of
// Dist over the legs depot → stops → depot. duration = Return − Departure as
// defined by RouteTimeline: the route leaves as late as it can without
// returning any later, so waiting that a later departure would avoid is not
// paid for.
func Evaluate(in *Instance, s *Solution) (int64, error) {
	if err := Validate(in, s); err != nil {
		return 0, err
	}
	var cost int64
	for _, route := range s.Routes {
		if len(route.Stops) == 0 {
			continue
		}
		tl, err := RouteTimeline(in, route)
		if err != nil {
			return 0, err // unreachable: Validate checked every route
		}
		cost += tl.Cost
	}
	return cost, nil
}

// RouteTimeline checks one non-empty route and returns its schedule. The
// schedule is defined in three passes over the route's nodes 0, s1…sk, 0
// (matrix node of stop i is i+1; travel time is Instance.Time):
//
//  1. Earliest schedule. e0 = max(ShiftStart, DepotWindow.Start). From a
//     departure at time D, service at each stop starts at the earliest moment
//     ≥ its arrival that lies in one of its windows (any time when it has
//     none); it is infeasible when the arrival is after every window's End.
//     R0 = the return time of the earliest schedule (from D = e0); it must be
//     ≤ min(ShiftEnd, DepotWindow.End).
//  2. Latest departure. Backwards from Lk+1 = R0: the latest start at stop i
//     is the largest t in its windows with t + Service + Time(i, next) ≤ the
//     latest start at the next node (the depot's is R0); the departure is
//     D* = L1 − Time(0, s1). D* ≥ e0 always, and a departure at D* returns at
//     R0 too.
//  3. The reported schedule is the earliest schedule from D*; Duration =
//     R0 − D*, Waiting is what remains of it.
//
// Loads follow simultaneous pickup and delivery: the vehicle leaves with the
// sum of the route's deliveries; after each stop it carries load − Delivery +
// Pickup; on every dimension each of these loads must be ≤ Capacity. The
// vehicle type must hold every skill of every stop; Duration must be ≤
// MaxDuration and Distance ≤ MaxDistance when those are set (> 0).
func RouteTimeline(in *Instance, route Route) (*Timeline, error) {
	if route.VehicleType < 0 || route.VehicleType >= len(in.VehicleTypes) {
		return nil, fmt.Errorf("vehicle type %d does not exist", route.VehicleType)
	}
	if len(route.Stops) == 0 {
		return nil, errors.New("the route is empty")
	}
	vt := &in.VehicleTypes[route.VehicleType]
	tl := &Timeline{Steps: make([]StepTime, len(route.Stops))}
	for _, st := range route.Stops {
		if st < 0 || st >= len(in.Stops) {
			return nil, fmt.Errorf("stop %d does not exist", st)
		}
		stop := &in.Stops[st]
		if stop.Skills&^vt.Skills != 0 {
			return nil, fmt.Errorf("stop %d (%s) needs skills vehicle type %d (%s) lacks", st, stop.ID, route.VehicleType, vt.Name)
		}
		for d := range MaxDims {
			tl.StartLoad[d] += stop.Delivery[d]
		}
	}
	if err := checkLoad(in, vt, tl.StartLoad, -1); err != nil {
		return nil, err
	}
	load := tl.StartLoad
	for k, st := range route.Stops {
		stop := &in.Stops[st]
		for d := range MaxDims {
			load[d] += stop.Pickup[d] - stop.Delivery[d]
		}
		if err := checkLoad(in, vt, load, st); err != nil {
			return nil, err
		}
		tl.Steps[k].Load = load
	}

	// Pass 1: the earliest schedule and its return time.
	e0 := max(vt.ShiftStart, in.DepotWindow.Start)
	end := min(vt.ShiftEnd, in.DepotWindow.End)
	if err := tl.forward(in, route, e0); err != nil {
		return nil, err
	}
	if tl.Return > end {
		return nil, fmt.Errorf("returns to the depot at %d, after the shift or depot closing at %d", tl.Return, end)
	}
	r0 := tl.Return

	// Pass 2: the latest start at each stop that still returns at r0.
	latest := r0
	next := 0
	for k := len(route.Stops) - 1; k >= 0; k-- {
		st := route.Stops[k]
		stop := &in.Stops[st]
		t, ok := latestIn(stop.TimeWindows, latest-stop.Service-in.Time(st+1, next))
		if !ok {
			return nil, fmt.Errorf("internal: no latest start at stop %d", st) // unreachable when pass 1 succeeded
		}
		latest, next = t, st+1
	}
	dep := latest - in.Time(0, next)

	// Pass 3: the reported schedule from the latest departure.
	if err := tl.forward(in, route, dep); err != nil || tl.Return != r0 {
		return nil, fmt.Errorf("internal: departure at %d does not return at %d", dep, r0)
	}
	tl.Duration = tl.Return - tl.Departure
	if vt.MaxDuration > 0 && tl.Duration > vt.MaxDuration {
		return nil, fmt.Errorf("lasts %d, longer than the vehicle type's limit %d", tl.Duration, vt.MaxDuration)
	}
	if vt.MaxDistance > 0 && tl.Distance > vt.MaxDistance {
		return nil, fmt.Errorf("drives %d, farther than the vehicle type's limit %d", tl.Distance, vt.MaxDistance)
	}
	tl.Cost = vt.FixedCost + vt.DistanceCost*tl.Distance + vt.TimeCost*tl.Duration
	return tl, nil
}

// forward computes the earliest schedule of route from a departure at dep.
func (tl *Timeline) forward(in *Instance, route Route, dep int64) error {
	tl.Departure, tl.Distance, tl.Travel, tl.Service, tl.Waiting = dep, 0, 0, 0, 0
	t, prev := dep, 0
	for k, st := range route.Stops {
		stop := &in.Stops[st]
		node := st + 1
		t += in.Time(prev, node)
		tl.Travel += in.Time(prev, node)
		tl.Distance += in.Dist(prev, node)
		start, ok := earliestIn(stop.TimeWindows, t)
		if !ok {
			return fmt.Errorf("reaches stop %d (%s) at %d, after its last time window closes", st, stop.ID, t)
		}
		s := &tl.Steps[k]
		s.Arrival, s.Waiting, s.Start, s.Distance = t, start-t, start, tl.Distance
		tl.Waiting += start - t
		tl.Service += stop.Service
		t = start + stop.Service
		prev = node
	}
	t += in.Time(prev, 0)
	tl.Travel += in.Time(prev, 0)
	tl.Distance += in.Dist(prev, 0)
	tl.Return = t
	return nil
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

// checkInstance guards the validator against instances it cannot read.
func checkInstance(in *Instance) error {
	n := in.N()
	if len(in.Distance) != n*n {
		return fmt.Errorf("instance: distance matrix has %d entries, want %d×%d", len(in.Distance), n, n)
	}
	if in.Duration != nil && len(in.Duration) != n*n {
		return fmt.Errorf("instance: duration matrix has %d entries, want %d×%d", len(in.Duration), n, n)
	}
	if in.Dims < 1 || in.Dims > MaxDims {
		return fmt.Errorf("instance: Dims = %d, want 1..%d", in.Dims, MaxDims)
	}
	return nil
}
