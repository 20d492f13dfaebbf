package vrp

// LocalSearch: the education procedure of HGS. Vidal (2022), §3.4 and §4:
// first-improvement local search over granular neighbourhoods (Toth and Vigo
// 2003) with RELOCATE, SWAP, 2-OPT and 2-OPT* moves between each client u and
// its Γ correlated vertices v, then SWAP* between pairs of routes. Moves
// are tested only when one of their routes changed since u was last tried
// (the whenLastModified / whenLastTestedRI bookkeeping of §3.4).

import "math/rand/v2"

const epsilon = 1e-5

// lsNode is a client or one end of a route, linked in its route.
type lsNode struct {
	cour             int // matrix node
	isDepot          bool
	position         int
	whenLastTestedRI int
	removalGain      float64 // SWAP*: cost change of removing it from its route
	dNext            int64   // distance to the next node
	next, prev       *lsNode
	route            *lsRoute
	fwd, bwd         segment // depot..this and this..depot
	// tail is this..the route's last client, without the route's end: with
	// open or asymmetric routes (p.open) a tail moved to another route
	// meets that route's end (open.go); unset otherwise.
	tail segment
}

// lsRoute is one vehicle's route.
type lsRoute struct {
	index                  int
	vt                     int
	depot, depotEnd        *lsNode
	nbCustomers            int
	whenLastModified       int
	whenLastTestedSWAPStar int
	dc                     float64 // DistanceCost of its vehicle type
	penalty                float64 // penalised cost
	tc                     float64 // TimeCost + TravelTimeCost of its vehicle type: prices travel in the bounds
	fixed                  float64 // FixedCost of its vehicle type when it serves a client
	typeFixed              float64 // FixedCost of its vehicle type
	rest                   float64 // penalty − fixed − DistanceCost×distance ≥ 0
	restT                  float64 // rest − tc×travel ≥ 0 (segment.travel)
	loadPen                float64 // load penalty, as SWAP* estimates it
	sectorStart, sectorEnd int     // circle sector of its clients (SWAP* filter)
	angle                  int     // polar angle of its barycentre
}

// localSearch holds the search's state; one per goroutine.
type localSearch struct {
	p          *params
	rng        *rand.Rand
	correlated [][]int
	w          penalties
	clients    []lsNode // index = matrix node; clients[0] unused
	depots     []lsNode
	ends       []lsNode
	routes     []*lsRoute
	routeBuf   []lsRoute
	nbRoutes   int

	orderNodes  []int
	orderRoutes []int
	nbMoves     int
	loopID      int

	// scratch buffers, reused so the hot loops never allocate.
	seqU, seqV []int
	nodesU     []*lsNode
	nodesV     []*lsNode
	insert     []insertCache // SWAP*: [route*n + client]
	typeCosts  []typeCost    // vehicleTypePhase: [route*types + type]
	used       []int         // routes per vehicle type
	extra      []int         // spare empty routes per vehicle type

	deadline func() bool // reports the end of the time budget or of the context
	spare    *lsNode     // a reload copy free to take (multitrip_moves.go)
	pairs    pairState   // shipments (shipments_search.go)
	// breakRoute: the route index of each break visit's slot
	// (breaks_search.go).
	breakRoute []int
}

func newLocalSearch(p *params, rng *rand.Rand) *localSearch {
	ls := &localSearch{p: p, rng: rng}
	// Each search shuffles its own copy of the correlated vertices.
	ls.correlated = make([][]int, len(p.correlated))
	for i, c := range p.correlated {
		ls.correlated[i] = append([]int(nil), c...)
	}
	ls.clients = make([]lsNode, p.n)
	for i := 1; i <= p.nbClients; i++ {
		ls.clients[i].cour = i
		ls.orderNodes = append(ls.orderNodes, i)
	}
	return ls
}

// setGranularity keeps, of each client's correlated vertices, those within
// the gamma closest in either direction (the relation stays symmetric).
func (ls *localSearch) setGranularity(gamma int) {
	p := ls.p
	for i, c := range p.correlated {
		kept := ls.correlated[i][:0]
		for k, v := range c {
			if p.corrRank[i][k] < gamma {
				kept = append(kept, v)
			}
		}
		ls.correlated[i] = kept
	}
}

// maxRoutes is how many route slots an individual with these routes needs:
// its routes plus spare empty ones of each type (HGS keeps about 30 % more
// vehicles than the load needs).
func (ls *localSearch) prepareRoutes(ind *individual) {
	p := ls.p
	if len(ls.used) != len(p.types) {
		ls.used, ls.extra = make([]int, len(p.types)), make([]int, len(p.types))
	}
	used, extra := ls.used, ls.extra
	clear(used)
	for _, t := range ind.types {
		used[t]++
	}
	total := len(ind.routes)
	for t, vt := range p.types {
		if vt.count == Unlimited {
			extra[t] = min(p.nbClients, used[t]/3+3)
		} else {
			extra[t] = min(vt.count-used[t], p.nbClients)
		}
		total += max(0, extra[t])
	}
	if cap(ls.routeBuf) < total {
		ls.routeBuf = make([]lsRoute, total)
		ls.depots = make([]lsNode, total)
		ls.ends = make([]lsNode, total)
		ls.routes = make([]*lsRoute, total)
		ls.insert = make([]insertCache, total*p.n)
	}
	ls.nbRoutes = total
	ls.routeBuf = ls.routeBuf[:cap(ls.routeBuf)]
	ls.orderRoutes = ls.orderRoutes[:0]
	r := 0
	setRoute := func(t int, stops []int) {
		rt := &ls.routeBuf[r]
		*rt = lsRoute{index: r, vt: t, depot: &ls.depots[r], depotEnd: &ls.ends[r]}
		ls.routes[r] = rt
		// the route's ends sit at its vehicle's start and end nodes, so
		// that moves price the first and last legs right
		ls.depots[r] = lsNode{isDepot: true, route: rt, cour: p.depotFrom[t].first}
		ls.ends[r] = lsNode{isDepot: true, route: rt, cour: p.depotTo[t].first}
		prev := rt.depot
		for _, c := range stops {
			u := &ls.clients[c]
			u.prev, prev.next = prev, u
			u.route = rt
			prev = u
		}
		prev.next, rt.depotEnd.prev = rt.depotEnd, prev
		ls.orderRoutes = append(ls.orderRoutes, r)
		r++
	}
	for k, route := range ind.routes {
		setRoute(ind.types[k], route)
	}
	for t := range p.types {
		for range max(0, extra[t]) {
			setRoute(t, nil)
		}
	}
	for _, rt := range ls.routes[:ls.nbRoutes] {
		ls.updateRouteData(rt)
	}
	for i := range ls.insert {
		ls.insert[i].when = -1
	}
	ls.typeCosts = ls.typeCosts[:0]
	for range total * len(p.types) {
		ls.typeCosts = append(ls.typeCosts, typeCost{when: -1})
	}
}

// run educates ind under penalties w (LocalSearch::run).
func (ls *localSearch) run(ind *individual, w penalties) {
	p := ls.p
	ls.w = w
	ls.nbMoves = 0
	ls.prepareRoutes(ind)
	if p.pair != nil {
		ls.repairPairs()
	}
	if p.brk != nil {
		ls.repairBreaks()
	}
	for i := 1; i <= p.nbClients; i++ {
		ls.clients[i].whenLastTestedRI = -1
	}
	ls.rng.Shuffle(len(ls.orderNodes), func(i, j int) {
		ls.orderNodes[i], ls.orderNodes[j] = ls.orderNodes[j], ls.orderNodes[i]
	})
	ls.rng.Shuffle(len(ls.orderRoutes), func(i, j int) {
		ls.orderRoutes[i], ls.orderRoutes[j] = ls.orderRoutes[j], ls.orderRoutes[i]
	})
	for i := 1; i <= p.nbClients; i++ {
		if ls.rng.IntN(p.cfg.nbGranular) == 0 {
			c := ls.correlated[i]
			ls.rng.Shuffle(len(c), func(a, b int) { c[a], c[b] = c[b], c[a] })
		}
	}
	searchCompleted := false
	for ls.loopID = 0; !searchCompleted; ls.loopID++ {
		if ls.loopID > 1 {
			searchCompleted = true // at least two loops: empty-route moves start in the second
		}
		if ls.stopped() {
			break
		}
		for k, uc := range ls.orderNodes {
			if k%16 == 15 && ls.stopped() {
				break
			}
			if ls.educateNode(&ls.clients[uc]) {
				searchCompleted = false
			}
		}
		if ls.swapStarPhase() {
			searchCompleted = false
		}
		if len(p.types) > 1 && ls.vehicleTypePhase() {
			searchCompleted = false
		}
	}
	ls.exportIndividual(ind)
}

// stopped reports whether the time limit or the context has ended the search.
func (ls *localSearch) stopped() bool {
	if ls.deadline != nil && ls.deadline() {
		return true
	}
	return false
}

// educateNode tries the RI moves between u and its correlated vertices.
func (ls *localSearch) educateNode(u *lsNode) bool {
	p := ls.p
	if p.brk != nil && p.isBreak(u.cour) {
		return ls.relocateBreak(u)
	}
	improved := false
	lastTested := u.whenLastTestedRI
	u.whenLastTestedRI = ls.nbMoves
	for _, vc := range ls.correlated[u.cour] {
		v := &ls.clients[vc]
		if ls.loopID > 0 && max(u.route.whenLastModified, v.route.whenLastModified) <= lastTested {
			continue
		}
		if ls.tryMoves(u, v, true) {
			improved = true
			continue
		}
		// v first on its route or its trip: u may go before it
		if (v.prev.isDepot || v.prev != u && p.isReload(v.prev.cour)) && ls.tryMoves(u, v.prev, false) {
			improved = true
			continue
		}
		if p.hasReload && ls.relocateWithReload(u, v) { // multitrip_moves.go
			improved = true
		}
	}
	if ls.loopID > 0 {
		for t := range p.types {
			if e := ls.emptyRoute(t); e != nil && e != u.route {
				if ls.relocate(u, e.depot) || ls.relocatePair(u, e.depot) ||
					ls.relocatePairReversed(u, e.depot) || ls.twoOptStarTails(u, e.depot) ||
					p.pair != nil && ls.relocateShipment(u, e.depot) {
					improved = true
				}
			}
		}
	}
	return improved
}

// tryMoves applies the first improving move between u and v (HGS's moves 1
// to 9); all is false when v is a depot, where only insertions apply.
func (ls *localSearch) tryMoves(u, v *lsNode, all bool) bool {
	if ls.relocate(u, v) || ls.relocatePair(u, v) || ls.relocatePairReversed(u, v) ||
		ls.p.pair != nil && ls.relocateShipment(u, v) {
		return true
	}
	if all {
		if u.cour <= v.cour && ls.swap(u, v) {
			return true
		}
		if ls.swapPairSingle(u, v) {
			return true
		}
		if u.cour <= v.cour && ls.swapPairs(u, v) {
			return true
		}
	}
	if u.route == v.route {
		return all && ls.twoOpt(u, v)
	}
	return ls.twoOptStarHeads(u, v) || ls.twoOptStarTails(u, v)
}

// emptyRoute is an empty route of type t, or nil.
func (ls *localSearch) emptyRoute(t int) *lsRoute {
	for _, r := range ls.routes[:ls.nbRoutes] {
		if r.nbCustomers == 0 && r.vt == t {
			return r
		}
	}
	return nil
}

// updateRouteData recomputes positions and prefix/suffix segments of r
// (LocalSearch::updateRouteData).
func (ls *localSearch) updateRouteData(r *lsRoute) {
	p := ls.p
	d := r.depot
	d.cour, r.depotEnd.cour = p.depotFrom[r.vt].first, p.depotTo[r.vt].first // the type may have changed
	d.fwd = p.depotFrom[r.vt]
	d.position = 0
	pos := 0
	for n := d.next; ; n = n.next {
		n.prev.dNext = p.dist[n.prev.cour*p.n+n.cour]
		pos++
		n.position = pos
		n.route = r
		if n.isDepot {
			p.join(&n.prev.fwd, &p.depotTo[r.vt], &n.fwd)
			break
		}
		p.join(&n.prev.fwd, &p.single[n.cour], &n.fwd)
	}
	r.nbCustomers = pos - 1
	e := r.depotEnd
	e.bwd = p.depotTo[r.vt]
	for n := e.prev; ; n = n.prev {
		if n.isDepot {
			p.join(&p.depotFrom[r.vt], &n.next.bwd, &n.bwd)
			break
		}
		p.join(&p.single[n.cour], &n.next.bwd, &n.bwd)
		if p.open {
			if n.next.isDepot {
				n.tail = p.single[n.cour]
			} else {
				p.join(&p.single[n.cour], &n.next.tail, &n.tail)
			}
		}
	}
	ev := p.evaluate(&e.fwd, r.vt)
	r.penalty = p.penalised(&ev, &ls.w)
	r.dc = p.types[r.vt].distCost
	r.typeFixed, r.fixed = p.types[r.vt].fixed, 0
	if e.fwd.nb > 0 { // clients, not reload copies
		r.fixed = r.typeFixed
	}
	r.rest = r.penalty - r.fixed - r.dc*float64(e.fwd.dist)
	r.tc = p.types[r.vt].timeCost + p.types[r.vt].travelCost
	r.restT = r.rest - r.tc*float64(e.fwd.travel)
	r.loadPen = ls.loadPenalty(r, &e.fwd.del, &e.fwd.pick)
	r.whenLastModified = ls.nbMoves
	ls.updatePolar(r)
	if p.guarded() {
		ls.snapshotPairs(r)
	}
}

// exportIndividual writes the routes back into ind, ordered by the polar
// angle of their sectors so that the giant tour keeps neighbouring routes
// together (LocalSearch::exportIndividual).
func (ls *localSearch) exportIndividual(ind *individual) {
	p := ls.p
	order := ls.orderRoutes[:0]
	for _, r := range ls.routes[:ls.nbRoutes] {
		if r.nbCustomers > 0 {
			order = append(order, r.index)
		}
	}
	sortRoutesByAngle(order, ls.routes)
	ind.routes = ind.routes[:0]
	ind.types = ind.types[:0]
	ind.giantTour = ind.giantTour[:0]
	for k, ri := range order {
		r := ls.routes[ri]
		if k >= cap(ind.routes) {
			ind.routes = append(ind.routes[:k], nil)
		} else {
			ind.routes = ind.routes[:k+1]
		}
		route := ind.routes[k][:0]
		for n := r.depot.next; !n.isDepot; n = n.next {
			route = append(route, n.cour)
		}
		ind.routes[k] = route
		ind.types = append(ind.types, r.vt)
		ind.giantTour = append(ind.giantTour, route...)
	}
	ind.evaluateCompleteCost(p, &ls.w)
	ls.orderRoutes = ls.orderRoutes[:0]
	for i := range ls.nbRoutes {
		ls.orderRoutes = append(ls.orderRoutes, i)
	}
}

// insertNode moves u right after v (LocalSearch::insertNode).
func insertNode(u, v *lsNode) {
	u.prev.next = u.next
	u.next.prev = u.prev
	v.next.prev = u
	u.prev = v
	u.next = v.next
	v.next = u
	u.route = v.route
}

// swapNode exchanges two non-adjacent nodes (LocalSearch::swapNode).
func swapNode(u, v *lsNode) {
	vPred, vSucc, uPred, uSucc := v.prev, v.next, u.prev, u.next
	ru, rv := u.route, v.route
	uPred.next, uSucc.prev = v, v
	vPred.next, vSucc.prev = u, u
	u.prev, u.next = vPred, vSucc
	v.prev, v.next = uPred, uSucc
	u.route, v.route = rv, ru
}

// relink rebuilds route r as depot, nodes…, depot.
func relink(r *lsRoute, nodes []*lsNode) {
	prev := r.depot
	for _, n := range nodes {
		prev.next, n.prev = n, prev
		n.route = r
		prev = n
	}
	prev.next, r.depotEnd.prev = r.depotEnd, prev
}

// applied records an improving move on routes ru and rv, or undoes it and
// reports false when it broke a shipment (shipments_search.go).
func (ls *localSearch) applied(ru, rv *lsRoute) bool {
	if ls.p.guarded() && !ls.kept(ru, rv) {
		return false
	}
	ls.nbMoves++
	ls.updateRouteData(ru)
	if rv != ru {
		ls.updateRouteData(rv)
	}
	return true
}
