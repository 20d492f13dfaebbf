package vrp

// Vehicle type reassignment for the heterogeneous fleet: a route moves to a
// vehicle of another type when that is cheaper, taking an idle vehicle of that
// type or exchanging vehicles with a route of that type. This is the
// fleet-mix neighbourhood of the HGS for heterogeneous fleets (Vidal et al.
// 2014, §5, "route-type" moves); the slot count per type never changes, so a
// limited fleet stays within its counts.

// typeCost caches routeCostOn of one route on one type: the phase runs
// after every loop of the local search and prices each route on each type
// (and, for a type without an idle vehicle, each route of that type on the
// route's own), although most routes did not change since the last loop.
type typeCost struct {
	cost float64
	when int // the route's whenLastModified when cost was computed; -1: none
}

// routeCostOn is the penalised cost of r's clients on vehicle type t.
func (ls *localSearch) routeCostOn(r *lsRoute, t int) float64 {
	c := &ls.typeCosts[r.index*len(ls.p.types)+t]
	if c.when != r.whenLastModified {
		c.cost, c.when = ls.routeCostOnNow(r, t), r.whenLastModified
	}
	return c.cost
}

// routeCostOnNow computes routeCostOn.
func (ls *localSearch) routeCostOnNow(r *lsRoute, t int) float64 {
	seq := ls.seqU[:0]
	for n := r.depot.next; !n.isDepot; n = n.next {
		seq = append(seq, n.cour)
	}
	ls.seqU = seq
	s := ls.p.routeSegment(seq, t)
	return ls.p.cost(&s, t, &ls.w)
}

// vehicleTypePhase tries, for each route, every other vehicle type.
func (ls *localSearch) vehicleTypePhase() bool {
	improved := false
	for _, ri := range ls.orderRoutes {
		r := ls.routes[ri]
		if r.nbCustomers == 0 {
			continue
		}
		for t := range ls.p.types {
			if t == r.vt || ls.p.typeBreaks(t) || ls.p.typeBreaks(r.vt) {
				continue // a route's break visits are its type's (breaks_search.go)
			}
			onT := ls.routeCostOn(r, t)
			if e := ls.emptyRoute(t); e != nil {
				if onT-r.penalty < -epsilon {
					ls.exchangeTypes(r, e)
					improved = true
				}
				continue
			}
			for _, q := range ls.routes[:ls.nbRoutes] {
				if q.vt != t || q.nbCustomers == 0 {
					continue
				}
				if onT+ls.routeCostOn(q, r.vt)-r.penalty-q.penalty < -epsilon {
					ls.exchangeTypes(r, q)
					improved = true
					break
				}
			}
		}
	}
	return improved
}

// exchangeTypes swaps the vehicle types of two routes.
func (ls *localSearch) exchangeTypes(a, b *lsRoute) {
	a.vt, b.vt = b.vt, a.vt
	ls.applied(a, b)
}
