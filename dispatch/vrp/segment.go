package vrp

// Route evaluation by concatenation of segments in O(1): Vidal, Crainic,
// Gendreau and Prins (2013), "A hybrid genetic algorithm with adaptive
// diversity management for a large class of vehicle routing problems with
// time-windows", Computers & OR 40, §3.3, and Vidal et al. (2014), "A unified
// solution framework for multi-attribute vehicle routing problems", EJOR 234,
// §4 (the "re-optimization" of route evaluations by subsequence concatenation).

import "math/bits"

// segment summarises a subsequence of visits: enough to evaluate any route
// made by concatenating subsequences without walking through them.
type segment struct {
	first, last int   // matrix nodes at both ends
	nb          int   // clients in the subsequence
	dist        int64 // distance driven inside it
	// Simultaneous pickup and delivery: del is what the subsequence delivers,
	// pick what it collects, peak the largest load inside it when entering
	// with del on board (Vidal et al. 2014, "load" resource with backhauls).
	del, pick, peak Amount
	// Time-warp data (Vidal et al. 2013, §3.3): minimum duration, time warp,
	// earliest and latest start of service at its first visit.
	dur, tw, e, l int64
	// travel is its leg times plus its service times: a lower bound of dur
	// that moves can update in O(1), used to prune them. When some vehicle
	// type has a TravelTimeCost (params.travelOnly) it is the leg times
	// alone, which that cost prices exactly (VROOM's per_hour); the bound
	// then ignores service, weaker but still valid for TimeCost.
	travel int64
	skills uint64 // union of the skills its stops need
	// release is the latest release time of its stops: a route holding it
	// cannot leave the depot earlier (Cattaruzza, Absi and Feillet 2016;
	// evaluated as PyVRP does: a release after the latest departure l is
	// time warp of release − l).
	release int64
	// hasR: the subsequence holds a reload (reload.go). Then first, last,
	// nb, dist, travel and skills still describe all of it, but the time
	// and load fields above describe only its head, the visits before the
	// first reload; r holds the rest.
	hasR bool
	r    reloadPart
	// hasB: the subsequence holds a break (breaks_search.go), onlyB:
	// nothing else. Breaks and reloads never meet in one instance, so r
	// then holds the breaks' summary instead (r.mid: the breaks before
	// the first visit; r.midEx: their load excess), which keeps segments,
	// copied in every hot loop, as small as they were.
	hasB, onlyB bool
}

// join sets out = a ⊕ b, a followed by b. out may alias neither a nor b.
func (p *params) join(a, b *segment, out *segment) {
	if a.hasR || b.hasR {
		p.joinReload(a, b, out)
		return
	}
	if a.hasB || b.hasB {
		p.joinBreak(a, b, out)
		return
	}
	out.hasR, out.hasB = false, false
	n := p.n
	out.first, out.last = a.first, b.last
	out.nb = a.nb + b.nb
	out.dist = a.dist + b.dist + p.dist[a.last*n+b.first]
	for d := 0; d < p.dims; d++ {
		out.del[d] = a.del[d] + b.del[d]
		out.pick[d] = a.pick[d] + b.pick[d]
		out.peak[d] = max(a.peak[d]+b.del[d], b.peak[d]+a.pick[d])
	}
	out.skills = a.skills | b.skills
	out.release = max(a.release, b.release)
	if !p.hasTime {
		return
	}
	t := p.time[a.last*n+b.first]
	delta := a.dur - a.tw + t
	wait := max(b.e-delta-a.l, 0)
	warp := max(a.e+delta-b.l, 0)
	out.dur = a.dur + b.dur + t + wait
	out.travel = a.travel + b.travel + t
	out.tw = a.tw + b.tw + warp
	out.e = max(b.e-delta, a.e) - wait
	out.l = min(b.l-delta, a.l) + warp
}

// penalties are the weights ω of the relaxed constraints (Vidal 2022, §3.4).
type penalties struct {
	load, time, dist float64
}

// routeEval is a route's cost split into the objective and the excesses of
// the relaxed constraints.
type routeEval struct {
	objective float64 // FixedCost + DistanceCost×dist + TimeCost×duration + TravelTimeCost×travel
	loadEx    float64 // excess load, weighted into dimension-0 units
	timeEx    float64 // time warp plus excess duration
	distEx    float64 // excess distance
	skillViol float64 // skills the vehicle lacks
}

// evaluate judges a whole route (depot ⊕ clients ⊕ depot) on vehicle type t.
func (p *params) evaluate(s *segment, t int) routeEval {
	if s.nb == 0 {
		return routeEval{}
	}
	if s.hasR {
		return p.evaluateReload(s, t)
	}
	vt := &p.types[t]
	var r routeEval
	r.objective = vt.fixed + vt.distCost*float64(s.dist) + vt.timeCost*float64(s.dur) + vt.travelCost*float64(s.travel) + p.balance(s.dur)
	for d := 0; d < p.dims; d++ {
		if ex := s.peak[d] - vt.capacity[d]; ex > 0 {
			r.loadEx += float64(ex) * p.dimWeight[d]
		}
	}
	if s.hasB {
		r.loadEx += p.breakLoadEx(s)
	}
	if p.hasTime {
		r.timeEx = float64(s.tw + max(s.release-s.l, 0))
		if vt.maxDuration > 0 && s.dur > vt.maxDuration {
			r.timeEx += float64(s.dur - vt.maxDuration)
		}
	}
	if vt.maxDistance > 0 && s.dist > vt.maxDistance {
		r.distEx = float64(s.dist - vt.maxDistance)
	}
	p.limitsEx(s, vt, &r)
	if x := s.skills &^ vt.skills; x != 0 {
		r.skillViol = float64(bits.OnesCount64(x))
	}
	return r
}

// penalised is the cost the search minimises.
func (p *params) penalised(r *routeEval, w *penalties) float64 {
	return r.objective + w.load*r.loadEx + w.time*r.timeEx + w.dist*r.distEx + p.skillPenalty*r.skillViol
}

// cost is evaluate followed by penalised.
func (p *params) cost(s *segment, t int, w *penalties) float64 {
	r := p.evaluate(s, t)
	return p.penalised(&r, w)
}

// feasible tells whether r breaks no constraint.
func (r *routeEval) feasible() bool {
	return r.loadEx == 0 && r.timeEx == 0 && r.distEx == 0 && r.skillViol == 0
}

// routeSegment builds the segment of a whole route from scratch.
func (p *params) routeSegment(stops []int, t int) segment {
	cur := p.depotFrom[t]
	var next segment
	for _, c := range stops {
		p.join(&cur, &p.single[c], &next)
		cur = next
	}
	p.join(&cur, &p.depotTo[t], &next)
	return next
}
