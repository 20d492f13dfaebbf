package vrp

// 2-OPT and 2-OPT* moves of the granular local search (Vidal 2022, §3.4,
// moves 7–9).

// appendNodes appends the nodes from a to b following next (inclusive).
func appendNodes(buf []*lsNode, a, b *lsNode) []*lsNode {
	for n := a; ; n = n.next {
		buf = append(buf, n)
		if n == b {
			return buf
		}
	}
}

// appendNodesBack appends the nodes from a back to b following prev.
func appendNodesBack(buf []*lsNode, a, b *lsNode) []*lsNode {
	for n := a; ; n = n.prev {
		buf = append(buf, n)
		if n == b {
			return buf
		}
	}
}

// twoOpt is move 7: inside one route, the path x..v is reversed, so that
// (u, x) and (v, y) become (u, v) and (x, y).
func (ls *localSearch) twoOpt(u, v *lsNode) bool {
	p := ls.p
	if u.route != v.route || u.position >= v.position {
		return false
	}
	x, y := u.next, v.next
	if x == v {
		return false
	}
	r := u.route
	dist := p.d(u, v) + p.d(x, y) - p.d(u, x) - p.d(v, y)
	if r.dc*float64(dist) >= r.rest {
		return false
	}
	if p.timeCosted && p.symmetric { // the reversed path takes as long
		tt := p.t(u, v) + p.t(x, y) - p.t(u, x) - p.t(v, y)
		if r.dc*float64(dist)+r.tc*float64(tt) >= r.restT {
			return false
		}
	}
	if p.orderFree && p.symmetric {
		if p.types[r.vt].distCost*float64(dist) >= -epsilon {
			return false
		}
	} else {
		seq := ls.seqU[:0]
		for n := v; ; n = n.prev {
			seq = append(seq, n.cour)
			if n == x {
				break
			}
		}
		ls.seqU = seq
		if ls.chainCost(r, &u.fwd, seq, &y.bwd)-r.penalty >= -epsilon {
			return false
		}
	}
	nodes := ls.nodesU[:0]
	if !u.isDepot {
		nodes = appendNodes(nodes, r.depot.next, u)
	}
	nodes = appendNodesBack(nodes, v, x)
	if !y.isDepot {
		nodes = appendNodes(nodes, y, r.depotEnd.prev)
	}
	ls.nodesU = nodes
	relink(r, nodes)
	return ls.applied(r, r)
}

// twoOptStarTails is move 9: between two routes, (u, x) and (v, y) become
// (u, y) and (v, x); the routes exchange their tails.
func (ls *localSearch) twoOptStarTails(u, v *lsNode) bool {
	p := ls.p
	ru, rv := u.route, v.route
	if ru == rv {
		return false
	}
	x, y := u.next, v.next
	tailX, tailY := &x.bwd, &y.bwd
	var dU, dV, tU, tV int64
	if p.open && ru.depotEnd.cour != rv.depotEnd.cour {
		// the tails change ends (open.go)
		var bufX, bufY segment
		tailX, tailY = ls.tailTo(x, rv, &bufX), ls.tailTo(y, ru, &bufY)
		dU, tU = ls.legsTo(u, tailY, ru)
		dV, tV = ls.legsTo(v, tailX, rv)
	} else {
		dU = p.d(u, y) - p.d(u, x) + y.bwd.dist - x.bwd.dist
		dV = p.d(v, x) - p.d(v, y) + x.bwd.dist - y.bwd.dist
		if p.timeCosted {
			tU = p.t(u, y) - p.t(u, x) + y.bwd.travel - x.bwd.travel
			tV = p.t(v, x) - p.t(v, y) + x.bwd.travel - y.bwd.travel
		}
	}
	afterU := u.position + rv.nbCustomers - v.position
	afterV := v.position + ru.nbCustomers - u.position
	if ls.prunedT(dU, dV, tU, tV, ru, rv, afterU, afterV) {
		return false
	}
	cv := ls.chainCost(rv, &v.fwd, nil, tailX)
	if ls.hopelessV(cv, dU, tU, ru, rv, afterU) {
		return false
	}
	cu := ls.chainCost(ru, &u.fwd, nil, tailY)
	if !improves(cu, cv, ru, rv) {
		return false
	}
	nu, nv := ls.nodesU[:0], ls.nodesV[:0]
	if !u.isDepot {
		nu = appendNodes(nu, ru.depot.next, u)
	}
	if !y.isDepot {
		nu = appendNodes(nu, y, rv.depotEnd.prev)
	}
	if !v.isDepot {
		nv = appendNodes(nv, rv.depot.next, v)
	}
	if !x.isDepot {
		nv = appendNodes(nv, x, ru.depotEnd.prev)
	}
	ls.nodesU, ls.nodesV = nu, nv
	relink(ru, nu)
	relink(rv, nv)
	return ls.applied(ru, rv)
}

// twoOptStarHeads is move 8: between two routes, (u, x) and (v, y) become
// (u, v) and (x, y): U keeps its head and continues with V's head reversed,
// V starts with U's tail reversed. Only where reversal changes nothing but
// the distance travelled backwards (orderFree, symmetric matrices).
func (ls *localSearch) twoOptStarHeads(u, v *lsNode) bool {
	p := ls.p
	ru, rv := u.route, v.route
	if ru == rv || !p.orderFree || !p.symmetric {
		return false
	}
	x, y := u.next, v.next
	distU := u.fwd.dist + p.d(u, v) + v.fwd.dist
	distV := x.bwd.dist + p.d(x, y) + y.bwd.dist
	dU := distU - ru.depotEnd.fwd.dist
	dV := distV - rv.depotEnd.fwd.dist
	afterU := u.position + v.position
	afterV := ru.nbCustomers - u.position + rv.nbCustomers - v.position
	if ls.pruned(dU, dV, ru, rv, afterU, afterV) {
		return false
	}
	var su, sv segment
	ls.reversedUnion(&su, &u.fwd, &v.fwd, distU)
	ls.reversedUnion(&sv, &x.bwd, &y.bwd, distV)
	cu := p.cost(&su, ru.vt, &ls.w)
	cv := p.cost(&sv, rv.vt, &ls.w)
	if !improves(cu, cv, ru, rv) {
		return false
	}
	nu, nv := ls.nodesU[:0], ls.nodesV[:0]
	if !u.isDepot {
		nu = appendNodes(nu, ru.depot.next, u)
	}
	if !v.isDepot {
		nu = appendNodesBack(nu, v, rv.depot.next)
	}
	if !x.isDepot {
		nv = appendNodesBack(nv, ru.depotEnd.prev, x)
	}
	if !y.isDepot {
		nv = appendNodes(nv, y, rv.depotEnd.prev)
	}
	ls.nodesU, ls.nodesV = nu, nv
	relink(ru, nu)
	relink(rv, nv)
	return ls.applied(ru, rv)
}

// reversedUnion builds, for orderFree instances, the segment of a route made
// of the clients of a and b with distance dist.
func (ls *localSearch) reversedUnion(out, a, b *segment, dist int64) {
	*out = segment{nb: a.nb + b.nb, dist: dist, skills: a.skills | b.skills}
	for d := 0; d < ls.p.dims; d++ {
		out.del[d] = a.del[d] + b.del[d]
		out.peak[d] = out.del[d]
	}
}
