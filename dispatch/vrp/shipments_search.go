package vrp

// Shipments in the search. Capacity along the route is O(1) per move as
// for every load (shipments.go); the pairing is not a resource a segment
// can summarise in O(1) (which deliveries a subsequence owes is a set),
// so the search keeps it as an invariant instead, as the pickup and
// delivery literature does: Ropke and Pisinger (2006), "An adaptive large
// neighborhood search heuristic for the pickup and delivery problem with
// time windows", Transportation Science 40(4), remove and insert requests
// whole, and VROOM's local search restricts its moves to those that keep
// each pair on one route in order and adds moves for pairs (its PDShift
// moves a pickup and its delivery to another route).
//
// Here:
//   - after Split the child's broken pairs (OX and Split know nothing of
//     them) are taken out and reinserted, pickup and delivery side by side,
//     at their cheapest place (repairPairs);
//   - every move is evaluated as before; a move that would split a pair or
//     put a delivery before its pickup is undone before it is recorded
//     (applied → pairsKept: an O(route) check paid only by improving moves,
//     the same order as the route update they trigger anyway);
//   - relocateShipment moves a pair to another route: the pickup after v,
//     the delivery at its best place after it, O(route) per (u, v).

// pairNodes lists the matrix node of each client's shipment partner (0: a
// job), or nil when the instance has no shipments.
func pairNodes(in *Instance) []int {
	if !hasShipments(in) {
		return nil
	}
	pair := make([]int, in.N())
	for i := range in.Stops {
		if in.Stops[i].shipment() {
			pair[i+1] = in.Stops[i].Partner + 1
		}
	}
	return pair
}

// pairState is the local search's bookkeeping for shipments.
type pairState struct {
	snap  [][]*lsNode // snap[r]: route r's clients at its last update
	mark  []int       // mark[c] == stamp: pickup c seen on the route walked
	stamp int
	// scratch of relocateShipmentIntra: the route without the pair, its
	// prefix and suffix segments
	rest     []*lsNode
	pre, suf []segment
}

// snapshotPairs records r's clients so that a move breaking a pair can be
// undone.
func (ls *localSearch) snapshotPairs(r *lsRoute) {
	ps := &ls.pairs
	if len(ps.mark) != ls.p.n {
		ps.mark = make([]int, ls.p.n)
	}
	for len(ps.snap) <= r.index {
		ps.snap = append(ps.snap, nil)
	}
	s := ps.snap[r.index][:0]
	for n := r.depot.next; !n.isDepot; n = n.next {
		s = append(s, n)
	}
	ps.snap[r.index] = s
}

// routePairsHold tells whether every shipment on r has both halves on r,
// the pickup first.
func (ls *localSearch) routePairsHold(r *lsRoute) bool {
	ps, pair := &ls.pairs, ls.p.pair
	ps.stamp++
	open := 0
	for n := r.depot.next; !n.isDepot; n = n.next {
		q := pair[n.cour]
		switch {
		case q == 0:
		case ls.p.in.Stops[n.cour-1].Kind == KindPickup:
			ps.mark[n.cour] = ps.stamp
			open++
		default:
			if ps.mark[q] != ps.stamp {
				return false // delivery first, or its pickup elsewhere
			}
			open--
		}
	}
	return open == 0
}

// guarded tells whether moves must keep shipments or breaks in place.
func (p *params) guarded() bool { return p.pair != nil || p.brk != nil }

// routeHolds checks r's shipments and breaks.
func (ls *localSearch) routeHolds(r *lsRoute) bool {
	return (ls.p.pair == nil || ls.routePairsHold(r)) && (ls.p.brk == nil || ls.routeBreaksHold(r))
}

// kept checks routes ru and rv after a move; when a shipment or a break
// broke it restores both routes as they were and reports false.
func (ls *localSearch) kept(ru, rv *lsRoute) bool {
	if ls.routeHolds(ru) && (rv == ru || ls.routeHolds(rv)) {
		return true
	}
	relink(ru, ls.pairs.snap[ru.index])
	if rv != ru {
		relink(rv, ls.pairs.snap[rv.index])
	}
	return false
}

// isPickup tells whether client node c is a shipment's pickup.
func (p *params) isPickup(c int) bool {
	return p.pair[c] != 0 && p.in.Stops[c-1].Kind == KindPickup
}

// repairPairs takes every broken shipment out of the routes and inserts
// it again, pickup then delivery, where it costs least.
func (ls *localSearch) repairPairs() {
	p := ls.p
	var broken []int
	for c := 1; c <= p.nbClients; c++ {
		if !p.isPickup(c) {
			continue
		}
		u, v := &ls.clients[c], &ls.clients[p.pair[c]]
		if u.route != v.route || u.position > v.position {
			broken = append(broken, c)
		}
	}
	if len(broken) == 0 {
		return
	}
	touched := make([]bool, ls.nbRoutes)
	for _, c := range broken {
		for _, n := range [2]*lsNode{&ls.clients[c], &ls.clients[p.pair[c]]} {
			touched[n.route.index] = true
			n.prev.next, n.next.prev = n.next, n.prev
		}
	}
	for r, t := range touched {
		if t {
			ls.updateRouteData(ls.routes[r])
		}
	}
	for _, c := range broken {
		ls.insertPairBest(&ls.clients[c], &ls.clients[p.pair[c]])
	}
}

// insertPairBest puts u and its delivery d side by side at the cheapest
// place of any route (empty spares included).
func (ls *localSearch) insertPairBest(u, d *lsNode) {
	seq := [2]int{u.cour, d.cour}
	var best *lsNode
	bestDelta := 0.0
	for _, r := range ls.routes[:ls.nbRoutes] {
		for v := r.depot; ; v = v.next {
			delta := ls.chainCost(r, &v.fwd, seq[:], &v.next.bwd) - r.penalty
			if best == nil || delta < bestDelta {
				best, bestDelta = v, delta
			}
			if v.next.isDepot {
				break
			}
		}
	}
	u.next, u.prev = best.next, best
	best.next.prev, best.next = u, u
	u.route = best.route
	insertNodeAfterFresh(d, u)
	ls.updateRouteData(best.route)
}

// insertNodeAfterFresh links d, which is in no route, right after u.
func insertNodeAfterFresh(d, u *lsNode) {
	d.next, d.prev = u.next, u
	u.next.prev, u.next = d, d
	d.route = u.route
}

// relocateShipment moves the shipment of u (either half) to v's route:
// the pickup right after v, the delivery at its best place after the
// pickup. The delivery's places are walked once, extending the segment
// between the halves by one visit at a time (Vidal et al. 2014, §4), so
// a (u, v) pair costs O(length of v's route).
func (ls *localSearch) relocateShipment(u, v *lsNode) bool {
	p := ls.p
	if p.pair[u.cour] == 0 {
		return false
	}
	pk, dl := u, &ls.clients[p.pair[u.cour]]
	if !p.isPickup(u.cour) {
		pk, dl = dl, u
	}
	if u.route == v.route {
		// from the pickup's side only: both halves would try the same
		// places of the pickup, each at O(route)
		return u == pk && ls.relocateShipmentIntra(pk, dl, v)
	}
	ru, rv := pk.route, v.route
	var a, b, out segment
	// ru without the pair: fwd(pk.prev) ⊕ pk.next … dl.prev ⊕ bwd(dl.next)
	a = pk.prev.fwd
	for n := pk.next; n != dl; n = n.next {
		p.join(&a, &p.single[n.cour], &b)
		a = b
	}
	p.join(&a, &dl.next.bwd, &out)
	cu := p.cost(&out, ru.vt, &ls.w)
	// rv with the pair: fwd(v) ⊕ pk ⊕ v.next … k ⊕ dl ⊕ bwd(k.next)
	var cur, tmp segment
	p.join(&v.fwd, &p.single[pk.cour], &cur)
	var bestK *lsNode
	bestCV := 0.0
	for k := v; ; k = k.next {
		if k != v {
			p.join(&cur, &p.single[k.cour], &tmp)
			cur = tmp
		}
		p.join(&cur, &p.single[dl.cour], &a)
		p.join(&a, &k.next.bwd, &out)
		if c := p.cost(&out, rv.vt, &ls.w); bestK == nil || c < bestCV {
			bestK, bestCV = k, c
		}
		if k.next.isDepot {
			break
		}
	}
	if !improves(cu, bestCV, ru, rv) {
		return false
	}
	insertNode(pk, v)
	if bestK == v {
		insertNode(dl, pk)
	} else {
		insertNode(dl, bestK)
	}
	return ls.applied(ru, rv)
}

// relocateShipmentIntra is relocateShipment inside one route: the pair
// (pk, dl) leaves it, pk goes back right after v, dl at its best place
// after pk. The route without the pair gets its prefix and suffix
// segments once (O(route)); the places of dl are then walked as in the
// inter-route case.
func (ls *localSearch) relocateShipmentIntra(pk, dl, v *lsNode) bool {
	p, r := ls.p, pk.route
	if v == pk || v == dl {
		return false
	}
	ps := &ls.pairs
	rest := ps.rest[:0]
	a := -1 // pk goes after rest[a−1] (a = 0: after the start)
	if v.isDepot {
		a = 0
	}
	for n := r.depot.next; !n.isDepot; n = n.next {
		if n == pk || n == dl {
			continue
		}
		rest = append(rest, n)
		if n == v {
			a = len(rest)
		}
	}
	ps.rest = rest
	m := len(rest)
	if cap(ps.pre) < m+1 {
		ps.pre, ps.suf = make([]segment, m+1), make([]segment, m+1)
	}
	pre, suf := ps.pre[:m+1], ps.suf[:m+1]
	pre[0], suf[m] = p.depotFrom[r.vt], p.depotTo[r.vt]
	// before the pickup and after the delivery the route's own prefix and
	// suffix segments hold (the pair is not in them)
	for i, n := range rest {
		if n.position < pk.position {
			pre[i+1] = n.fwd
		} else {
			p.join(&pre[i], &p.single[n.cour], &pre[i+1])
		}
	}
	for i := m - 1; i >= 0; i-- {
		if rest[i].position > dl.position {
			suf[i] = rest[i].bwd
		} else {
			p.join(&p.single[rest[i].cour], &suf[i+1], &suf[i])
		}
	}
	// pre[a] ⊕ pk ⊕ rest[a:b] ⊕ dl ⊕ suf[b], b = a … m
	var cur, tmp, x, out segment
	p.join(&pre[a], &p.single[pk.cour], &cur)
	best, bestCost := -1, r.penalty-epsilon
	for b := a; b <= m; b++ {
		if b > a {
			p.join(&cur, &p.single[rest[b-1].cour], &tmp)
			cur = tmp
		}
		p.join(&cur, &p.single[dl.cour], &x)
		p.join(&x, &suf[b], &out)
		if c := p.cost(&out, r.vt, &ls.w); c < bestCost {
			best, bestCost = b, c
		}
	}
	if best < 0 {
		return false
	}
	after := v
	if a == 0 {
		after = r.depot
	}
	insertNode(pk, after)
	if best == a {
		insertNode(dl, pk)
	} else {
		insertNode(dl, rest[best-1])
	}
	return ls.applied(r, r)
}

// pairLoadBoost scales the initial load penalty with shipments. An excess
// on a route of shipments goes only when whole pairs leave it, each at the
// price of about two legs and often several before the peak drops at all,
// so HGS's start (the longest arc over the largest demand) leaves the local
// search in overloaded routes it cannot leave: on 50 pairs of up to half a
// van, no education was feasible within 10 s. Ten times that start lets
// the first educations find feasible routes; the usual adaptation
// (search.go) then lowers it.
func (p *params) pairLoadBoost() float64 {
	if p.pair == nil {
		return 1
	}
	return 10
}
