package vrp

import "math/bits"

// RELOCATE moves of the granular local search (Vidal 2022, §3.4, moves 1–3):
// u, the pair (u, x) or the reversed pair (x, u) goes right after v.

// d is the distance between matrix nodes a and b.
func (p *params) d(a, b *lsNode) int64 { return p.dist[a.cour*p.n+b.cour] }

// t is the travel time between matrix nodes a and b.
func (p *params) t(a, b *lsNode) int64 { return p.time[a.cour*p.n+b.cour] }

// s is the service time of node a: moves that carry a client to another
// route carry its service time too, which counts in the travel bounds.
func (p *params) s(a *lsNode) int64 { return p.single[a.cour].travel }

// chainCost is the penalised cost on route r of start ⊕ clients ⊕ end.
func (ls *localSearch) chainCost(r *lsRoute, start *segment, clients []int, end *segment) float64 {
	p := ls.p
	if p.orderFree {
		return ls.chainCostOrderFree(r, start, clients, end)
	}
	// two buffers used in turn: no segment is copied
	var buf [2]segment
	cur := start
	for k, c := range clients {
		p.join(cur, &p.single[c], &buf[k&1])
		cur = &buf[k&1]
	}
	out := &buf[len(clients)&1]
	p.join(cur, end, out)
	return p.cost(out, r.vt, &ls.w)
}

// appendRange appends the clients from node a to node b (forward, inclusive).
func appendRange(buf []int, a, b *lsNode) []int {
	for n := a; ; n = n.next {
		buf = append(buf, n.cour)
		if n == b {
			return buf
		}
	}
}

// improves tells whether replacing routes ru and rv by costs cu and cv
// improves; it is the common acceptance test of inter-route moves.
func improves(cu, cv float64, ru, rv *lsRoute) bool {
	return cu+cv-ru.penalty-rv.penalty < -epsilon
}

// fixedChange is the change of route r's fixed cost when it ends up with
// after clients: a route that serves nobody costs nothing, so the lower
// bounds below count a fixed cost only for a route that keeps or gets a
// client.
func fixedChange(r *lsRoute, after int) float64 {
	if after == 0 {
		return -r.fixed
	}
	return r.typeFixed - r.fixed
}

// pruned tells that distance changes dU and dV alone already rule a move
// out: a route costs at least its fixed cost (while it serves a client)
// plus DistanceCost×distance, and penalties are never negative (HGS's early
// exit). afterU and afterV are the routes' client counts after the move.
func (ls *localSearch) pruned(dU, dV int64, ru, rv *lsRoute, afterU, afterV int) bool {
	if ls.p.open && ru != rv {
		return ls.openBound(ru, dU, 0, afterU, false)+ls.openBound(rv, dV, 0, afterV, false) >= 0
	}
	if ru == rv {
		return ru.dc*float64(dU+dV) >= ru.rest
	}
	return ru.dc*float64(dU)+rv.dc*float64(dV)+fixedChange(ru, afterU)+fixedChange(rv, afterV) >= ru.rest+rv.rest
}

// hopelessV tells, once route V's new cost cv is known, that U's lower
// bound (fixed cost, distance and travel after the change dU, tU) already
// rules the move out, so U need not be evaluated.
func (ls *localSearch) hopelessV(cv float64, dU, tU int64, ru, rv *lsRoute, afterU int) bool {
	lbU := ru.penalty - ru.rest + ru.dc*float64(dU) + fixedChange(ru, afterU)
	if ls.p.timeCosted {
		lbU = ru.penalty - ru.restT + ru.dc*float64(dU) + ru.tc*float64(tU) + fixedChange(ru, afterU)
	}
	if ls.p.open && afterU == 0 {
		lbU = 0 // an emptied route costs nothing, whatever its start→end leg
	}
	return cv+lbU-ru.penalty-rv.penalty >= -epsilon
}

// prunedT is pruned with the travel time changes tU and tV too: a route's
// duration is at least its travel and service time, so its cost is at least
// FixedCost + DistanceCost×distance + TimeCost×travel. It only differs from
// pruned when a vehicle type has a time cost.
func (ls *localSearch) prunedT(dU, dV, tU, tV int64, ru, rv *lsRoute, afterU, afterV int) bool {
	if !ls.p.timeCosted {
		return ls.pruned(dU, dV, ru, rv, afterU, afterV)
	}
	if ru == rv {
		return ru.dc*float64(dU+dV)+ru.tc*float64(tU+tV) >= ru.restT
	}
	if ls.p.open {
		return ls.openBound(ru, dU, tU, afterU, true)+ls.openBound(rv, dV, tV, afterV, true) >= 0
	}
	return ru.dc*float64(dU)+ru.tc*float64(tU)+rv.dc*float64(dV)+rv.tc*float64(tV)+
		fixedChange(ru, afterU)+fixedChange(rv, afterV) >= ru.restT+rv.restT
}

// intraImproves evaluates an edit inside one route: when only distance
// matters (orderFree) the distance change dist decides; otherwise the route
// before ⊕ seq ⊕ after is evaluated exactly.
func (ls *localSearch) intraImproves(r *lsRoute, dist int64, before *lsNode, seq []int, after *lsNode) bool {
	if ls.p.orderFree {
		return ls.p.types[r.vt].distCost*float64(dist) < -epsilon
	}
	return ls.chainCost(r, &before.fwd, seq, &after.bwd)-r.penalty < -epsilon
}

// relocate is move 1: u goes right after v.
func (ls *localSearch) relocate(u, v *lsNode) bool {
	p := ls.p
	x, y := u.next, v.next
	if u == y {
		return false
	}
	ru, rv := u.route, v.route
	dU := p.d(u.prev, x) - p.d(u.prev, u) - p.d(u, x)
	dV := p.d(v, u) + p.d(u, y) - p.d(v, y)
	var tU, tV int64
	if p.timeCosted {
		tU = p.t(u.prev, x) - p.t(u.prev, u) - p.t(u, x) - p.s(u)
		tV = p.t(v, u) + p.t(u, y) - p.t(v, y) + p.s(u)
	}
	if ls.prunedT(dU, dV, tU, tV, ru, rv, ru.nbCustomers-1, rv.nbCustomers+1) {
		return false
	}
	if ru != rv {
		var one [1]int
		one[0] = u.cour
		cv := ls.chainCost(rv, &v.fwd, one[:], &y.bwd)
		if ls.hopelessV(cv, dU, tU, ru, rv, ru.nbCustomers-1) {
			return false
		}
		cu := ls.chainCost(ru, &u.prev.fwd, nil, &x.bwd)
		if !improves(cu, cv, ru, rv) {
			return false
		}
	} else {
		seq := ls.seqU[:0]
		var before, after *lsNode
		if !p.orderFree {
			if u.position < v.position {
				seq = appendRange(seq, x, v)
				seq = append(seq, u.cour)
				before, after = u.prev, y
			} else {
				seq = append(seq, u.cour)
				seq = appendRange(seq, y, u.prev)
				before, after = v, x
			}
		}
		ls.seqU = seq
		if !ls.intraImproves(ru, dU+dV, before, seq, after) {
			return false
		}
	}
	insertNode(u, v)
	return ls.applied(ru, rv)
}

// relocatePair is move 2: (u, x) goes right after v.
func (ls *localSearch) relocatePair(u, v *lsNode) bool {
	return ls.relocatePairs(u, v, false)
}

// relocatePairReversed is move 3: (x, u) goes right after v.
func (ls *localSearch) relocatePairReversed(u, v *lsNode) bool {
	return ls.relocatePairs(u, v, true)
}

func (ls *localSearch) relocatePairs(u, v *lsNode, reversed bool) bool {
	p := ls.p
	x, y := u.next, v.next
	if u == y || x == v || x.isDepot {
		return false
	}
	xn := x.next
	ru, rv := u.route, v.route
	dU := p.d(u.prev, xn) - p.d(u.prev, u) - p.d(u, x) - p.d(x, xn)
	var dV, tU, tV int64
	var pair [2]int
	if reversed {
		dV = p.d(v, x) + p.d(x, u) + p.d(u, y) - p.d(v, y)
		pair = [2]int{x.cour, u.cour}
	} else {
		dV = p.d(v, u) + p.d(u, x) + p.d(x, y) - p.d(v, y)
		pair = [2]int{u.cour, x.cour}
	}
	if p.timeCosted {
		tU = p.t(u.prev, xn) - p.t(u.prev, u) - p.t(u, x) - p.t(x, xn) - p.s(u) - p.s(x)
		if reversed {
			tV = p.t(v, x) + p.t(x, u) + p.t(u, y) - p.t(v, y)
		} else {
			tV = p.t(v, u) + p.t(u, x) + p.t(x, y) - p.t(v, y)
		}
		tV += p.s(u) + p.s(x)
	}
	if ls.prunedT(dU, dV, tU, tV, ru, rv, ru.nbCustomers-2, rv.nbCustomers+2) {
		return false
	}
	if ru != rv {
		cv := ls.chainCost(rv, &v.fwd, pair[:], &y.bwd)
		if ls.hopelessV(cv, dU, tU, ru, rv, ru.nbCustomers-2) {
			return false
		}
		cu := ls.chainCost(ru, &u.prev.fwd, nil, &xn.bwd)
		if !improves(cu, cv, ru, rv) {
			return false
		}
	} else {
		seq := ls.seqU[:0]
		var before, after *lsNode
		if !p.orderFree {
			if u.position < v.position {
				seq = appendRange(seq, xn, v)
				seq = append(seq, pair[:]...)
				before, after = u.prev, y
			} else {
				seq = append(seq, pair[:]...)
				seq = appendRange(seq, y, u.prev)
				before, after = v, xn
			}
		}
		ls.seqU = seq
		if !ls.intraImproves(ru, dU+dV, before, seq, after) {
			return false
		}
	}
	if reversed {
		insertNode(x, v)
		insertNode(u, x)
	} else {
		insertNode(u, v)
		insertNode(x, u)
	}
	return ls.applied(ru, rv)
}

// chainCostOrderFree is chainCost when only distance and load totals
// matter: no segment copies, the same result.
func (ls *localSearch) chainCostOrderFree(r *lsRoute, start *segment, clients []int, end *segment) float64 {
	p := ls.p
	n := p.n
	dist := start.dist + end.dist
	nb := start.nb + end.nb
	skills := start.skills | end.skills
	prev := start.last
	del := start.del
	for _, c := range clients {
		dist += p.dist[prev*n+c]
		s := &p.single[c]
		for d := 0; d < p.dims; d++ {
			del[d] += s.del[d]
		}
		nb++
		skills |= s.skills
		prev = c
	}
	dist += p.dist[prev*n+end.first]
	if nb == 0 {
		return 0
	}
	vt := &p.types[r.vt]
	cost := vt.fixed + vt.distCost*float64(dist)
	for d := 0; d < p.dims; d++ {
		if ex := del[d] + end.del[d] - vt.capacity[d]; ex > 0 {
			cost += ls.w.load * float64(ex) * p.dimWeight[d]
		}
	}
	if vt.maxDistance > 0 && dist > vt.maxDistance {
		cost += ls.w.dist * float64(dist-vt.maxDistance)
	}
	if x := skills &^ vt.skills; x != 0 {
		cost += p.skillPenalty * float64(bits.OnesCount64(x))
	}
	return cost
}
