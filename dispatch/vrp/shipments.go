package vrp

// Shipments: a pickup and its delivery carried by one vehicle, pickup
// first (the pickup and delivery problem; VROOM's `shipments`,
// docs/API.md of VROOM-Project/vroom). The model, its checks and the
// validator's rule live here; the search's side is in shipments_search.go.
//
// Load along a route with shipments is still one prefix-sum per dimension:
// the van leaves with its jobs' deliveries, a job changes the load by
// Pickup − Delivery, a shipment's pickup adds its amount and its delivery
// removes it. A segment's pick (segment.go) is then the load it ends with
// when entered with its deliveries and may be negative (a delivery half
// whose pickup is in an earlier segment); peak still concatenates in O(1)
// (Vidal et al. 2014, §4, "load" resources).

import (
	"fmt"
	"math"
)

// StopKind tells a job from either half of a shipment.
type StopKind uint8

// The kinds of stop.
const (
	KindJob      StopKind = iota // served from and to the depot (VRPSPD)
	KindPickup                   // a shipment's pickup: loads Pickup, carried to Partner
	KindDelivery                 // a shipment's delivery: unloads Delivery, loaded at Partner
)

// shipment reports whether the stop is half of a shipment.
func (s *Stop) shipment() bool { return s.Kind == KindPickup || s.Kind == KindDelivery }

// depotDelivery is what the stop needs loaded at the depot on dimension d:
// a shipment's delivery half brings its own goods from its pickup.
func (s *Stop) depotDelivery(d int) int64 {
	if s.Kind == KindDelivery {
		return 0
	}
	return s.Delivery[d]
}

// hasShipments reports whether some stop is half of a shipment.
func hasShipments(in *Instance) bool {
	for i := range in.Stops {
		if in.Stops[i].shipment() {
			return true
		}
	}
	return false
}

// checkShipments rejects shipments whose halves do not match: each half
// names the other, one picks up and one delivers the same amount, and a
// shipment has no release (its goods are not at the depot).
func checkShipments(in *Instance) error {
	found := false
	for i := range in.Stops {
		s := &in.Stops[i]
		if s.Kind > KindDelivery {
			return inputErr(0, fmt.Sprintf("stops[%d].kind", i), "unknown stop kind %d", s.Kind)
		}
		if !s.shipment() {
			continue
		}
		found = true
		field := fmt.Sprintf("stops[%d]", i)
		if s.Partner < 0 || s.Partner >= len(in.Stops) || s.Partner == i {
			return inputErr(0, field+".partner", "partner %d must be another stop (0..%d)", s.Partner, len(in.Stops)-1)
		}
		o := &in.Stops[s.Partner]
		if o.Partner != i || o.Kind == s.Kind || o.Kind == KindJob {
			return inputErr(0, field+".partner", "stop %d must be the other half of this shipment and name it back", s.Partner)
		}
		if s.Release != 0 {
			return inputErr(0, field+".release", "a shipment's goods are not at the depot: no release time")
		}
		if s.Kind == KindPickup {
			if s.Delivery != (Amount{}) || o.Pickup != (Amount{}) || s.Pickup != o.Delivery {
				return inputErr(0, field+".pickup", "a shipment's pickup half carries its amount as Pickup, its delivery half the same amount as Delivery, nothing else")
			}
		}
	}
	if found && multiTrip(in) {
		// a shipment picked up on one trip and delivered on the next would
		// ride through the reload: not modelled
		return inputErr(0, "vehicle_types", "shipments and vans that drive several trips cannot be combined yet; set MaxTrips to 1")
	}
	return nil
}

// checkRoutePairs is the validator's rule for shipments: within route r
// (stops in order), each shipment half has its partner in the same route,
// the pickup before the delivery.
func checkRoutePairs(in *Instance, r int, route Route, pos map[int]int) error {
	clear(pos)
	for k, st := range route.Stops {
		pos[st] = k
	}
	for k, st := range route.Stops {
		s := &in.Stops[st]
		if !s.shipment() {
			continue
		}
		j, ok := pos[s.Partner]
		if !ok {
			return fmt.Errorf("route %d: stop %d (%s) is half of a shipment whose other half %d (%s) is not on this route", r+1, st, s.ID, s.Partner, in.Stops[s.Partner].ID)
		}
		if s.Kind == KindPickup && j < k || s.Kind == KindDelivery && j > k {
			p, d := st, s.Partner
			if s.Kind == KindDelivery {
				p, d = d, p
			}
			return fmt.Errorf("route %d: shipment delivery %d (%s) comes before its pickup %d (%s)", r+1, d, in.Stops[d].ID, p, in.Stops[p].ID)
		}
	}
	return nil
}

// pairedUnassigned checks that a shipment is unassigned whole.
func pairedUnassigned(in *Instance, seen []int) error {
	for i, v := range seen {
		s := &in.Stops[i]
		if s.shipment() && (v < 0) != (seen[s.Partner] < 0) {
			return fmt.Errorf("stop %d (%s) is unassigned but its shipment's other half %d (%s) is routed", i, s.ID, s.Partner, in.Stops[s.Partner].ID)
		}
	}
	return nil
}

// negAmount is −a.
func negAmount(a Amount) Amount {
	for d := range a {
		a[d] = -a[d]
	}
	return a
}

// remapPartners renumbers the partners of stops, the stops keep of an
// instance of n stops (subInstance keeps both halves or neither).
func remapPartners(stops []Stop, keep []int, n int) {
	idx := make([]int, n)
	for k, i := range keep {
		idx[i] = k
	}
	for k := range stops {
		if stops[k].shipment() {
			stops[k].Partner = idx[stops[k].Partner]
		}
	}
}

// presolvePairs completes presolve for shipments: both halves stay or both
// go, and they stay only when some vehicle type can drive the pair alone
// (start, pickup, delivery, end).
func presolvePairs(in *Instance, keep []int, out []Unassigned) ([]int, []Unassigned) {
	if !hasShipments(in) {
		return keep, out
	}
	kept := make([]bool, len(in.Stops))
	for _, i := range keep {
		kept[i] = true
	}
	why := map[int]Unassigned{}
	for _, u := range out {
		why[u.Stop] = u
	}
	var drop []Unassigned
	for _, i := range keep {
		s := &in.Stops[i]
		if !s.shipment() {
			continue
		}
		if !kept[s.Partner] {
			u := why[s.Partner]
			drop = append(drop, Unassigned{Stop: i, Code: u.Code, Reason: fmt.Sprintf("stop %s: the other half of its shipment cannot be served: %s", s.ID, u.Reason)})
			continue
		}
		if s.Kind != KindPickup {
			continue
		}
		ok := false
		for t := range in.VehicleTypes {
			if in.VehicleTypes[t].Count != 0 {
				if _, fits := exactRoute(in, []int{i, s.Partner}, t); fits {
					ok = true
					break
				}
			}
		}
		if !ok {
			reason := fmt.Sprintf("shipment %s → %s: no vehicle type can drive the pickup then the delivery in time and within capacity", s.ID, in.Stops[s.Partner].ID)
			drop = append(drop, Unassigned{Stop: i, Code: CodeTimeWindow, Reason: reason}, Unassigned{Stop: s.Partner, Code: CodeTimeWindow, Reason: reason})
		}
	}
	if len(drop) == 0 {
		return keep, out
	}
	gone := make([]bool, len(in.Stops))
	for _, u := range drop {
		gone[u.Stop] = true
	}
	k := keep[:0]
	for _, i := range keep {
		if !gone[i] {
			k = append(k, i)
		}
	}
	return k, append(out, drop...)
}

// shedPartners completes finalise's shedding for shipments: a half shed
// from its route takes the other half with it, so that both are placed
// again together.
func shedPartners(in *Instance, routes []Route, removed []int) []int {
	if !hasShipments(in) {
		return removed
	}
	out := make([]bool, len(in.Stops))
	for _, s := range removed {
		out[s] = true
	}
	for _, s := range removed {
		if st := &in.Stops[s]; st.shipment() && !out[st.Partner] {
			out[st.Partner] = true
			removed = append(removed, st.Partner)
		}
	}
	for r := range routes {
		k := routes[r].Stops[:0]
		for _, s := range routes[r].Stops {
			if !out[s] {
				k = append(k, s)
			}
		}
		routes[r].Stops = k
	}
	return removed
}

// reinsertAny is reinsert for a job and reinsertPair for a shipment's
// pickup half.
func reinsertAny(in *Instance, routes *[]Route, used []int, s int) bool {
	if in.Stops[s].Kind == KindPickup {
		return reinsertPair(in, routes, used, s)
	}
	return reinsert(in, routes, used, s)
}

// reinsertPair puts the shipment picked up at p at its cheapest feasible
// place, pickup at position i and delivery at j > i of an existing route
// (exactRoute on every pair of positions: finalise runs once), or alone on
// a free vehicle.
func reinsertPair(in *Instance, routes *[]Route, used []int, p int) bool {
	d := in.Stops[p].Partner
	bestR, bestI, bestJ, bestDelta := -1, 0, 0, int64(math.MaxInt64)
	var trial []int
	for r, route := range *routes {
		if len(route.Stops) == 0 {
			continue
		}
		old, _ := exactRoute(in, route.Stops, route.VehicleType)
		m := len(route.Stops)
		for i := 0; i <= m; i++ {
			for j := i; j <= m; j++ {
				trial = append(trial[:0], route.Stops[:i]...)
				trial = append(trial, p)
				trial = append(trial, route.Stops[i:j]...)
				trial = append(trial, d)
				trial = append(trial, route.Stops[j:]...)
				if c, ok := exactRoute(in, trial, route.VehicleType); ok && c-old < bestDelta {
					bestR, bestI, bestJ, bestDelta = r, i, j, c-old
				}
			}
		}
	}
	bestT := -1
	for t, vt := range in.VehicleTypes {
		if vt.Count != Unlimited && used[t] >= vt.Count {
			continue
		}
		if c, ok := exactRoute(in, []int{p, d}, t); ok && c < bestDelta {
			bestT, bestDelta = t, c
		}
	}
	switch {
	case bestT >= 0:
		used[bestT]++
		*routes = append(*routes, Route{VehicleType: bestT, Stops: []int{p, d}})
	case bestR >= 0:
		st := (*routes)[bestR].Stops
		out := append(append([]int{}, st[:bestI]...), p)
		out = append(append(out, st[bestI:bestJ]...), d)
		(*routes)[bestR].Stops = append(out, st[bestJ:]...)
	default:
		return false
	}
	return true
}
