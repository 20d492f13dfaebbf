package vrp

// Split: the optimal segmentation of a giant tour into routes. Vidal (2016),
// "Split algorithm in O(n) for the capacitated vehicle routing problem",
// Computers & OR 69 (the linear Split, §3, for an unlimited fleet with soft
// capacity), and Vidal (2022), §3.3 (Split inside HGS, limited fleet). For
// the general model (time windows, pickups, several vehicle types) a
// Bellman Split over bounded route lengths evaluates each route by segment
// concatenation and picks its cheapest vehicle type (Prins 2004).

import "math"

// splitter holds Split's reusable buffers.
type splitter struct {
	p         *params
	potential [][]float64 // potential[k][i]: best cost of the first i clients in k routes
	pred      [][]int
	predType  [][]int
	sumDist   []int64
	sumLoad   []int64
	deque     []int
	segs      []segment // one running segment per vehicle type
	live      []bool    // buildArcs: the types on which routes may still grow
	routes    [][]int
	types     []int
	used      []int // routes per vehicle type
	arcs      []splitArc
	arcStart  []int // arcs of start i: arcs[arcStart[i]:arcStart[i+1]]
	// typeCost[a×types+t]: arc a on type t (+Inf once t gave up on it);
	// surcharge[t]: the price of a type-t vehicle in priceScarcity.
	typeCost  []float64
	surcharge []float64
	keptR     [][]int // priceScarcity: the best split so far
	keptT     []int
	chosen    []int // priceScarcity: routes per type before assignTypes
}

func newSplitter(p *params) *splitter {
	s := &splitter{p: p}
	n := p.nbClients + 1
	s.potential = [][]float64{make([]float64, n)}
	s.pred = [][]int{make([]int, n)}
	s.predType = [][]int{make([]int, n)}
	s.sumDist = make([]int64, n+1)
	s.sumLoad = make([]int64, n+1)
	s.deque = make([]int, n+1)
	s.segs = make([]segment, len(p.types))
	s.live = make([]bool, len(p.types))
	return s
}

// linear reports whether the O(n) Split applies: one unlimited vehicle type,
// one capacity dimension and a cost that depends only on distance and load.
func (s *splitter) linear() bool {
	p := s.p
	return len(p.types) == 1 && p.types[0].count == Unlimited && p.orderFree &&
		!p.hasMaxDist && p.dims == 1 && !p.hasSkills
}

// split cuts ind.giantTour into routes under penalties w and evaluates ind.
func (s *splitter) split(ind *individual, w *penalties) {
	if s.linear() {
		s.splitLinear(ind.giantTour, w)
	} else {
		s.splitBellman(ind.giantTour, w, 0)
		s.priceScarcity(ind.giantTour, w)
		if k := s.fleetSize(); k >= 0 && len(s.routes) > k {
			if !s.splitBellman(ind.giantTour, w, k) {
				s.splitBellman(ind.giantTour, w, 0)
				s.mergeSurplus(k)
			}
		}
		s.assignTypes(w)
	}
	ind.setRoutes(s.routes, s.types)
	ind.evaluateCompleteCost(s.p, w)
}

// fleetSize is the number of vehicles, or -1 when a type is unlimited.
func (s *splitter) fleetSize() int {
	k := 0
	for _, t := range s.p.types {
		if t.count == Unlimited {
			return -1
		}
		k += t.count
	}
	return min(k, s.p.nbClients)
}

// splitLinear is Vidal (2016), Algorithm 2 with the soft capacity of HGS:
// a deque of non-dominated predecessors.
func (s *splitter) splitLinear(tour []int, w *penalties) {
	p := s.p
	nb := len(tour)
	vt := &p.types[0]
	dc, capa := vt.distCost, vt.capacity[0]
	for i := 1; i <= nb; i++ {
		c := tour[i-1]
		s.sumLoad[i] = s.sumLoad[i-1] + p.single[c].del[0]
		if i < nb {
			s.sumDist[i+1] = s.sumDist[i] + p.dist[c*p.n+tour[i]]
		}
	}
	d0 := func(i int) float64 { return float64(p.dist[tour[i-1]]) } // depot → client at position i
	dEnd := func(j int) float64 { return float64(p.dist[tour[j-1]*p.n]) }
	pot := s.potential[0]
	// propagate is the cost of reaching j with a last route i+1..j.
	propagate := func(i, j int) float64 {
		return pot[i] + vt.fixed + dc*(float64(s.sumDist[j]-s.sumDist[i+1])+d0(i+1)+dEnd(j)) +
			w.load*float64(max(0, s.sumLoad[j]-s.sumLoad[i]-capa))
	}
	// label is the part of a predecessor's cost that does not depend on j.
	label := func(i int) float64 { return pot[i] + dc*(d0(i+1)-float64(s.sumDist[i+1])) }
	// dominates: i < j and i is better than j for every later client.
	dominates := func(i, j int) bool {
		return label(j) > label(i)+w.load*float64(s.sumLoad[j]-s.sumLoad[i])
	}
	dominatesRight := func(i, j int) bool { return label(j) < label(i)+1e-9 }
	pot[0] = 0
	head, tail := 0, 0 // deque is s.deque[head:tail]
	s.deque[tail] = 0
	tail++
	for i := 1; i <= nb; i++ {
		front := s.deque[head]
		pot[i] = propagate(front, i)
		s.pred[0][i] = front
		if i == nb {
			break
		}
		if !dominates(s.deque[tail-1], i) {
			for tail > head && dominatesRight(s.deque[tail-1], i) {
				tail--
			}
			s.deque[tail] = i
			tail++
		}
		for tail-head > 1 && propagate(s.deque[head], i+1) > propagate(s.deque[head+1], i+1)-1e-9 {
			head++
		}
	}
	s.extract(tour, 0, nb, false)
}

// splitBellman is the Bellman Split on the DAG of feasible-looking routes.
// With k = 0 the fleet is unlimited; with k > 0 it uses at most k routes
// (HGS's limited-fleet Split, §3.3). The arcs (each route i+1..j with its
// cheapest vehicle type) are evaluated once by buildArcs and shared by the
// layers. It reports false when no segmentation was found within the
// bounded route lengths. k = −1 is k = 0 on the arcs already built
// (priceScarcity).
func (s *splitter) splitBellman(tour []int, w *penalties, k int) bool {
	nb := len(tour)
	if k == 0 {
		s.buildArcs(tour, w)
	}
	layers := 1
	if k > 0 {
		layers = k + 1
	}
	for len(s.potential) < layers {
		s.potential = append(s.potential, make([]float64, nb+1))
		s.pred = append(s.pred, make([]int, nb+1))
		s.predType = append(s.predType, make([]int, nb+1))
	}
	for l := range layers {
		for i := range s.potential[l] {
			s.potential[l][i] = math.Inf(1)
		}
	}
	s.potential[0][0] = 0
	for l := range layers {
		from, to := l, l
		if k > 0 {
			if l == k {
				break
			}
			to = l + 1
		}
		pot, potTo := s.potential[from], s.potential[to]
		for i := 0; i < nb; i++ {
			base := pot[i]
			if math.IsInf(base, 1) {
				continue
			}
			for a, arc := range s.arcs[s.arcStart[i]:s.arcStart[i+1]] {
				j := i + 1 + a
				if c := base + arc.cost; c < potTo[j] {
					potTo[j], s.pred[to][j], s.predType[to][j] = c, i, arc.t
				}
			}
		}
	}
	best := 0
	if k > 0 {
		best = 1
		for l := 1; l <= k; l++ {
			if s.potential[l][nb] < s.potential[best][nb] {
				best = l
			}
		}
	}
	if math.IsInf(s.potential[best][nb], 1) {
		return false
	}
	s.extract(tour, best, nb, k > 0)
	return true
}

// splitArc is the route of the clients i+1..j of the tour on its cheapest
// vehicle type.
type splitArc struct {
	cost float64
	t    int
}

// buildArcs evaluates, for each start i, the routes i+1..j until every
// vehicle type finds them hopeless.
func (s *splitter) buildArcs(tour []int, w *penalties) {
	p := s.p
	nb := len(tour)
	s.arcs = s.arcs[:0]
	s.arcStart = s.arcStart[:0]
	s.typeCost = s.typeCost[:0]
	nt := len(p.types)
	var full, next segment
	for i := 0; i < nb; i++ {
		s.arcStart = append(s.arcStart, len(s.arcs))
		for t := range p.types {
			s.segs[t] = p.depotFrom[t]
			s.live[t] = true
		}
		for j := i + 1; j <= nb; j++ {
			c := tour[j-1]
			hopeless := true
			arc := splitArc{cost: math.Inf(1)}
			for t := range p.types {
				s.typeCost = append(s.typeCost, math.Inf(1))
				if !s.live[t] { // a longer route on t is worse still
					continue
				}
				p.join(&s.segs[t], &p.single[c], &next)
				s.segs[t] = next
				p.join(&next, &p.depotTo[t], &full)
				e := p.evaluate(&full, t)
				cost := p.penalised(&e, w)
				s.typeCost[len(s.arcs)*nt+t] = cost
				if cost < arc.cost {
					arc = splitArc{cost, t}
				}
				if s.hopeless(&full, t, &e) {
					s.live[t] = false
				} else {
					hopeless = false
				}
			}
			s.arcs = append(s.arcs, arc)
			if hopeless {
				break
			}
		}
	}
	s.arcStart = append(s.arcStart, len(s.arcs))
}

// scarcityRounds is how many times, at most, priceScarcity prices the
// vehicle types a split over-uses.
const scarcityRounds = 6

// priceScarcity mends a split that gives more routes to a limited vehicle
// type than it has vehicles. Each route takes its cheapest type, so when
// the large vehicles are cheapest per client the Bellman Split gives
// them most routes, and assignTypes then moves the surplus onto vans a
// third their size: on a 200-stop problem with 3 large and 2 cold trucks
// the offspring came out with hundreds of units of excess load, and their
// education took 400 moves (50 ms) instead of the 50 of the same problem
// with an unlimited fleet. The count of each type is a resource of the
// shortest path; its Lagrangian relaxation (Beasley 1983 for Split;
// Prins 2009, "Two memetic algorithms for heterogeneous fleet vehicle
// routing problems", prices the fleet likewise) adds a price per route
// to the over-used types and splits again, raising the price (a
// subgradient step: the mean route cost × the share of surplus routes)
// until the counts hold or scarcityRounds pass. The split kept is the
// cheapest after assignTypes, priced without the surcharges, so pricing
// never makes a split worse.
func (s *splitter) priceScarcity(tour []int, w *penalties) {
	p := s.p
	nt := len(p.types)
	if nt == 1 {
		return
	}
	if len(s.surcharge) != nt {
		s.surcharge, s.chosen = make([]float64, nt), make([]int, nt)
	}
	clear(s.surcharge)
	best := math.Inf(1)
	for round := 0; ; round++ {
		// s.types: the cheapest types of this round's split
		clear(s.chosen)
		for _, t := range s.types {
			s.chosen[t]++
		}
		over := false
		for t, vt := range p.types {
			over = over || vt.count != Unlimited && s.chosen[t] > vt.count
		}
		if round == 0 && !over {
			return
		}
		s.assignTypes(w)
		c := s.splitCost(w)
		if c < best {
			best = c
			s.keptR = append(s.keptR[:0], s.routes...)
			s.keptT = append(s.keptT[:0], s.types...)
		}
		if !over || round == scarcityRounds {
			break
		}
		mean := c / float64(max(1, len(s.routes)))
		for t, vt := range p.types {
			if vt.count != Unlimited && s.chosen[t] > vt.count {
				s.surcharge[t] += mean * float64(s.chosen[t]-vt.count) / float64(s.chosen[t])
			}
		}
		s.chooseTypes(s.surcharge)
		if !s.splitBellman(tour, w, -1) {
			break
		}
	}
	s.routes = append(s.routes[:0], s.keptR...)
	s.types = append(s.types[:0], s.keptT...)
	// the layered split (a fleet of k) reads the arcs: their cheapest
	// types again
	clear(s.surcharge)
	s.chooseTypes(s.surcharge)
}

// chooseTypes gives each arc its cheapest type under the surcharges.
func (s *splitter) chooseTypes(surcharge []float64) {
	nt := len(s.p.types)
	for a := range s.arcs {
		arc := splitArc{cost: math.Inf(1)}
		for t := range nt {
			if c := s.typeCost[a*nt+t] + surcharge[t]; c < arc.cost {
				arc = splitArc{c, t}
			}
		}
		s.arcs[a] = arc
	}
}

// splitCost is the penalised cost of the routes of the last split.
func (s *splitter) splitCost(w *penalties) float64 {
	var c float64
	for r, route := range s.routes {
		seg := s.p.routeSegment(route, s.types[r])
		c += s.p.cost(&seg, s.types[r], w)
	}
	return c
}

// mergeSurplus appends the routes beyond the k-th to the last kept one: an
// infeasible start the penalties and the local search then repair.
func (s *splitter) mergeSurplus(k int) {
	if k <= 0 || len(s.routes) <= k {
		return
	}
	last := append([]int(nil), s.routes[k-1]...)
	for _, r := range s.routes[k:] {
		last = append(last, r...)
	}
	s.routes[k-1] = last
	s.routes, s.types = s.routes[:k], s.types[:k]
}

// hopeless tells that extending a route on type t can only make it worse:
// its load is half again above capacity, or it already has time warp
// costing more than the route itself.
func (s *splitter) hopeless(full *segment, t int, e *routeEval) bool {
	p := s.p
	for d := 0; d < p.dims; d++ {
		if float64(full.peak[d]) > 1.5*float64(p.types[t].capacity[d]) {
			return true
		}
	}
	if full.nb == 0 {
		return false // reload copies only
	}
	return e.timeEx > 0 && e.timeEx > float64(full.nb)*float64(max(1, full.dur/int64(full.nb)))
}

// extract rebuilds the routes from the predecessor labels.
func (s *splitter) extract(tour []int, layer, nb int, layered bool) {
	s.routes = s.routes[:0]
	s.types = s.types[:0]
	j := nb
	for j > 0 {
		i := s.pred[layer][j]
		s.routes = append(s.routes, tour[i:j])
		s.types = append(s.types, s.predType[layer][j])
		j = i
		if layered {
			layer--
		}
	}
	for a, b := 0, len(s.routes)-1; a < b; a, b = a+1, b-1 {
		s.routes[a], s.routes[b] = s.routes[b], s.routes[a]
		s.types[a], s.types[b] = s.types[b], s.types[a]
	}
}

// assignTypes respects each vehicle type's count: a route whose cheapest
// type is used up moves to the available type that costs it least.
func (s *splitter) assignTypes(w *penalties) {
	p := s.p
	if len(p.types) == 1 {
		for r := range s.types {
			s.types[r] = 0
		}
		return
	}
	if len(s.used) != len(p.types) {
		s.used = make([]int, len(p.types))
	}
	used := s.used
	clear(used)
	for _, t := range s.types {
		used[t]++
	}
	for r, t := range s.types {
		if p.types[t].count == Unlimited || used[t] <= p.types[t].count {
			continue
		}
		bestT, bestCost := -1, math.Inf(1)
		for u := range p.types {
			if p.types[u].count != Unlimited && used[u] >= p.types[u].count {
				continue
			}
			seg := p.routeSegment(s.routes[r], u)
			if c := p.cost(&seg, u, w); c < bestCost {
				bestT, bestCost = u, c
			}
		}
		if bestT >= 0 {
			used[t]--
			used[bestT]++
			s.types[r] = bestT
		}
	}
}
