package vrp

// Reloads inside the search. A van that may drive several trips gets reload
// visits: copies of the depot that the search moves like clients, so every
// move sees the trips and can change them (the approach PyVRP takes since
// v0.10 with reload depots in routes; Wouda, Lan and Kool, "PyVRP: a
// high-performance VRP solver package", INFORMS J. Computing 2024, and the
// release-time model of Cattaruzza, Absi and Feillet 2016, "The multi-trip
// vehicle routing problem with time windows and release dates",
// Transportation Science 50(2)). Written here from those descriptions.
//
// A reload R in a route splits it into trips. Its cost depends only on the
// trip after it (up to the next reload or the route's end):
//   - that trip is empty: R costs nothing (the van drives through the depot:
//     distance and time of the depot's row, which is where R is), so spare
//     copies wait at the end of routes for free and consecutive copies
//     collapse;
//   - otherwise the van spends the reload time at the depot and leaves no
//     earlier than the latest release of that trip's stops, and the load
//     starts again from that trip's deliveries.
//
// A reload right after the route's start is priced as a real one although
// the output drops it (pessimistic by at most the reload time), which keeps
// the rule local. Segments (segment.go) carry the reloads in three parts:
// the head before the first reload, the closed middle from the first reload
// to the last (whose trips are complete, their release times and load
// excesses known) and the tail after the last reload; concatenation stays
// O(1) and associative, because a trip is closed only once both its reloads
// are known.

import (
	"math"
	"math/bits"
)

// twPart is the time-warp summary of a plain sequence (Vidal et al. 2013,
// §3.3): minimum duration, time warp, earliest and latest start.
type twPart struct {
	first, last   int // matrix nodes; first < 0: no visit
	dur, tw, e, l int64
}

// loadPart is the load summary of a plain sequence (see segment).
type loadPart struct {
	del, pick, peak Amount
}

// reloadPart is what a segment with reloads holds beside its head.
type reloadPart struct {
	headLast int // last visit of the head; −1: the segment starts with a reload
	headNb   int // clients in the head
	mid      twPart
	midTrips int    // non-empty trips inside mid
	midEx    Amount // their load excess over params.tripCap, summed
	midPeak  Amount // their largest peak load
	rNode    int    // the last reload
	tail     twPart // visits after the last reload
	tailNb   int
	tailRel  int64
	tailLoad loadPart
}

// isReload tells whether matrix node i is a reload copy of the depot.
func (p *params) isReload(i int) bool { return i > p.nbReal && i <= p.nbClients }

// twJoin is a ⊕ b on time-warp parts; either may be empty.
func (p *params) twJoin(a, b *twPart) twPart {
	if a.first < 0 {
		return *b
	}
	if b.first < 0 {
		return *a
	}
	t := p.time[a.last*p.n+b.first]
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

func (p *params) loadJoin(a, b *loadPart) loadPart {
	var out loadPart
	for d := 0; d < p.dims; d++ {
		out.del[d] = a.del[d] + b.del[d]
		out.pick[d] = a.pick[d] + b.pick[d]
		out.peak[d] = max(a.peak[d]+b.del[d], b.peak[d]+a.pick[d])
	}
	return out
}

// head is the part of s before its first reload (all of s without one).
func (s *segment) head() (twPart, loadPart, int64, int) {
	ld := loadPart{s.del, s.pick, s.peak}
	if !s.hasR {
		return twPart{s.first, s.last, s.dur, s.tw, s.e, s.l}, ld, s.release, s.nb
	}
	if s.r.headLast < 0 {
		return twPart{first: -1, last: -1}, loadPart{}, 0, 0
	}
	return twPart{s.first, s.r.headLast, s.dur, s.tw, s.e, s.l}, ld, s.release, s.r.headNb
}

// setHead stores the head of out (out.first must already be set).
func (out *segment) setHead(h *twPart, ld *loadPart, rel int64, nb int) {
	out.dur, out.tw, out.e, out.l = h.dur, h.tw, h.e, h.l
	out.del, out.pick, out.peak = ld.del, ld.pick, ld.peak
	out.release = rel
	out.r.headLast, out.r.headNb = h.last, nb
	if h.first < 0 {
		out.r.headLast = -1
	}
}

// closeTrip is reload rNode followed by the whole trip x: the reload time
// and the release gate when x serves someone, nothing otherwise.
func (p *params) closeTrip(rNode int, x *twPart, rel int64, nb int) twPart {
	r := twPart{first: rNode, last: rNode, l: Horizon}
	if nb > 0 {
		// leaving at max(arrival + reload, rel) is a visit of duration
		// reload that starts no earlier than rel − reload
		r.dur = p.reloadTime
		r.e = max(rel-p.reloadTime, 0)
	}
	return p.twJoin(&r, x)
}

// joinReload is join when a or b holds a reload.
func (p *params) joinReload(a, b *segment, out *segment) {
	n := p.n
	out.first, out.last = a.first, b.last
	out.nb = a.nb + b.nb
	out.dist = a.dist + b.dist + p.dist[a.last*n+b.first]
	out.travel = a.travel + b.travel + p.time[a.last*n+b.first]
	out.skills = a.skills | b.skills
	out.hasR = true
	switch {
	case !b.hasR: // b extends a's tail
		out.r = a.r
		out.dur, out.tw, out.e, out.l = a.dur, a.tw, a.e, a.l
		out.del, out.pick, out.peak, out.release = a.del, a.pick, a.peak, a.release
		bt, bl, brel, bnb := b.head()
		out.r.tail = p.twJoin(&a.r.tail, &bt)
		out.r.tailLoad = p.loadJoin(&a.r.tailLoad, &bl)
		out.r.tailRel = max(a.r.tailRel, brel)
		out.r.tailNb = a.r.tailNb + bnb
	case !a.hasR: // a extends b's head
		out.r = b.r
		at, al, arel, anb := a.head()
		bt, bl, brel, bnb := b.head()
		h := p.twJoin(&at, &bt)
		ld := p.loadJoin(&al, &bl)
		out.setHead(&h, &ld, max(arel, brel), anb+bnb)
	default: // a's tail and b's head make a whole trip
		out.r = a.r
		out.dur, out.tw, out.e, out.l = a.dur, a.tw, a.e, a.l
		out.del, out.pick, out.peak, out.release = a.del, a.pick, a.peak, a.release
		bt, bl, brel, bnb := b.head()
		x := p.twJoin(&a.r.tail, &bt)
		xl := p.loadJoin(&a.r.tailLoad, &bl)
		xnb := a.r.tailNb + bnb
		c := p.closeTrip(a.r.rNode, &x, max(a.r.tailRel, brel), xnb)
		m := p.twJoin(&a.r.mid, &c)
		out.r.mid = p.twJoin(&m, &b.r.mid)
		out.r.midTrips = a.r.midTrips + b.r.midTrips
		if xnb > 0 {
			out.r.midTrips++
		}
		for d := 0; d < p.dims; d++ {
			ex := max(xl.peak[d]-p.tripCap[d], 0)
			out.r.midEx[d] = a.r.midEx[d] + b.r.midEx[d] + ex
			out.r.midPeak[d] = max(a.r.midPeak[d], b.r.midPeak[d], xl.peak[d])
		}
		out.r.rNode = b.r.rNode
		out.r.tail, out.r.tailNb, out.r.tailRel, out.r.tailLoad = b.r.tail, b.r.tailNb, b.r.tailRel, b.r.tailLoad
	}
}

// evaluateReload is evaluate for a whole route holding reloads.
func (p *params) evaluateReload(s *segment, t int) routeEval {
	vt := &p.types[t]
	h, hl, hrel, hnb := s.head()
	var r routeEval
	var dur int64
	if p.hasTime {
		g := h // the first trip leaves after its release (see segment.release)
		if warp := hrel - g.l; warp > 0 {
			g.tw += warp
			g.l += warp
		}
		g.e = max(g.e, hrel)
		all := p.twJoin(&g, &s.r.mid)
		c := p.closeTrip(s.r.rNode, &s.r.tail, s.r.tailRel, s.r.tailNb)
		all = p.twJoin(&all, &c)
		dur = all.dur
		r.timeEx = float64(all.tw)
		if vt.maxDuration > 0 && dur > vt.maxDuration {
			r.timeEx += float64(dur - vt.maxDuration)
		}
	}
	r.objective = vt.fixed + vt.distCost*float64(s.dist) + vt.timeCost*float64(dur) + vt.travelCost*float64(s.travel) + p.balance(dur)
	sameCap := vt.capacity == p.tripCap
	for d := 0; d < p.dims; d++ {
		ex := max(hl.peak[d]-vt.capacity[d], 0) + max(s.r.tailLoad.peak[d]-vt.capacity[d], 0)
		if sameCap {
			ex += s.r.midEx[d]
		} else {
			ex += max(s.r.midPeak[d]-vt.capacity[d], 0)
		}
		r.loadEx += float64(ex) * p.dimWeight[d]
	}
	if vt.maxDistance > 0 && s.dist > vt.maxDistance {
		r.distEx = float64(s.dist - vt.maxDistance)
	}
	p.limitsEx(s, vt, &r)
	if x := s.skills &^ vt.skills; x != 0 {
		r.skillViol = float64(bits.OnesCount64(x))
	}
	trips := s.r.midTrips
	if hnb > 0 {
		trips++
	}
	if s.r.tailNb > 0 {
		trips++
	}
	if trips > vt.trips {
		r.skillViol += float64(trips - vt.trips) // as costly as a missing skill
	}
	return r
}

// reloadSegment is the segment of reload copy i alone.
func reloadSegment(i int) segment {
	return segment{first: i, last: i, l: Horizon, hasR: true, r: reloadPart{
		headLast: -1, mid: twPart{first: -1, last: -1}, rNode: i, tail: twPart{first: -1, last: -1},
	}}
}

// reloadCopies is how many reload copies the search gets: for each
// multi-trip type, per van one more than the trips the load needs on
// average (at least one, at most MaxTrips − 1), never more than the stops.
func reloadCopies(in *Instance) int {
	var total Amount
	for _, s := range in.Stops {
		for d := range MaxDims {
			total[d] += max(s.Delivery[d], s.Pickup[d])
		}
	}
	copies := 0
	for _, vt := range in.VehicleTypes {
		if vt.Trips() <= 1 || vt.Count == 0 {
			continue
		}
		vans := vt.Count
		need := 1.0
		for d := range in.Dims {
			if vt.Capacity[d] > 0 {
				need = max(need, math.Ceil(float64(total[d])/float64(vt.Capacity[d])))
			}
		}
		if vans == Unlimited {
			vans = int(need)
		}
		perVan := int(math.Ceil(need/float64(vans))) + 1
		perVan = max(1, min(perVan, vt.Trips()-1))
		copies += vans * perVan
	}
	return min(copies, len(in.Stops))
}

// withReloads is in with k reload copies appended to its stops: matrix rows
// and columns of the depot, no demand, no window.
func withReloads(in *Instance, k int) *Instance {
	if k == 0 {
		return in
	}
	out := *in
	out.Stops = append(append([]Stop(nil), in.Stops...), make([]Stop, k)...)
	for i := len(in.Stops); i < len(out.Stops); i++ {
		out.Stops[i].ID = "reload"
	}
	n, m := in.N(), in.N()+k
	node := func(i int) int {
		if i >= n {
			return 0 // a copy of the depot
		}
		return i
	}
	grow := func(src []int64) []int64 {
		if src == nil {
			return nil
		}
		dst := make([]int64, m*m)
		for a := range m {
			for b := range m {
				dst[a*m+b] = src[node(a)*n+node(b)]
			}
		}
		return dst
	}
	out.Distance, out.Duration = grow(in.Distance), grow(in.Duration)
	return &out
}

// reloadRoute turns a route over sub-instance nodes (clients 1..nbReal,
// reloads after) into a Route over in's stops: reloads before the first
// stop, after the last or next to another are dropped.
func reloadRoute(nodes []int, t int, keep []int, nbReal int) Route {
	r := Route{VehicleType: t}
	pending := false
	for _, c := range nodes {
		if c > nbReal {
			pending = len(r.Stops) > 0
			continue
		}
		if pending {
			r.Reloads = append(r.Reloads, len(r.Stops))
			pending = false
		}
		r.Stops = append(r.Stops, keep[c-1])
	}
	return r
}
