package vrp

// Open and asymmetric routes (VROOM's vehicles whose start and end differ
// or are absent, docs/API.md of VROOM-Project/vroom). The route's first and
// last legs stay the legs of the segments at its ends (depotFrom, depotTo),
// so every move keeps its O(1) evaluation: those segments sit at the
// vehicle's start and end nodes, and an absent end is one extra matrix node,
// nowhere, from and to which every leg is free.

// openEnds sets p.open and, when some route has an absent end, appends the
// nowhere node to copies of the matrices.
func (p *params) openEnds(in *Instance) {
	absent := false
	for _, vt := range in.VehicleTypes {
		p.open = p.open || !vt.closed()
		absent = absent || vt.Start == NoPlace || vt.End == NoPlace
	}
	if !absent {
		return
	}
	n, m := p.n, p.n+1
	grow := func(a []int64) []int64 {
		out := make([]int64, m*m) // row and column n (nowhere) stay 0
		for i := range n {
			copy(out[i*m:i*m+n], a[i*n:(i+1)*n])
		}
		return out
	}
	same := &p.time[0] == &p.dist[0]
	p.dist = grow(p.dist)
	if same {
		p.time = p.dist
	} else {
		p.time = grow(p.time)
	}
	p.nowhere, p.n = n, m
}

// endNode is the matrix node of a route's end e (VehicleType.Start, End).
func (p *params) endNode(e int) int {
	if e == NoPlace {
		return p.nowhere
	}
	return e
}

// tailTo is n's tail (n to its route's last client) followed by route r's
// end, in buf; n may be its own route's end, whose tail is empty.
func (ls *localSearch) tailTo(n *lsNode, r *lsRoute, buf *segment) *segment {
	end := &ls.p.depotTo[r.vt]
	if n.isDepot {
		return end
	}
	ls.p.join(&n.tail, end, buf)
	return buf
}

// legsTo is the change of route r's distance and travel time when it
// keeps its head up to u and continues with tail (which ends at r's end).
func (ls *localSearch) legsTo(u *lsNode, tail *segment, r *lsRoute) (dist, travel int64) {
	p := ls.p
	old := &r.depotEnd.fwd
	dist = u.fwd.dist + p.dist[u.cour*p.n+tail.first] + tail.dist - old.dist
	if p.timeCosted {
		travel = u.fwd.travel + p.time[u.cour*p.n+tail.first] + tail.travel - old.travel
	}
	return dist, travel
}

// openBound is the lower bound of route r's cost change that pruned and
// prunedT use, for open or asymmetric routes: the changes dist and travel
// of its legs price a route that keeps a client, but a route emptied by the
// move costs nothing, while its leg change would still count the leg from
// its start to its end (0 on a closed route, so closed routes use the
// bound's plain form).
func (ls *localSearch) openBound(r *lsRoute, dist, travel int64, after int, timed bool) float64 {
	if after == 0 {
		return -r.penalty
	}
	if timed {
		return r.dc*float64(dist) + r.tc*float64(travel) + fixedChange(r, after) - r.restT
	}
	return r.dc*float64(dist) + fixedChange(r, after) - r.rest
}
