package vrp

// Params: the data the Hybrid Genetic Search reads in its hot loops, and the
// parameters of the method. Vidal (2022), "Hybrid genetic search for the
// CVRP: open-source implementation and SWAP* neighborhood", Computers & OR
// 140, §3 (the Params class) and §4 (Table 1, the default parameter values).

import (
	"math"
	"slices"
)

// hgsConfig holds the method's parameters; the defaults are those of
// HGS-CVRP (Vidal 2022, Table 1).
type hgsConfig struct {
	nbGranular          int     // Γ: correlated vertices per client
	mu                  int     // minimum subpopulation size
	lambda              int     // generation size
	nbElite             int     // elite individuals protected in biased fitness
	nbClose             int     // closest individuals in the diversity measure
	targetFeasible      float64 // ξREF: wanted share of feasible LS outputs
	nbIterPenaltyManage int     // iterations between penalty adaptations
	penaltyIncrease     float64
	penaltyDecrease     float64
	nbIter              int // iterations without improvement before a restart
	// nbIterConverged is how many iterations without improvement end a
	// search whose caller set no time limit; solveTrips sets it from the
	// size of the problem (convergedIterations).
	nbIterConverged   int
	repairProbability float64 // share of infeasible offspring sent to repair
	repairBooster     float64 // penalty multiplier during repair
	initialShare      float64 // most of the time limit the initial population may take
}

func defaultConfig() hgsConfig {
	return hgsConfig{
		nbGranular: 20, mu: 25, lambda: 40, nbElite: 4, nbClose: 5,
		targetFeasible: 0.2, nbIterPenaltyManage: 100,
		penaltyIncrease: 1.2, penaltyDecrease: 0.85,
		nbIter: 20000, nbIterConverged: convergedMin, repairProbability: 0.5, repairBooster: 10,
		initialShare: 0.05,
	}
}

// The stopping rule of a search without a time limit. HGS-CVRP ends after
// nbIter = 20,000 iterations without improvement of the best solution
// (Vidal 2022, §3 and Table 1), and PyVRP offers the same rule as its
// NoImprovement(max_iterations) stopping criterion (Wouda, Lan & Kool 2024,
// "PyVRP: a high-performance VRP solver package", INFORMS J. Computing,
// §3.5); VROOM instead runs a fixed amount of local search per
// exploration level. A fixed count ignores the size of the problem, and
// counting every improvement ignores its size: measured on 200-stop
// problems (BenchmarkUntilConverged), a run of HGS's population (μ = 25,
// λ = 40) still found a new best every 100 to 300 iterations after 3,000,
// each 0.01–0.1 %, so a count of 5 × n iterations without improvement
// reset until the 10 s cap, and at 3 ms an iteration a 200-stop problem
// took 8 s. The rule here has three parts:
//
//   - a plan: the search expects convergedPlanPerClient × n iterations and
//     fits μ, λ, Γ and the penalty period to that count (fitGenerations),
//     as it fits them to a time limit; the configuration then depends on
//     the problem alone, not on the machine's speed, and a population of
//     μ = 8 converges in the hundreds of iterations that such a run has;
//   - a significant improvement: only a best at least convergedGain
//     (relative) below the best at the last reset restarts the count, so a
//     trickle of tiny gains does not keep a converged search alive (a
//     hundredth of the 1 % that separates a quick answer from a long run's
//     is not worth another second);
//   - the count: convergedIterations, n × convergedPerClient iterations
//     (at least convergedMin, at most nbIter) without a significant
//     improvement — a quarter of the plan.
//
// Measured on the 12 random 200-stop problems of the benchmark (cvrp,
// vrptw, rich): the search stops after a median of about 320 iterations
// within 0.5 % on average of what a 10 s search finds. DefaultTimeLimit
// still bounds the call.
const (
	convergedPlanPerClient = 2
	convergedPerClient     = 0.5
	convergedMin           = 100
	convergedGain          = 0.001
)

// convergedIterations is nbIterConverged for a problem of nbClients
// clients: convergedPerClient × nbClients, at least convergedMin and at most
// HGS-CVRP's nbIter.
func convergedIterations(nbClients int, cfg hgsConfig) int {
	return min(cfg.nbIter, max(convergedMin, int(convergedPerClient*float64(nbClients))))
}

// vehType is a VehicleType with its costs as float64 for the search.
type vehType struct {
	fixed, distCost, timeCost float64
	travelCost                float64 // TravelTimeCost: prices segment.travel, which then holds leg times only
	capacity                  Amount
	maxDuration, maxDistance  int64 // 0: none
	skills                    uint64
	count                     int   // Unlimited or how many exist
	trips                     int   // most trips a van may drive (VehicleType.Trips)
	maxStops                  int   // 0: none (vroomfields.go)
	maxTravel                 int64 // 0: none; segment.travel is then leg times only
}

// params is the preprocessed instance: matrices, single-visit segments,
// depot segments per vehicle type, correlated vertices and flags that let
// the classical CVRP skip the machinery it does not need.
type params struct {
	in        *Instance
	cfg       hgsConfig
	n         int // matrix size: depot + clients
	nbClients int
	// nbReal: matrix nodes 1..nbReal are stops, nodes after are reload
	// copies of the depot (reload.go); hasReload when there are some.
	nbReal     int
	hasReload  bool
	tripCap    Amount // capacity the middle trips' load excess is kept against
	reloadTime int64  // the shortest ReloadTime of the multi-trip types
	dims       int
	dist       []int64
	time       []int64
	types      []vehType
	single     []segment // single[i]: the visit of node i alone
	depotFrom  []segment // depotFrom[t]: the depot as start of a type-t route
	depotTo    []segment // depotTo[t]: the depot as end of a type-t route

	hasTime    bool // time windows, shifts, durations or time costs matter
	hasPickup  bool // simultaneous pickup and delivery
	hasMaxDist bool
	hasSkills  bool
	timeCosted bool // some vehicle type has a TimeCost or TravelTimeCost: moves prune on travel time too
	// travelOnly: some vehicle type has a TravelTimeCost, so segment.travel
	// sums leg times only (no service) and is priced exactly.
	travelOnly bool
	symmetric  bool // Distance (and Duration) are symmetric
	// open: some vehicle type starts or ends elsewhere than the depot
	// (open.go); nowhere is then the node standing for an absent end.
	open    bool
	nowhere int
	// pair: the matrix node of each client's shipment partner, nil without
	// shipments (shipments_search.go).
	pair []int
	// brk: the break visits after the stops, nil without (breaks_search.go).
	brk *breakParams
	// orderFree: a route's penalised cost depends on its order only through
	// its distance (the CVRP case), so intra-route moves are pure distance.
	orderFree bool

	dimWeight    [MaxDims]float64 // excess load on dimension d in dimension-0 units
	skillPenalty float64          // makes a skill violation dearer than any solution
	maxArcCost   float64
	costScale    float64 // largest distance+time cost per unit (1 for CVRP)
	// loadUnit scales the load penalty's bounds: the cost per distance unit
	// plus the largest fixed cost per unit of capacity, so that overloading a
	// vehicle is never cheaper than buying capacity (1 for CVRP).
	loadUnit   float64
	totalLoad  [MaxDims]int64
	correlated [][]int   // Γ closest clients of each client (Vidal 2022, §3.2)
	corrRank   [][]int   // corrRank[i][k]: rank of correlated[i][k] in that relation
	x, y       []float64 // pseudo-coordinates (polar.go)
	angle      []int     // polar angle around the depot, in [0, circle)
}

func newParams(in *Instance, cfg hgsConfig) *params {
	return newParamsReload(in, cfg, len(in.Stops))
}

// newParamsReload is newParams for an instance whose stops after the first
// nbReal are reload copies (withReloads).
func newParamsReload(in *Instance, cfg hgsConfig, nbReal int) *params {
	p := &params{in: in, cfg: cfg, n: in.N(), nbClients: len(in.Stops), dims: in.Dims, nbReal: nbReal}
	p.hasReload = nbReal < len(in.Stops)
	p.reloadTime = -1
	for _, vt := range in.VehicleTypes {
		if vt.Trips() > 1 && vt.Count != 0 && p.hasReload {
			if p.reloadTime < 0 {
				p.tripCap, p.reloadTime = vt.Capacity, vt.ReloadTime
			}
			p.reloadTime = min(p.reloadTime, vt.ReloadTime)
		}
	}
	p.reloadTime = max(p.reloadTime, 0)
	p.dist = in.Distance
	p.time = in.Duration
	if p.time == nil {
		p.time = in.Distance
	}
	p.openEnds(in)
	p.pair = pairNodes(in)
	p.brk = newBreakParams(in)
	for _, vt := range in.VehicleTypes {
		p.types = append(p.types, vehType{
			fixed: float64(vt.FixedCost), distCost: float64(vt.DistanceCost), timeCost: float64(vt.TimeCost), travelCost: float64(vt.TravelTimeCost),
			capacity: vt.Capacity, maxDuration: vt.MaxDuration, maxDistance: vt.MaxDistance,
			skills: vt.Skills, count: vt.Count, trips: vt.Trips(), maxStops: vt.MaxStops, maxTravel: vt.MaxTravelTime,
		})
		if vt.TravelTimeCost != 0 || vt.MaxTravelTime > 0 {
			p.travelOnly = true
		}
		if vt.TimeCost != 0 || vt.TravelTimeCost != 0 || vt.MaxDuration > 0 || vt.MaxTravelTime > 0 || vt.ShiftStart > in.DepotWindow.Start || vt.ShiftEnd < in.DepotWindow.End {
			p.hasTime = true
		}
		if vt.MaxDistance > 0 {
			p.hasMaxDist = true
		}
	}
	if in.DepotWindow.Start > 0 || in.DepotWindow.End < Horizon || in.BalanceCost > 0 {
		p.hasTime = true
	}
	var maxDemand [MaxDims]int64
	for _, s := range in.Stops {
		if len(s.TimeWindows) > 0 || s.Release > 0 {
			p.hasTime = true
		}
		if s.Skills != 0 {
			p.hasSkills = true
		}
		for d := range MaxDims {
			if s.Pickup[d] != 0 {
				p.hasPickup = true
			}
			p.totalLoad[d] += max(s.Delivery[d], s.Pickup[d])
			maxDemand[d] = max(maxDemand[d], s.Delivery[d], s.Pickup[d])
		}
	}
	if p.hasReload && p.reloadTime > 0 {
		p.hasTime = true
	}
	p.hasTime = p.hasTime || p.brk != nil // breaks are timed visits
	// with reloads the load resets inside a route: never order-free; nor
	// with other ends than the depot, whose legs only segments price
	p.orderFree = !p.hasTime && !p.hasPickup && !p.hasReload && !p.open
	for _, t := range p.types {
		if (t.timeCost > 0 || t.travelCost > 0) && p.hasTime {
			p.timeCosted = true
		}
	}
	for d := range MaxDims {
		p.dimWeight[d] = 1
		if d > 0 && maxDemand[d] > 0 && maxDemand[0] > 0 {
			p.dimWeight[d] = float64(maxDemand[0]) / float64(maxDemand[d])
		}
	}
	p.buildSegments()
	var maxDist int64
	for _, d := range p.dist {
		maxDist = max(maxDist, d)
	}
	var maxDC, maxFixed float64
	for _, t := range p.types {
		maxDC = max(maxDC, t.distCost+t.timeCost+t.travelCost)
		maxFixed = max(maxFixed, t.fixed)
	}
	p.costScale = max(1, maxDC)
	p.loadUnit = p.costScale
	var perCap float64
	for _, t := range p.types {
		if t.capacity[0] > 0 {
			perCap = max(perCap, t.fixed/float64(t.capacity[0]))
		}
	}
	if perCap > 0 {
		p.loadUnit += perCap
	}
	p.maxArcCost = max(1, float64(maxDist)*maxDC)
	p.skillPenalty = 10 * (p.maxArcCost*float64(2*p.n) + maxFixed*float64(p.n))
	p.symmetric = true
	for i := range p.n {
		for j := range i {
			if p.dist[i*p.n+j] != p.dist[j*p.n+i] || p.time[i*p.n+j] != p.time[j*p.n+i] {
				p.symmetric = false
			}
		}
	}
	if p.open {
		// a route reversed would swap its start and end
		p.symmetric = false
	}
	p.buildCorrelated()
	p.embed()
	return p
}

// buildSegments prepares the segment of each single visit and of the depot
// at both ends of a route of each vehicle type (Vidal et al. 2014, §4).
func (p *params) buildSegments() {
	in := p.in
	p.single = make([]segment, p.n)
	p.single[0] = segment{e: 0, l: Horizon}
	for i, s := range in.Stops {
		g := &p.single[i+1]
		g.first, g.last, g.nb = i+1, i+1, 1
		g.del, g.pick = s.Delivery, s.Pickup
		for d := range MaxDims {
			g.peak[d] = max(s.Delivery[d], s.Pickup[d])
		}
		if s.Kind == KindDelivery {
			g.del, g.pick, g.peak = Amount{}, negAmount(s.Delivery), Amount{} // shipments.go
		}
		g.dur, g.travel = s.Service+s.Setup, s.Service+s.Setup // setup always: pessimistic (vroomfields.go)
		if p.travelOnly {
			g.travel = 0 // legs only: see segment.travel
		}
		g.e, g.l = 0, Horizon
		if k := len(s.TimeWindows); k > 0 {
			// Several windows: the envelope; the exact check at the end
			// (solution.go) repairs what the approximation lets through.
			g.e, g.l = s.TimeWindows[0].Start, s.TimeWindows[k-1].End
		}
		g.skills = s.Skills
		g.release = s.Release
		if p.isReload(i + 1) {
			*g = reloadSegment(i + 1)
		}
		if p.isBreak(i + 1) {
			*g = p.breakSegment(i + 1)
		}
	}
	for i := p.nbClients + 1; i < p.n; i++ {
		p.single[i] = segment{first: i, last: i, e: 0, l: Horizon} // places: never visited as stops
	}
	for _, vt := range in.VehicleTypes {
		e := max(vt.ShiftStart, in.DepotWindow.Start)
		l := min(vt.ShiftEnd, in.DepotWindow.End)
		from := segment{e: e, l: l}
		from.first, from.last = p.endNode(vt.Start), p.endNode(vt.Start)
		to := segment{e: e, l: l}
		to.first, to.last = p.endNode(vt.End), p.endNode(vt.End)
		p.depotFrom = append(p.depotFrom, from)
		p.depotTo = append(p.depotTo, to)
	}
}

// buildCorrelated lists, for each client, the Γ clients closest to it in the
// correlation measure (distance, plus a time-window term when windows
// matter), made symmetric as in HGS-CVRP.
func (p *params) buildCorrelated() {
	nb := p.nbClients
	p.correlated = make([][]int, p.n)
	gamma := min(p.cfg.nbGranular, nb-1)
	if gamma <= 0 {
		return
	}
	// rank[i][v]: the better of v's rank among i's closest and i's among v's
	rank := make([]map[int]int, p.n)
	type cand struct {
		v    int
		cost float64
	}
	cands := make([]cand, 0, nb)
	note := func(i, v, k int) {
		if rank[i] == nil {
			rank[i] = map[int]int{}
		}
		if r, ok := rank[i][v]; !ok || k < r {
			rank[i][v] = k
		}
	}
	for i := 1; i <= nb; i++ {
		if p.isBreak(i) {
			continue // moved in its route only (breaks_search.go)
		}
		cands = cands[:0]
		for j := 1; j <= p.nbReal; j++ {
			// a reload's neighbours are the stops closest to the depot
			// (its matrix row); stops are not each other's reloads'
			if j == i || p.isBreak(j) {
				continue
			}
			c := float64(p.dist[i*p.n+j])
			if p.hasTime {
				a, b := &p.single[i], &p.single[j]
				arr := a.e + a.dur + p.time[i*p.n+j]
				c += 0.2*float64(max(0, b.e-(a.l+a.dur+p.time[i*p.n+j]))) + float64(max(0, arr-b.l))
			}
			cands = append(cands, cand{j, c})
		}
		slices.SortFunc(cands, func(x, y cand) int {
			if x.cost != y.cost {
				if x.cost < y.cost {
					return -1
				}
				return 1
			}
			return x.v - y.v
		})
		if p.isReload(i) {
			// A reload may open a trip after any stop (it is tried from
			// its own side only, so stops keep their Γ neighbours; stops
			// reach it as the start of a trip, see educateNode).
			for _, c := range cands {
				note(i, c.v, 0)
			}
			continue
		}
		for k, c := range cands[:min(gamma, len(cands))] {
			note(i, c.v, k)
			note(c.v, i, k)
		}
	}
	p.corrRank = make([][]int, p.n)
	for i := 1; i <= nb; i++ {
		for v := range rank[i] {
			p.correlated[i] = append(p.correlated[i], v)
		}
		slices.Sort(p.correlated[i])
		for _, v := range p.correlated[i] {
			p.corrRank[i] = append(p.corrRank[i], rank[i][v])
		}
	}
}

// initialPenaltyLoad follows HGS-CVRP: the largest arc cost over the largest
// demand, within [0.1, 1000] scaled by loadUnit.
func (p *params) initialPenaltyLoad() float64 {
	var maxDemand int64
	for _, s := range p.in.Stops {
		maxDemand = max(maxDemand, s.Delivery[0], s.Pickup[0])
	}
	if maxDemand == 0 {
		return 1
	}
	return p.pairLoadBoost() * math.Max(0.1*p.loadUnit, math.Min(1000*p.loadUnit, p.maxArcCost/float64(maxDemand)))
}
