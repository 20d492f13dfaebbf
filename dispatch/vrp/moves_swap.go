package vrp

// SWAP moves of the granular local search (Vidal 2022, §3.4, moves 4–6):
// u with v, the pair (u, x) with v, and the pair (u, x) with the pair (v, y).

// swap is move 4: u and v exchange places.
func (ls *localSearch) swap(u, v *lsNode) bool {
	p := ls.p
	x, y := u.next, v.next
	if u == v.prev || u == y {
		return false
	}
	pu, pv := u.prev, v.prev
	ru, rv := u.route, v.route
	dU := p.d(pu, v) + p.d(v, x) - p.d(pu, u) - p.d(u, x)
	dV := p.d(pv, u) + p.d(u, y) - p.d(pv, v) - p.d(v, y)
	var tU, tV int64
	if p.timeCosted {
		tU = p.t(pu, v) + p.t(v, x) - p.t(pu, u) - p.t(u, x)
		tV = p.t(pv, u) + p.t(u, y) - p.t(pv, v) - p.t(v, y)
		tU += p.s(v) - p.s(u)
		tV += p.s(u) - p.s(v)
	}
	if ls.prunedT(dU, dV, tU, tV, ru, rv, ru.nbCustomers, rv.nbCustomers) {
		return false
	}
	if ru != rv {
		var a, b [1]int
		a[0], b[0] = v.cour, u.cour
		cv := ls.chainCost(rv, &pv.fwd, b[:], &y.bwd)
		if ls.hopelessV(cv, dU, tU, ru, rv, ru.nbCustomers) {
			return false
		}
		cu := ls.chainCost(ru, &pu.fwd, a[:], &x.bwd)
		if !improves(cu, cv, ru, rv) {
			return false
		}
	} else {
		seq := ls.seqU[:0]
		var before, after *lsNode
		if !p.orderFree {
			if u.position < v.position {
				seq = append(seq, v.cour)
				seq = appendRange(seq, x, pv)
				seq = append(seq, u.cour)
				before, after = pu, y
			} else {
				seq = append(seq, u.cour)
				seq = appendRange(seq, y, pu)
				seq = append(seq, v.cour)
				before, after = pv, x
			}
		}
		ls.seqU = seq
		if !ls.intraImproves(ru, dU+dV, before, seq, after) {
			return false
		}
	}
	swapNode(u, v)
	return ls.applied(ru, rv)
}

// swapPairSingle is move 5: the pair (u, x) and v exchange places.
func (ls *localSearch) swapPairSingle(u, v *lsNode) bool {
	p := ls.p
	x, y := u.next, v.next
	if u == v.prev || x == v.prev || u == y || x.isDepot {
		return false
	}
	pu, pv, xn := u.prev, v.prev, x.next
	ru, rv := u.route, v.route
	dU := p.d(pu, v) + p.d(v, xn) - p.d(pu, u) - p.d(u, x) - p.d(x, xn)
	dV := p.d(pv, u) + p.d(u, x) + p.d(x, y) - p.d(pv, v) - p.d(v, y)
	var tU, tV int64
	if p.timeCosted {
		tU = p.t(pu, v) + p.t(v, xn) - p.t(pu, u) - p.t(u, x) - p.t(x, xn)
		tV = p.t(pv, u) + p.t(u, x) + p.t(x, y) - p.t(pv, v) - p.t(v, y)
		tU += p.s(v) - p.s(u) - p.s(x)
		tV += p.s(u) + p.s(x) - p.s(v)
	}
	if ls.prunedT(dU, dV, tU, tV, ru, rv, ru.nbCustomers, rv.nbCustomers) {
		return false
	}
	if ru != rv {
		var a [1]int
		var b [2]int
		a[0], b[0], b[1] = v.cour, u.cour, x.cour
		cv := ls.chainCost(rv, &pv.fwd, b[:], &y.bwd)
		if ls.hopelessV(cv, dU, tU, ru, rv, ru.nbCustomers) {
			return false
		}
		cu := ls.chainCost(ru, &pu.fwd, a[:], &xn.bwd)
		if !improves(cu, cv, ru, rv) {
			return false
		}
	} else {
		seq := ls.seqU[:0]
		var before, after *lsNode
		if !p.orderFree {
			if u.position < v.position {
				seq = append(seq, v.cour)
				seq = appendRange(seq, xn, pv)
				seq = append(seq, u.cour, x.cour)
				before, after = pu, y
			} else {
				seq = append(seq, u.cour, x.cour)
				seq = appendRange(seq, y, pu)
				seq = append(seq, v.cour)
				before, after = pv, xn
			}
		}
		ls.seqU = seq
		if !ls.intraImproves(ru, dU+dV, before, seq, after) {
			return false
		}
	}
	swapNode(u, v)
	insertNode(x, u)
	return ls.applied(ru, rv)
}

// swapPairs is move 6: the pairs (u, x) and (v, y) exchange places.
func (ls *localSearch) swapPairs(u, v *lsNode) bool {
	p := ls.p
	x, y := u.next, v.next
	if x.isDepot || y.isDepot || y == u.prev || u == y || x == v || v == x.next {
		return false
	}
	pu, pv, xn, yn := u.prev, v.prev, x.next, y.next
	ru, rv := u.route, v.route
	dU := p.d(pu, v) + p.d(v, y) + p.d(y, xn) - p.d(pu, u) - p.d(u, x) - p.d(x, xn)
	dV := p.d(pv, u) + p.d(u, x) + p.d(x, yn) - p.d(pv, v) - p.d(v, y) - p.d(y, yn)
	var tU, tV int64
	if p.timeCosted {
		tU = p.t(pu, v) + p.t(v, y) + p.t(y, xn) - p.t(pu, u) - p.t(u, x) - p.t(x, xn)
		tV = p.t(pv, u) + p.t(u, x) + p.t(x, yn) - p.t(pv, v) - p.t(v, y) - p.t(y, yn)
		tU += p.s(v) + p.s(y) - p.s(u) - p.s(x)
		tV += p.s(u) + p.s(x) - p.s(v) - p.s(y)
	}
	if ls.prunedT(dU, dV, tU, tV, ru, rv, ru.nbCustomers, rv.nbCustomers) {
		return false
	}
	if ru != rv {
		var a, b [2]int
		a[0], a[1], b[0], b[1] = v.cour, y.cour, u.cour, x.cour
		cv := ls.chainCost(rv, &pv.fwd, b[:], &yn.bwd)
		if ls.hopelessV(cv, dU, tU, ru, rv, ru.nbCustomers) {
			return false
		}
		cu := ls.chainCost(ru, &pu.fwd, a[:], &xn.bwd)
		if !improves(cu, cv, ru, rv) {
			return false
		}
	} else {
		seq := ls.seqU[:0]
		var before, after *lsNode
		if !p.orderFree {
			if u.position < v.position {
				seq = append(seq, v.cour, y.cour)
				seq = appendRange(seq, xn, pv)
				seq = append(seq, u.cour, x.cour)
				before, after = pu, yn
			} else {
				seq = append(seq, u.cour, x.cour)
				seq = appendRange(seq, yn, pu)
				seq = append(seq, v.cour, y.cour)
				before, after = pv, xn
			}
		}
		ls.seqU = seq
		if !ls.intraImproves(ru, dU+dV, before, seq, after) {
			return false
		}
	}
	swapNode(u, v)
	swapNode(x, y)
	return ls.applied(ru, rv)
}
