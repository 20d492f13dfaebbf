package vrp

// SWAP*: Vidal (2022), §4. Between two routes whose sectors overlap, u of
// route U and v of route V exchange routes, each inserted at its best place
// in the other route rather than in the other's old place. The three best
// insertion positions of each client in each route are cached and a bound
// on the removal gains filters most pairs (Theorem 1 of §4).

import "math"

// insertCache keeps the three cheapest insertion positions of one client in
// one route (ThreeBestInsert); pos[k] is the node after which to insert.
type insertCache struct {
	when int
	cost [3]float64
	pos  [3]*lsNode
}

func (c *insertCache) add(cost float64, pos *lsNode) {
	switch {
	case cost < c.cost[0]:
		c.cost[2], c.pos[2] = c.cost[1], c.pos[1]
		c.cost[1], c.pos[1] = c.cost[0], c.pos[0]
		c.cost[0], c.pos[0] = cost, pos
	case cost < c.cost[1]:
		c.cost[2], c.pos[2] = c.cost[1], c.pos[1]
		c.cost[1], c.pos[1] = cost, pos
	case cost < c.cost[2]:
		c.cost[2], c.pos[2] = cost, pos
	}
}

// loadPenalty is the load penalty of route r carrying del and pick, as
// SWAP* estimates it (the peak load is taken as the larger total).
func (ls *localSearch) loadPenalty(r *lsRoute, del, pick *Amount) float64 {
	p := ls.p
	if p.hasReload {
		return 0 // loads restart at each reload: left to the exact check
	}
	var ex float64
	for d := 0; d < p.dims; d++ {
		if e := max(del[d], pick[d]) - p.types[r.vt].capacity[d]; e > 0 {
			ex += float64(e) * p.dimWeight[d]
		}
	}
	return ls.w.load * ex
}

// loadPenaltyAfter is loadPenalty for r after adding client in and removing
// client out (0 for none).
func (ls *localSearch) loadPenaltyAfter(r *lsRoute, in, out int) float64 {
	p := ls.p
	if p.hasReload {
		return 0
	}
	if p.dims == 1 && !p.hasPickup { // CVRP: one total, no peak
		ex := r.depotEnd.fwd.del[0] + p.single[in].del[0] - p.single[out].del[0] - p.types[r.vt].capacity[0]
		if ex <= 0 {
			return 0
		}
		return ls.w.load * float64(ex)
	}
	del, pick := r.depotEnd.fwd.del, r.depotEnd.fwd.pick
	for d := 0; d < p.dims; d++ {
		del[d] += p.single[in].del[d] - p.single[out].del[d]
		pick[d] += p.single[in].pick[d] - p.single[out].pick[d]
	}
	return ls.loadPenalty(r, &del, &pick)
}

// swapStarPhase runs SWAP* over the pairs of routes that changed.
func (ls *localSearch) swapStarPhase() bool {
	improved := false
	if ls.p.hasReload {
		// SWAP*'s filter estimates load per route; with reloads loads
		// restart per trip, the estimate says nothing and the phase only
		// spends time (make bench-mtvrptwr gains without it).
		return false
	}
	for _, ri := range ls.orderRoutes {
		if ls.stopped() {
			return improved
		}
		ru := ls.routes[ri]
		lastTested := ru.whenLastTestedSWAPStar
		ru.whenLastTestedSWAPStar = ls.nbMoves
		for _, rj := range ls.orderRoutes {
			rv := ls.routes[rj]
			if ru.nbCustomers == 0 || rv.nbCustomers == 0 || ru.index >= rv.index {
				continue
			}
			if ls.loopID > 0 && max(ru.whenLastModified, rv.whenLastModified) <= lastTested {
				continue
			}
			if sectorsOverlap(ru, rv) && ls.swapStar(ru, rv) {
				improved = true
			}
		}
	}
	return improved
}

// preprocessInsertions fills the insertion caches of r1's clients into r2
// and their removal gains from r1.
func (ls *localSearch) preprocessInsertions(r1, r2 *lsRoute) {
	p := ls.p
	dc1, dc2 := p.types[r1.vt].distCost, p.types[r2.vt].distCost
	for u := r1.depot.next; !u.isDepot; u = u.next {
		u.removalGain = dc1 * float64(p.d(u.prev, u.next)-p.d(u.prev, u)-p.d(u, u.next))
		c := &ls.insert[r2.index*p.n+u.cour]
		if c.when >= r2.whenLastModified {
			continue
		}
		c.when = ls.nbMoves
		c.cost = [3]float64{math.Inf(1), math.Inf(1), math.Inf(1)}
		c.pos = [3]*lsNode{}
		row := p.dist[u.cour*p.n : (u.cour+1)*p.n]
		for v := r2.depot; !v.isDepot || v == r2.depot; v = v.next {
			in := p.d(v, u)
			if p.symmetric {
				in = row[v.cour] // row u stays in cache
			}
			c.add(dc2*float64(in+row[v.next.cour]-v.dNext), v)
		}
	}
}

// cheapestInsertSimultRemoval is the best place for u in v's route when v
// leaves it at the same time.
func (ls *localSearch) cheapestInsertSimultRemoval(u, v *lsNode, dc float64) (float64, *lsNode) {
	p := ls.p
	c := &ls.insert[v.route.index*p.n+u.cour]
	best, pos := math.Inf(1), (*lsNode)(nil)
	for k := range 3 {
		if c.pos[k] != nil && c.pos[k] != v && c.pos[k].next != v {
			best, pos = c.cost[k], c.pos[k]
			break
		}
	}
	if alt := dc * float64(p.d(v.prev, u)+p.d(u, v.next)-p.d(v.prev, v.next)); alt < best {
		best, pos = alt, v.prev
	}
	return best, pos
}

// swapStar finds and applies the best SWAP* (or relocation) between ru and rv.
func (ls *localSearch) swapStar(ru, rv *lsRoute) bool {
	p := ls.p
	ls.preprocessInsertions(ru, rv)
	ls.preprocessInsertions(rv, ru)
	dcU, dcV := p.types[ru.vt].distCost, p.types[rv.vt].distCost
	bestCost := math.Inf(1)
	var bu, bv, posU, posV *lsNode
	for u := ru.depot.next; !u.isDepot; u = u.next {
		for v := rv.depot.next; !v.isDepot; v = v.next {
			penU := ls.loadPenaltyAfter(ru, v.cour, u.cour) - ru.loadPen
			penV := ls.loadPenaltyAfter(rv, u.cour, v.cour) - rv.loadPen
			if penU+u.removalGain+penV+v.removalGain > 0 {
				continue
			}
			extraV, pu := ls.cheapestInsertSimultRemoval(u, v, dcV)
			extraU, pv := ls.cheapestInsertSimultRemoval(v, u, dcU)
			if c := penU + u.removalGain + extraU + penV + v.removalGain + extraV; c < bestCost {
				bestCost, bu, bv, posU, posV = c, u, v, pu, pv
			}
		}
	}
	// Relocations found on the way (Vidal 2022, §4: also RELOCATE).
	for pass := range 2 {
		r1, r2 := ru, rv
		if pass == 1 {
			r1, r2 = rv, ru
		}
		for u := r1.depot.next; !u.isDepot; u = u.next {
			c := &ls.insert[r2.index*p.n+u.cour]
			cost := u.removalGain + c.cost[0] +
				ls.loadPenaltyAfter(r1, 0, u.cour) - r1.loadPen +
				ls.loadPenaltyAfter(r2, u.cour, 0) - r2.loadPen
			if cost < bestCost {
				bestCost, bu, bv, posU, posV = cost, u, nil, c.pos[0], nil
			}
		}
	}
	if bestCost > -epsilon || bu == nil {
		return false
	}
	return ls.applySwapStar(bu, bv, posU, posV)
}

// applySwapStar checks the chosen move exactly and applies it: u goes after
// posU (in the other route), v (if any) after posV.
func (ls *localSearch) applySwapStar(u, v, posU, posV *lsNode) bool {
	p := ls.p
	r1, r2 := u.route, posU.route
	seq1, seq2 := ls.seqU[:0], ls.seqV[:0]
	for n := r1.depot; !n.isDepot || n == r1.depot; n = n.next {
		if !n.isDepot && n != u {
			seq1 = append(seq1, n.cour)
		}
		if v != nil && n == posV {
			seq1 = append(seq1, v.cour)
		}
	}
	for n := r2.depot; !n.isDepot || n == r2.depot; n = n.next {
		if !n.isDepot && n != v {
			seq2 = append(seq2, n.cour)
		}
		if n == posU {
			seq2 = append(seq2, u.cour)
		}
	}
	ls.seqU, ls.seqV = seq1, seq2
	s1 := p.routeSegment(seq1, r1.vt)
	s2 := p.routeSegment(seq2, r2.vt)
	if !improves(p.cost(&s1, r1.vt, &ls.w), p.cost(&s2, r2.vt, &ls.w), r1, r2) {
		return false
	}
	insertNode(u, posU)
	if v != nil {
		insertNode(v, posV)
	}
	return ls.applied(r1, r2)
}
