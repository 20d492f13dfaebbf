package vrp

// VROOM's other vehicle and task fields (docs/API.md of VROOM-Project/vroom):
// max_tasks (VehicleType.MaxStops), max_travel_time (MaxTravelTime: the
// legs' travel time alone, as VROOM counts it), setup (Stop.Setup, spent on
// arrival from another place) and priority (Stop.Priority).
//
// In the search a route's stop count and travel time are segment fields
// (nb, travel: with MaxTravelTime set, travel sums legs only, see
// params.travelOnly), so both limits cost O(1) per move like the others.
// Setup depends on the previous visit's place; the search charges it at
// every stop (a pessimistic bound: with FIFO travel times, a schedule that
// fits with every setup fits with fewer), and the validator and the
// finaliser skip it exactly where the previous stop shares the Site.

import "fmt"

// limitsEx adds the excesses over max_tasks and max_travel_time to r: a
// stop too many is priced like time warp of one route's worth, so that
// the search sheds it.
func (p *params) limitsEx(s *segment, vt *vehType, r *routeEval) {
	if vt.maxStops > 0 && s.nb > vt.maxStops {
		r.skillViol += float64(s.nb - vt.maxStops) // as costly as a missing skill
	}
	if vt.maxTravel > 0 && s.travel > vt.maxTravel {
		r.timeEx += float64(s.travel - vt.maxTravel)
	}
}

// setupAt is the setup spent at stop st reached from stop prev (−1: the
// route's start).
func (in *Instance) setupAt(prev, st int) int64 {
	s := &in.Stops[st]
	if prev >= 0 && s.Site > 0 && in.Stops[prev].Site == s.Site {
		return 0
	}
	return s.Setup
}

// checkFields rejects negative limits, setups and priorities.
func checkFields(in *Instance) error {
	for i, s := range in.Stops {
		if s.Setup < 0 || s.Site < 0 || s.Priority < 0 {
			return inputErr(0, fmt.Sprintf("stops[%d]", i), "setup %d, site %d and priority %d must be ≥ 0", s.Setup, s.Site, s.Priority)
		}
	}
	for t, vt := range in.VehicleTypes {
		if vt.MaxStops < 0 || vt.MaxTravelTime < 0 {
			return inputErr(0, fmt.Sprintf("vehicle_types[%d]", t), "max stops %d and max travel time %d must be ≥ 0", vt.MaxStops, vt.MaxTravelTime)
		}
	}
	return nil
}
