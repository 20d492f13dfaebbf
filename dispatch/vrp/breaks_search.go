package vrp

// Breaks in the search. Each van of a type with breaks (a "slot": the
// k-th route of that type in the local search) gets one visit per break,
// a pseudo-client after the stops that the search moves like a client but
// only inside its own route, the way VROOM keeps a vehicle's breaks as
// steps of that vehicle's route. A break is taken where the van is, so it
// has no place of its own: a segment that holds breaks keeps the time
// summary of those before its first real visit apart (breakPart.lead),
// and concatenation puts them after the previous segment's last service
// and before the leg to its own first visit. Everything stays O(1) per
// concatenation (Vidal et al. 2013, §3.3, for the time-warp algebra, with
// a zero-length leg to a break). The load during a break is a resource
// concatenated like the peak load (segment.go): the largest excess over a
// break's max_load when the segment is entered with its deliveries.
//
// Invariants: after Split (which knows nothing of them) the local search
// puts each break visit back into its slot's route (repairBreaks); a move
// that carries one into another route is undone (applied, as for
// shipments); relocateBreak moves a break inside its route; the vehicle
// type exchange is off (a slot's breaks are its type's).

import "slices"

// negLoad is the neutral break load excess: no break, no excess.
const negLoad = -Horizon

// A segment with breaks (hasB) keeps beside its usual fields, in its
// reloadPart r (segment.go):
//   - onlyB: it holds breaks and no real visit; first and last are then a
//     break node (for bounds only) and the time fields are unused;
//   - r.mid, the lead: the time summary of the breaks before the first
//     real visit, first < 0 when there are none;
//   - r.midEx: the largest load − max_load over its breaks, per dimension,
//     entering with its deliveries on board; negLoad when none limits it.

// breakOwner is the van slot and break a break visit stands for.
type breakOwner struct {
	vt, slot, brk int
}

// breakParams is the search's view of the breaks.
type breakParams struct {
	first  int          // matrix node of the first break visit
	owners []breakOwner // by node − first
}

// isBreak tells whether matrix node i is a break visit.
func (p *params) isBreak(i int) bool {
	return p.brk != nil && i >= p.brk.first && i < p.brk.first+len(p.brk.owners)
}

// withBreaks is in with a break visit per break of each slot appended to
// its stops (matrix rows and columns of zeros: a break has no place), and
// how many there are. Slots are min(Count, stops) per type.
func withBreaks(in *Instance) (*Instance, int) {
	if !hasBreaks(in) {
		return in, 0
	}
	out := *in
	out.Stops = slices.Clone(in.Stops)
	out.breakOwners = nil
	for t := range in.VehicleTypes {
		vt := &in.VehicleTypes[t]
		for k := range min(vt.Count, len(in.Stops)) {
			for b, br := range vt.Breaks {
				out.Stops = append(out.Stops, Stop{ID: "break " + br.ID, Service: br.Service, TimeWindows: br.TimeWindows, Kind: kindBreak})
				out.breakOwners = append(out.breakOwners, breakOwner{t, k, b})
			}
		}
	}
	n, m := in.N(), out.N()
	first := len(in.Stops) + 1
	grow := func(src []int64) []int64 {
		if src == nil {
			return nil
		}
		dst := make([]int64, m*m)
		// nodes after the stops: places (n−first of them) move past the breaks
		node := func(i int) int {
			switch {
			case i < first:
				return i
			case i < first+len(out.breakOwners):
				return -1
			}
			return i - len(out.breakOwners)
		}
		for a := range m {
			if node(a) < 0 {
				continue
			}
			for b := range m {
				if node(b) >= 0 {
					dst[a*m+b] = src[node(a)*n+node(b)]
				}
			}
		}
		return dst
	}
	out.Distance, out.Duration = grow(in.Distance), grow(in.Duration)
	out.VehicleTypes = slices.Clone(in.VehicleTypes)
	for t := range out.VehicleTypes {
		for _, e := range []*int{&out.VehicleTypes[t].Start, &out.VehicleTypes[t].End} {
			if *e >= first {
				*e += len(out.breakOwners)
			}
		}
	}
	return &out, len(out.breakOwners)
}

// kindBreak marks the break visits withBreaks adds (never in a caller's
// instance).
const kindBreak StopKind = 255

// newBreakParams reads the break visits of in, or nil.
func newBreakParams(in *Instance) *breakParams {
	if len(in.breakOwners) == 0 {
		return nil
	}
	first := 1 + slices.IndexFunc(in.Stops, func(s Stop) bool { return s.Kind == kindBreak })
	return &breakParams{first: first, owners: in.breakOwners}
}

// breakSegment is the segment of break visit i alone.
func (p *params) breakSegment(i int) segment {
	o := p.brk.owners[i-p.brk.first]
	br := &p.in.VehicleTypes[o.vt].Breaks[o.brk]
	s := segment{first: i, last: i, hasB: true}
	s.onlyB = true
	s.r.mid = twPart{first: i, last: i, dur: br.Service, e: 0, l: Horizon}
	if k := len(br.TimeWindows); k > 0 {
		s.r.mid.e, s.r.mid.l = br.TimeWindows[0].Start, br.TimeWindows[k-1].End
	}
	for d := range MaxDims {
		s.r.midEx[d] = negLoad
		if br.LimitLoad && d < p.dims {
			s.r.midEx[d] = -br.MaxLoad[d]
		}
	}
	return s
}

// twJoinAt is a ⊕ b on time-warp parts with a leg of t between them;
// either may be empty (first < 0). The result keeps a's first and b's
// last, or the non-empty one's.
func twJoinAt(a, b *twPart, t int64) twPart {
	if a.first < 0 {
		return *b
	}
	if b.first < 0 {
		return *a
	}
	delta := a.dur - a.tw + t
	wait := max(b.e-delta-a.l, 0)
	warp := max(a.e+delta-b.l, 0)
	return twPart{
		first: a.first, last: b.last,
		dur: a.dur + b.dur + t + wait,
		tw:  a.tw + b.tw + warp,
		e:   max(b.e-delta, a.e) - wait,
		l:   min(b.l-delta, a.l) + warp,
	}
}

// body is the time summary of s from its first real visit on.
func (s *segment) body() twPart {
	if s.hasB && s.onlyB {
		return twPart{first: -1, last: -1}
	}
	return twPart{first: s.first, last: s.last, dur: s.dur, tw: s.tw, e: s.e, l: s.l}
}

// lead is the time summary of the breaks before s's first real visit.
func (s *segment) lead() twPart {
	if !s.hasB {
		return twPart{first: -1, last: -1}
	}
	return s.r.mid
}

// breakEx is s's break load excess (negLoad without breaks).
func (s *segment) breakEx(d int) int64 {
	if !s.hasB {
		return negLoad
	}
	return s.r.midEx[d]
}

// joinBreak is join when a or b holds a break.
func (p *params) joinBreak(a, b *segment, out *segment) {
	aOnly, bOnly := a.hasB && a.onlyB, b.hasB && b.onlyB
	var ex Amount
	for d := 0; d < p.dims; d++ {
		ex[d] = max(a.breakEx(d)+b.del[d], b.breakEx(d)+a.pick[d])
		out.del[d] = a.del[d] + b.del[d]
		out.pick[d] = a.pick[d] + b.pick[d]
		out.peak[d] = max(a.peak[d]+b.del[d], b.peak[d]+a.pick[d])
	}
	for d := p.dims; d < MaxDims; d++ {
		ex[d] = negLoad
	}
	out.nb = a.nb + b.nb
	out.skills = a.skills | b.skills
	out.release = max(a.release, b.release)
	out.hasR = false
	al, bl := a.lead(), b.lead()
	ab, bb := a.body(), b.body()
	var lead, body twPart
	switch {
	case aOnly: // a's breaks come before b's
		lead, body = twJoinAt(&al, &bl, 0), bb
		out.first, out.last = b.first, b.last
		out.dist, out.travel = b.dist, a.travel+b.travel
	case bOnly: // b's breaks happen at a's last place
		lead, body = al, twJoinAt(&ab, &bl, 0)
		out.first, out.last = a.first, a.last
		out.dist, out.travel = a.dist, a.travel+b.travel
	default:
		t := p.time[a.last*p.n+b.first]
		x := twJoinAt(&ab, &bl, 0)
		x.last = a.last
		lead, body = al, twJoinAt(&x, &bb, t)
		out.first, out.last = a.first, b.last
		out.dist = a.dist + b.dist + p.dist[a.last*p.n+b.first]
		out.travel = a.travel + b.travel + t
	}
	out.hasB = true
	out.onlyB, out.r.mid, out.r.midEx = aOnly && bOnly, lead, ex
	if aOnly && bOnly {
		out.first, out.last = a.first, b.last
		return
	}
	out.dur, out.tw, out.e, out.l = body.dur, body.tw, body.e, body.l
}

// breakLoadEx is the weighted load excess over the breaks' max_load of a
// whole route segment.
func (p *params) breakLoadEx(s *segment) float64 {
	var ex float64
	for d := 0; d < p.dims; d++ {
		if s.r.midEx[d] > 0 {
			ex += float64(s.r.midEx[d]) * p.dimWeight[d]
		}
	}
	return ex
}

// routeBreaksHold tells whether every break visit on r belongs to r.
func (ls *localSearch) routeBreaksHold(r *lsRoute) bool {
	for n := r.depot.next; !n.isDepot; n = n.next {
		if ls.p.isBreak(n.cour) && ls.breakRoute[n.cour-ls.p.brk.first] != r.index {
			return false
		}
	}
	return true
}

// repairBreaks gives each slot its route (the k-th route of its type) and
// moves every break visit that Split left elsewhere into its slot's route,
// where it costs least. A slot without a route (more vans than routes of
// its type) keeps its visits in the last route of the type.
func (ls *localSearch) repairBreaks() {
	p, bp := ls.p, ls.p.brk
	if len(ls.breakRoute) != len(bp.owners) {
		ls.breakRoute = make([]int, len(bp.owners))
	}
	slots := make([][]int, len(p.types))
	for _, r := range ls.routes[:ls.nbRoutes] {
		slots[r.vt] = append(slots[r.vt], r.index)
	}
	var moved []*lsNode
	for i, o := range bp.owners {
		s := slots[o.vt]
		ls.breakRoute[i] = s[min(o.slot, len(s)-1)]
		n := &ls.clients[bp.first+i]
		if n.route.index != ls.breakRoute[i] {
			n.prev.next, n.next.prev = n.next, n.prev
			moved = append(moved, n)
		}
	}
	if len(moved) == 0 {
		return
	}
	for _, r := range ls.routes[:ls.nbRoutes] {
		ls.updateRouteData(r)
	}
	for _, n := range moved {
		r := ls.routes[ls.breakRoute[n.cour-bp.first]]
		var best *lsNode
		bestCost := 0.0
		one := [1]int{n.cour}
		for v := r.depot; ; v = v.next {
			if c := ls.chainCost(r, &v.fwd, one[:], &v.next.bwd); best == nil || c < bestCost {
				best, bestCost = v, c
			}
			if v.next.isDepot {
				break
			}
		}
		n.route = r
		insertNodeAfterFresh(n, best)
		ls.updateRouteData(r)
	}
}

// relocateBreak moves break visit u to its best place in its route: the
// places after it are walked with the segment from u's predecessor grown
// one visit at a time, those before it with the segment up to u's
// successor grown backwards, O(route) in all.
func (ls *localSearch) relocateBreak(u *lsNode) bool {
	p, r := ls.p, u.route
	var cur, tmp, a, out segment
	var best *lsNode
	bestCost := r.penalty - epsilon
	one := &p.single[u.cour]
	// after u: fwd(u.prev) ⊕ u.next … w ⊕ u ⊕ bwd(w.next)
	cur = u.prev.fwd
	for w := u.next; !w.isDepot; w = w.next {
		p.join(&cur, &p.single[w.cour], &tmp)
		cur = tmp
		p.join(&cur, one, &a)
		p.join(&a, &w.next.bwd, &out)
		if c := p.cost(&out, r.vt, &ls.w); c < bestCost {
			best, bestCost = w, c
		}
	}
	// before u: fwd(w) ⊕ u ⊕ w.next … u.prev ⊕ bwd(u.next)
	cur = u.next.bwd
	for w := u.prev.prev; w != nil && !u.prev.isDepot; w = w.prev {
		p.join(&p.single[w.next.cour], &cur, &tmp)
		cur = tmp
		p.join(one, &cur, &a)
		p.join(&w.fwd, &a, &out)
		if c := p.cost(&out, r.vt, &ls.w); c < bestCost {
			best, bestCost = w, c
		}
		if w.isDepot {
			break
		}
	}
	if best == nil {
		return false
	}
	insertNode(u, best)
	return ls.applied(r, r)
}

// outRoute turns a search route into a Route over in's stops: reloads as
// reloadRoute does, break visits as the route's Breaks.
func (p *params) outRoute(nodes []int, t int, keep []int, nbReal int) Route {
	if p.brk == nil {
		return reloadRoute(nodes, t, keep, nbReal)
	}
	r := Route{VehicleType: t}
	for _, c := range nodes {
		if p.isBreak(c) {
			r.Breaks = append(r.Breaks, BreakAt{Break: p.brk.owners[c-p.brk.first].brk, After: len(r.Stops)})
			continue
		}
		r.Stops = append(r.Stops, keep[c-1])
	}
	return r
}

// settleBreaks gives route r its breaks for good and returns its exact
// cost (solution.go's finalise): the search's placement when it holds all
// the type's breaks and is feasible and no dearer than bestBreaks', else
// bestBreaks'. r is feasible (finalise shed what was not).
func settleBreaks(in *Instance, r *Route) int64 {
	vt := &in.VehicleTypes[r.VehicleType]
	if len(vt.Breaks) == 0 {
		r.Breaks = nil
		c, _ := exactRouteB(in, r.Stops, r.VehicleType, nil)
		return c
	}
	cur, curOK := int64(0), false
	if checkRouteBreaks(in, *r) == nil {
		cur, curOK = exactRouteB(in, r.Stops, r.VehicleType, r.Breaks)
	}
	placed, c, ok := bestBreaks(in, r.Stops, r.VehicleType)
	if ok && (!curOK || c < cur) {
		r.Breaks, cur = placed, c
	}
	return cur
}

// searchBreaksHold tells whether r, with the break placement the search
// gave it, is feasible.
func searchBreaksHold(in *Instance, r *Route) bool {
	if len(in.VehicleTypes[r.VehicleType].Breaks) == 0 || checkRouteBreaks(in, *r) != nil {
		return false
	}
	_, ok := exactRouteB(in, r.Stops, r.VehicleType, r.Breaks)
	return ok
}

// typeBreaks tells whether vehicle type t has breaks: its routes hold
// their slot's break visits, so the type exchange leaves them alone.
func (p *params) typeBreaks(t int) bool {
	return p.brk != nil && len(p.in.VehicleTypes[t].Breaks) > 0
}
