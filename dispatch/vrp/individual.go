package vrp

// Individual: a solution as the genetic search handles it. Vidal (2022), §3.1
// and §3.3: the giant tour (chromT, a permutation of the clients without trip
// delimiters), its routes (chromR) once Split or the local search have cut
// it, and the penalised cost of those routes.

// individual is one member of the population. Clients are matrix nodes
// 1..n-1.
type individual struct {
	giantTour []int   // chromT
	routes    [][]int // chromR: non-empty routes only
	types     []int   // vehicle type of each route

	eval          routeEval // sums over the routes
	penalisedCost float64
	feasible      bool

	// successors and predecessors of each client (0 for the depot), for the
	// broken-pairs distance (§3.5).
	successors, predecessors []int
	// proximity lists the other individuals of the subpopulation by
	// increasing distance (§3.5).
	proximity     []proximity
	biasedFitness float64
}

type proximity struct {
	dist float64
	ind  *individual
}

func newIndividual(p *params) *individual {
	return &individual{
		giantTour:    make([]int, 0, p.nbClients),
		successors:   make([]int, p.n),
		predecessors: make([]int, p.n),
	}
}

// evaluateCompleteCost recomputes the routes' evaluation, the penalised cost
// under w and the neighbour arrays (Individual::evaluateCompleteCost).
func (ind *individual) evaluateCompleteCost(p *params, w *penalties) {
	ind.eval = routeEval{}
	for r, route := range ind.routes {
		seg := p.routeSegment(route, ind.types[r])
		e := p.evaluate(&seg, ind.types[r])
		ind.eval.objective += e.objective
		ind.eval.loadEx += e.loadEx
		ind.eval.timeEx += e.timeEx
		ind.eval.distEx += e.distEx
		ind.eval.skillViol += e.skillViol
		for k, c := range route {
			prev, next := 0, 0
			if k > 0 {
				prev = route[k-1]
			}
			if k+1 < len(route) {
				next = route[k+1]
			}
			ind.predecessors[c], ind.successors[c] = prev, next
		}
	}
	ind.feasible = ind.eval.feasible()
	ind.penalisedCost = p.penalised(&ind.eval, w)
}

// rePenalise updates the penalised cost after the penalties changed.
func (ind *individual) rePenalise(p *params, w *penalties) {
	ind.penalisedCost = p.penalised(&ind.eval, w)
}

// setRoutes replaces the routes (copying them) and rebuilds the giant tour
// as their concatenation.
func (ind *individual) setRoutes(routes [][]int, types []int) {
	for len(ind.routes) < len(routes) {
		ind.routes = append(ind.routes, nil)
	}
	ind.routes = ind.routes[:len(routes)]
	ind.types = append(ind.types[:0], types...)
	ind.giantTour = ind.giantTour[:0]
	for r, route := range routes {
		ind.routes[r] = append(ind.routes[r][:0], route...)
		ind.giantTour = append(ind.giantTour, route...)
	}
}

// copyFrom makes ind a deep copy of o (population structures excepted).
func (ind *individual) copyFrom(o *individual) {
	ind.setRoutes(o.routes, o.types)
	ind.giantTour = append(ind.giantTour[:0], o.giantTour...)
	ind.eval, ind.penalisedCost, ind.feasible = o.eval, o.penalisedCost, o.feasible
	copy(ind.successors, o.successors)
	copy(ind.predecessors, o.predecessors)
}

// brokenPairsDistance is the share of client adjacencies of a missing in b
// (Vidal 2022, §3.5; Prins 2009).
func brokenPairsDistance(a, b *individual, nbClients int) float64 {
	diff := 0
	for j := 1; j <= nbClients; j++ {
		if a.successors[j] != b.successors[j] && a.successors[j] != b.predecessors[j] {
			diff++
		}
		if a.predecessors[j] == 0 && b.predecessors[j] != 0 && b.successors[j] != 0 {
			diff++
		}
	}
	return float64(diff) / float64(nbClients)
}
