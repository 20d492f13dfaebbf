package vrp

// Breaks: a driver's pause that every route of a vehicle type takes once,
// with VROOM's semantics (docs/API.md of VROOM-Project/vroom, "Breaks"):
// it starts within one of its time windows (after waiting if the van is
// early), lasts Service, counts in the route's duration, and, when the
// break limits it, happens with at most MaxLoad on board. A break is taken
// where the van is: after the previous stop's service (or at the route's
// start), before the leg to the next stop, so it adds no distance. An
// empty route takes no break. The model and the validator's rule are
// here, the search's side in breaks_search.go.

import (
	"fmt"
	"slices"
)

// Break is one pause of a vehicle type's routes.
type Break struct {
	ID string
	// TimeWindows lists when the break may start (sorted, disjoint); empty:
	// any time.
	TimeWindows []TimeWindow
	Service     int64
	// MaxLoad bounds the load on board during the break when LimitLoad is
	// set (VROOM's max_load).
	MaxLoad   Amount
	LimitLoad bool
}

// BreakAt places break Break (an index into the route's vehicle type's
// Breaks) after the route's first After stops: 0 is at the start, before
// the first stop; len(Stops) after the last.
type BreakAt struct {
	Break, After int
}

// hasBreaks reports whether some vehicle type has breaks.
func hasBreaks(in *Instance) bool {
	for t := range in.VehicleTypes {
		if len(in.VehicleTypes[t].Breaks) > 0 {
			return true
		}
	}
	return false
}

// checkBreaks rejects breaks the model cannot hold.
func checkBreaks(in *Instance) error {
	for t := range in.VehicleTypes {
		vt := &in.VehicleTypes[t]
		if len(vt.Breaks) == 0 {
			continue
		}
		field := fmt.Sprintf("vehicle_types[%d].breaks", t)
		switch {
		case vt.Count == Unlimited:
			return inputErr(0, field, "a vehicle type with breaks needs a count of vehicles, not Unlimited")
		case vt.Trips() > 1:
			return inputErr(0, field, "breaks and several trips per van cannot be combined yet; set MaxTrips to 1")
		case len(vt.Breaks) > maxBreaks:
			return inputErr(0, field, "%d breaks, at most %d per vehicle", len(vt.Breaks), maxBreaks)
		}
		for b, br := range vt.Breaks {
			if br.Service < 0 {
				return inputErr(0, fmt.Sprintf("%s[%d].service", field, b), "must be ≥ 0, not %d", br.Service)
			}
			for k, w := range br.TimeWindows {
				if w.Start > w.End || k > 0 && w.Start <= br.TimeWindows[k-1].End {
					return inputErr(0, fmt.Sprintf("%s[%d].time_windows", field, b), "windows must be sorted, disjoint and have start ≤ end")
				}
			}
		}
	}
	return nil
}

// maxBreaks bounds the breaks of one vehicle: the finaliser tries every
// placement of the breaks of a one-stop route (2^breaks).
const maxBreaks = 8

// checkRouteBreaks is the validator's rule: a non-empty route holds each
// break of its vehicle type exactly once, in order of position, each
// position within the route.
func checkRouteBreaks(in *Instance, route Route) error {
	vt := &in.VehicleTypes[route.VehicleType]
	if len(route.Breaks) != len(vt.Breaks) {
		return fmt.Errorf("takes %d breaks, its vehicle type %s has %d", len(route.Breaks), vt.Name, len(vt.Breaks))
	}
	seen := make([]bool, len(vt.Breaks))
	for i, b := range route.Breaks {
		switch {
		case b.Break < 0 || b.Break >= len(vt.Breaks):
			return fmt.Errorf("break %d does not exist (vehicle type %s has %d)", b.Break, vt.Name, len(vt.Breaks))
		case seen[b.Break]:
			return fmt.Errorf("break %s is taken twice", vt.Breaks[b.Break].ID)
		case b.After < 0 || b.After > len(route.Stops):
			return fmt.Errorf("break %s after %d stops: the route has %d", vt.Breaks[b.Break].ID, b.After, len(route.Stops))
		case i > 0 && b.After < route.Breaks[i-1].After:
			return fmt.Errorf("breaks must be listed in route order")
		}
		seen[b.Break] = true
	}
	return nil
}

// BreakTime is when a route takes one of its breaks.
type BreakTime struct {
	Break   int   // index into the vehicle type's Breaks
	After   int   // stops before it
	Arrival int64 // the van is free: after the previous service, or its departure
	Waiting int64 // for the break's window to open
	Start   int64
	Load    Amount // on board during the break
}

// breaksBetween lists the indices into route.Breaks taken after exactly k
// stops (they are sorted by After).
func breaksBetween(route *Route, k int) []BreakAt {
	i := slices.IndexFunc(route.Breaks, func(b BreakAt) bool { return b.After >= k })
	if i < 0 {
		return nil
	}
	j := i
	for j < len(route.Breaks) && route.Breaks[j].After == k {
		j++
	}
	return route.Breaks[i:j]
}

// breakLoads records the load during the breaks taken after k stops and
// checks their max_load.
func (tl *Timeline) breakLoads(in *Instance, vt *VehicleType, route Route, k int, load Amount) error {
	for i, b := range route.Breaks {
		if b.After != k {
			continue
		}
		tl.Breaks[i].Break, tl.Breaks[i].After, tl.Breaks[i].Load = b.Break, b.After, load
		br := &vt.Breaks[b.Break]
		if !br.LimitLoad {
			continue
		}
		for d := range in.Dims {
			if load[d] > br.MaxLoad[d] {
				return fmt.Errorf("break %s: load %d on dimension %d exceeds its max_load %d", br.ID, load[d], d, br.MaxLoad[d])
			}
		}
	}
	return nil
}

// takeBreaks advances the earliest schedule at *t through the breaks taken
// after k stops, where the van is.
func (tl *Timeline) takeBreaks(vt *VehicleType, route Route, k int, t *int64) error {
	for i, b := range route.Breaks {
		if b.After != k {
			continue
		}
		br := &vt.Breaks[b.Break]
		start, ok := earliestIn(br.TimeWindows, *t)
		if !ok {
			return fmt.Errorf("break %s: the van is free at %d, after its last time window closes", br.ID, *t)
		}
		bt := &tl.Breaks[i]
		bt.Arrival, bt.Waiting, bt.Start = *t, start-*t, start
		tl.Waiting += start - *t
		tl.BreakService += br.Service
		*t = start + br.Service
	}
	return nil
}

// latestBreaks is the latest time the van may be free before the breaks
// taken after k stops so that they all end by deadline: backwards through
// them, each starting at the latest moment of its windows.
func latestBreaks(vt *VehicleType, route Route, k int, deadline int64) (int64, bool) {
	for i := len(route.Breaks) - 1; i >= 0; i-- {
		b := route.Breaks[i]
		if b.After != k {
			continue
		}
		br := &vt.Breaks[b.Break]
		s, ok := latestIn(br.TimeWindows, deadline-br.Service)
		if !ok {
			return 0, false
		}
		deadline = s
	}
	return deadline, true
}

// passBreaks is the finaliser's earliest schedule (solution.go) through
// the breaks of brk taken after k stops: it advances *tm and checks the
// load *load on board against their max_load.
func passBreaks(in *Instance, vt *VehicleType, brk []BreakAt, k int, tm *int64, load *Amount) bool {
	for _, b := range brk {
		if b.After != k {
			continue
		}
		br := &vt.Breaks[b.Break]
		if br.LimitLoad {
			for d := range in.Dims {
				if load[d] > br.MaxLoad[d] {
					return false
				}
			}
		}
		s, ok := earliestStart(br.TimeWindows, *tm)
		if !ok {
			return false
		}
		*tm = s + br.Service
	}
	return true
}

// backBreaks is the finaliser's latest schedule through the breaks of brk
// taken after k stops: the latest time the van may be free before them so
// that they end by deadline.
func backBreaks(vt *VehicleType, brk []BreakAt, k int, deadline int64) (int64, bool) {
	for i := len(brk) - 1; i >= 0; i-- {
		if brk[i].After != k {
			continue
		}
		br := &vt.Breaks[brk[i].Break]
		s, ok := latestStart(br.TimeWindows, deadline-br.Service)
		if !ok {
			return 0, false
		}
		deadline = s
	}
	return deadline, true
}

// bestBreaks places the breaks of type t on the route stops: greedily, in
// order of their earliest window, each at the position (after the
// previous break's) that leaves the cheapest feasible schedule with the
// breaks placed so far. It reports the placement, its cost and whether
// one is feasible.
func bestBreaks(in *Instance, stops []int, t int) ([]BreakAt, int64, bool) {
	vt := &in.VehicleTypes[t]
	order := make([]int, len(vt.Breaks))
	for b := range order {
		order[b] = b
	}
	slices.SortStableFunc(order, func(a, b int) int { return int(sign64(windowStart(vt.Breaks[a]) - windowStart(vt.Breaks[b]))) })
	var placed []BreakAt
	var cost int64
	from := 0
	for _, b := range order {
		best, bestCost := -1, int64(0)
		for k := from; k <= len(stops); k++ {
			trial := append(slices.Clone(placed), BreakAt{Break: b, After: k})
			if c, ok := exactRouteB(in, stops, t, trial); ok && (best < 0 || c < bestCost) {
				best, bestCost = k, c
			}
		}
		if best < 0 {
			return nil, 0, false
		}
		placed = append(placed, BreakAt{Break: b, After: best})
		cost, from = bestCost, best
	}
	if len(stops) == 0 {
		return placed, 0, true
	}
	return placed, cost, true
}

func windowStart(b Break) int64 {
	if len(b.TimeWindows) == 0 {
		return 0
	}
	return b.TimeWindows[0].Start
}

func sign64(x int64) int64 {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}
