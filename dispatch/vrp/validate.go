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
// when it leaves, when it reaches each stop, what it carries. For a
// multi-trip van it covers the whole day; Trips has one entry per trip.
type Timeline struct {
	Departure int64 // leaves its start on its first trip (as late as possible, see Evaluate); with no start, the arrival at its first stop
	Return    int64 // at its end after its last trip; with no end, when service at its last stop ends
	Duration  int64 // Return − Departure
	Distance  int64 // sum of the legs' distances
	Travel    int64 // sum of the legs' travel times
	Service   int64 // sum of the stops' service times
	Waiting   int64 // sum of the waiting before service and before each trip's departure
	Reload    int64 // sum of the reload times between trips
	Cost      int64 // FixedCost + DistanceCost×Distance + TimeCost×Duration + TravelTimeCost×Travel
	// StartLoad is the load leaving the depot on the first trip: the sum of
	// its deliveries.
	StartLoad Amount
	Steps     []StepTime // one per stop, in route order
	Trips     []TripTime // one per trip, in order
	// Breaks has one entry per Route.Breaks, in order; BreakService is the
	// sum of their services (breaks.go).
	Breaks       []BreakTime
	BreakService int64
	Setup        int64 // sum of the setups spent (vroomfields.go)
}

// StepTime is one visit of a Timeline.
type StepTime struct {
	Arrival  int64  // reaches the stop
	Waiting  int64  // waits for the time window to open
	Start    int64  // service starts: Arrival + Waiting
	Setup    int64  // spent before the service (0 after a stop of the same Site)
	Distance int64  // distance driven since the day's first departure, up to this stop
	Load     Amount // load on board after the stop's delivery and pickup
}

// TripTime is one trip of a Timeline: from a departure to the next return.
type TripTime struct {
	First, End int    // Steps[First:End] are the trip's stops
	Departure  int64  // leaves the depot, loaded
	Return     int64  // back at the depot
	Release    int64  // the latest release time of the goods it carries
	StartLoad  Amount // the sum of its deliveries
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
	if err := checkShipments(in); err != nil {
		return err
	}
	seen := make([]int, len(in.Stops)) // 0: not seen, else 1 + route index or -1 for unassigned
	used := make([]int, len(in.VehicleTypes))
	pos := map[int]int{}
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
		if err := checkRoutePairs(in, r, route, pos); err != nil {
			return err
		}
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
	if err := pairedUnassigned(in, seen); err != nil {
		return err
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
//	FixedCost + DistanceCost×distance + TimeCost×duration + TravelTimeCost×travel
//
// of the route's vehicle type. Empty routes cost nothing and unassigned stops
// add nothing (the model has no penalty for them). distance is the sum of
// Dist over the legs start → stops → end (the vehicle type's Start and End,
// the depot by default; a leg from or to an absent end is 0). duration =
// Return − Departure as
// defined by RouteTimeline: the route leaves as late as it can without
// returning any later, so waiting that a later departure would avoid is not
// paid for. travel is the sum of Time over the same legs: no service, waiting
// or reload time (VROOM's per_hour prices only this).
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
	for t, vt := range in.VehicleTypes {
		if vt.Start < NoPlace || vt.Start >= n || vt.End < NoPlace || vt.End >= n {
			return fmt.Errorf("instance: vehicle type %d: start %d and end %d must be matrix nodes or NoPlace", t, vt.Start, vt.End)
		}
	}
	return nil
}
