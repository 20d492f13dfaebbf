package vrp

// Presolve: stops that no vehicle type can serve even alone leave the search
// before it starts, each with a stable code and a reason naming its figures.

import (
	"fmt"
	"slices"
)

// The stable codes of Unassigned.Code.
const (
	CodeSkills     = "skills"
	CodeCapacity   = "capacity"
	CodeTimeWindow = "time_window"
	CodeDuration   = "duration"
	CodeDistance   = "distance"
	CodeFleet      = "fleet"
)

// soloCheck is the first rule a stop breaks on a vehicle type when served
// alone; the rank orders the checks so that the reported code is the one
// that came closest to working.
type soloCheck struct {
	rank   int // 0 skills … 4 distance, 5 = servable
	code   string
	reason string
}

// serveAlone checks stop i (index into in.Stops) alone on vehicle type t.
func serveAlone(in *Instance, i, t int) soloCheck {
	s, vt := &in.Stops[i], &in.VehicleTypes[t]
	node := i + 1
	if s.Skills&^vt.Skills != 0 {
		return soloCheck{0, CodeSkills, fmt.Sprintf("stop %s needs skills %#x that no vehicle type holds", s.ID, s.Skills)}
	}
	for d := range in.Dims {
		if s.Delivery[d] > vt.Capacity[d] || s.Pickup[d] > vt.Capacity[d] {
			return soloCheck{1, CodeCapacity, fmt.Sprintf(
				"stop %s: delivery %d / pickup %d on dimension %d exceed the capacity of every vehicle type that can serve it (%s holds %d)",
				s.ID, s.Delivery[d], s.Pickup[d], d+1, vt.Name, vt.Capacity[d])}
		}
	}
	e0 := max(vt.ShiftStart, in.DepotWindow.Start, s.Release)
	end := min(vt.ShiftEnd, in.DepotWindow.End)
	arrival := e0 + in.legTime(vt.Start, node)
	start, ok := earliestStart(s.TimeWindows, arrival)
	ret := start + (s.Service + s.Setup) + in.legTime(node, vt.End)
	if !ok || ret > end {
		return soloCheck{2, CodeTimeWindow, fmt.Sprintf(
			"stop %s: reached at %d at the earliest and back at the depot by %d at the latest, its time windows %v do not fit",
			s.ID, arrival, end, s.TimeWindows)}
	}
	latest, _ := latestStart(s.TimeWindows, ret-(s.Service+s.Setup)-in.legTime(node, vt.End))
	if dur := ret - (latest - in.legTime(vt.Start, node)); vt.MaxDuration > 0 && dur > vt.MaxDuration {
		return soloCheck{3, CodeDuration, fmt.Sprintf(
			"stop %s: a round trip from the depot lasts %d, longer than the maximum route duration %d of %s",
			s.ID, dur, vt.MaxDuration, vt.Name)}
	}
	if d := in.legDist(vt.Start, node) + in.legDist(node, vt.End); vt.MaxDistance > 0 && d > vt.MaxDistance {
		return soloCheck{4, CodeDistance, fmt.Sprintf(
			"stop %s: a round trip from the depot is %d long, beyond the range %d of %s",
			s.ID, d, vt.MaxDistance, vt.Name)}
	}
	return soloCheck{rank: 5}
}

// presolve splits the stops into those some vehicle type can serve alone and
// the unassigned rest with their reasons.
func presolve(in *Instance) (keep []int, out []Unassigned) {
	for i := range in.Stops {
		best := soloCheck{rank: -1}
		for t := range in.VehicleTypes {
			if in.VehicleTypes[t].Count == 0 {
				continue // no vehicle of this type exists
			}
			if c := serveAlone(in, i, t); c.rank > best.rank {
				best = c
			}
		}
		switch {
		case best.rank == 5:
			keep = append(keep, i)
		case best.rank < 0:
			out = append(out, Unassigned{Stop: i, Code: CodeFleet,
				Reason: fmt.Sprintf("stop %s: the fleet has no vehicle type", in.Stops[i].ID)})
		default:
			out = append(out, Unassigned{Stop: i, Code: best.code, Reason: best.reason})
		}
	}
	return presolvePairs(in, keep, out)
}

// earliestStart is the earliest time ≥ t inside one of ws (t when ws is
// empty), or false when t is after every window.
func earliestStart(ws []TimeWindow, t int64) (int64, bool) {
	if len(ws) == 0 {
		return t, true
	}
	for _, w := range ws { // sorted and disjoint
		if t <= w.End {
			return max(t, w.Start), true
		}
	}
	return 0, false
}

// latestStart is the latest time ≤ t inside one of ws (t when ws is empty),
// or false when t is before every window.
func latestStart(ws []TimeWindow, t int64) (int64, bool) {
	if len(ws) == 0 {
		return t, true
	}
	for k := len(ws) - 1; k >= 0; k-- {
		if t >= ws[k].Start {
			return min(t, ws[k].End), true
		}
	}
	return 0, false
}

// subInstance is in restricted to the stops keep (matrix rows remapped).
func subInstance(in *Instance, keep []int) *Instance {
	if len(keep) == len(in.Stops) {
		return in
	}
	sub := *in
	sub.Stops = make([]Stop, len(keep))
	nodes := make([]int, len(keep)+1)
	for k, i := range keep {
		sub.Stops[k] = in.Stops[i]
		nodes[k+1] = i + 1
	}
	remapPartners(sub.Stops, keep, len(in.Stops))
	// Vehicles' starts and ends other than the depot become the sub-
	// instance's places, even a dropped stop's node a van ends at.
	sub.Places = 0
	sub.VehicleTypes = slices.Clone(in.VehicleTypes)
	place := map[int]int{0: 0, NoPlace: NoPlace}
	for t := range sub.VehicleTypes {
		for _, e := range []*int{&sub.VehicleTypes[t].Start, &sub.VehicleTypes[t].End} {
			if _, ok := place[*e]; !ok {
				place[*e] = len(nodes)
				nodes = append(nodes, *e)
				sub.Places++
			}
			*e = place[*e]
		}
	}
	n, m := in.N(), len(nodes)
	remap := func(src []int64) []int64 {
		if src == nil {
			return nil
		}
		dst := make([]int64, m*m)
		for a, na := range nodes {
			for b, nb := range nodes {
				dst[a*m+b] = src[na*n+nb]
			}
		}
		return dst
	}
	sub.Distance, sub.Duration = remap(in.Distance), remap(in.Duration)
	return &sub
}
