package vrp

// RELOCATE with a reload: u goes right after v and a reload goes with it,
// before u (v → reload → u: u opens a trip after v's) or after it (v → u →
// reload: u closes v's trip). PyVRP's RelocateWithDepot does the same for
// its reload depots (Wouda, Lan and Kool 2024, and PyVRP's search
// operators since v0.11); written here from that description. Without it
// a stop can move to a new trip only in two steps, a reload first and the
// stop second, and the first step alone seldom pays, so the local search
// rarely opens a trip where none is. The reload is a spare copy, one with
// no client after it in its route: it costs nothing there (reload.go: a
// reload before an empty trip is free), so taking it away changes no
// route's cost, and evaluating the move is two segment concatenations, as
// for RELOCATE.

// spareReload is a reload copy with no client after it in its route, or
// nil. The last one found is tried first: it usually still is.
func (ls *localSearch) spareReload() *lsNode {
	p := ls.p
	if ls.spare != nil && ls.isSpare(ls.spare) {
		return ls.spare
	}
	ls.spare = nil
	for c := p.nbReal + 1; c <= p.nbClients; c++ {
		if r := &ls.clients[c]; p.isReload(c) && ls.isSpare(r) {
			ls.spare = r
			break
		}
	}
	return ls.spare
}

// isSpare tells that only reloads follow r in its route.
func (ls *localSearch) isSpare(r *lsNode) bool {
	for n := r.next; !n.isDepot; n = n.next {
		if !ls.p.isReload(n.cour) {
			return false
		}
	}
	return true
}

// relocateWithReload tries both places of the reload and applies the
// first that improves.
func (ls *localSearch) relocateWithReload(u, v *lsNode) bool {
	p := ls.p
	if p.isReload(u.cour) || p.isReload(v.cour) || u == v {
		return false
	}
	r := ls.spareReload()
	if r == nil {
		return false
	}
	return ls.reloadMove(u, v, r, true) || ls.reloadMove(u, v, r, false)
}

// reloadMove evaluates u after v with reload r before u (first) or after
// it, and applies it when it improves.
func (ls *localSearch) reloadMove(u, v, r *lsNode, first bool) bool {
	p := ls.p
	x, y := u.next, v.next
	switch {
	case first && v.isDepot: // a reload right after the start serves no trip
		return false
	case !first && (y.isDepot || p.isReload(y.cour) || y == u):
		return false // the reload would close nothing or sit next to another
	}
	ru, rv, rs := u.route, v.route, r.route
	dU := p.d(u.prev, x) - p.d(u.prev, u) - p.d(u, x)
	var dV int64
	seq := ls.seqU[:0]
	if first {
		dV = p.d(v, r) + p.d(r, u) + p.d(u, y) - p.d(v, y)
		seq = append(seq, r.cour, u.cour)
	} else {
		dV = p.d(v, u) + p.d(u, r) + p.d(r, y) - p.d(v, y)
		seq = append(seq, u.cour, r.cour)
	}
	if u == y { // u stays where it is; only the reload comes
		dU, dV = 0, p.d(v, r)+p.d(r, u)-p.d(v, u)
	}
	if ls.pruned(dU, dV, ru, rv, ru.nbCustomers-1, rv.nbCustomers+1) {
		return false
	}
	if ru != rv {
		cv := ls.chainCost(rv, &v.fwd, seq, &y.bwd)
		cu := ls.chainCost(ru, &u.prev.fwd, nil, &x.bwd)
		if !improves(cu, cv, ru, rv) {
			ls.seqU = seq
			return false
		}
	} else {
		var before, after *lsNode
		switch {
		case u == y:
			before, after = v, x
		case u.position < v.position:
			moved := append([]int(nil), seq...)
			seq = appendRange(seq[:0], x, v)
			seq = append(seq, moved...)
			before, after = u.prev, y
		default:
			seq = appendRange(seq, y, u.prev)
			before, after = v, x
		}
		ls.seqU = seq
		if ls.chainCost(ru, &before.fwd, seq, &after.bwd)-ru.penalty >= -epsilon {
			return false
		}
	}
	if u != y {
		insertNode(u, v)
	}
	if first {
		insertNode(r, v)
	} else {
		insertNode(r, u)
	}
	if !ls.applied(ru, rv) {
		return false
	}
	if rs != ru && rs != rv {
		ls.updateRouteData(rs)
	}
	return true
}
