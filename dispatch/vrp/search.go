package vrp

// Genetic: the main loop of HGS. Vidal (2022), §3 (Algorithm 1): an
// initial population of 4μ individuals (half random, half randomised nearest
// neighbour tours, within a share of the time limit); then repeatedly select
// two parents by binary tournament, cross them (OX), Split the child,
// educate it by local search, insert it, and repair half of the infeasible
// children with boosted penalties; adapt the penalties every 100 iterations
// toward the target feasible share (§3.4); restart the population after
// nbIter iterations without improvement of the best solution.

import (
	"context"
	"math"
	"math/rand/v2"
	"time"
)

// search is one independent run of HGS with its own random source.
type search struct {
	p     *params
	rng   *rand.Rand
	ls    *localSearch
	split *splitter
	pop   *population
	w     penalties

	ctx     context.Context
	start   time.Time
	limit   time.Time
	maxIter int
	// untilConverged ends the search after nbIterConverged iterations without
	// a significant new best (with a feasible best), before the time limit,
	// and fits the configuration to the rule's plan (params.go): for a
	// caller that set none, small problems return at once.
	untilConverged bool
	iter           int
	progress       func(Progress)
	seen           []bool
	child          *individual
	educated       int  // local searches run
	fitted         bool // fitGenerations has run
	penaltyPeriod  int  // iterations between penalty adaptations (fitGenerations)
	// initial and initialTypes are the caller's warm-start routes.
	initial      [][]int
	initialTypes []int
}

func newSearch(ctx context.Context, p *params, seed uint64, start time.Time, limit time.Duration, maxIter int) *search {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	s := &search{
		p: p, rng: rng, ctx: ctx, start: start, limit: start.Add(limit), maxIter: maxIter,
		ls: newLocalSearch(p, rng), split: newSplitter(p), pop: newPopulation(p, rng),
		seen: make([]bool, p.n), child: newIndividual(p),
	}
	s.w = penalties{load: p.initialPenaltyLoad(), time: p.costScale, dist: p.costScale}
	s.penaltyPeriod = p.cfg.nbIterPenaltyManage
	s.ls.deadline = s.stopped
	return s
}

// stopped reports whether the time limit, the iteration limit or ctx has
// ended the search.
func (s *search) stopped() bool {
	if s.maxIter > 0 && s.iter >= s.maxIter {
		return true
	}
	if s.maxIter <= 0 && !time.Now().Before(s.limit) {
		return true
	}
	select {
	case <-s.ctx.Done():
		return true
	default:
		return false
	}
}

// run executes the search until a stop and returns the best individual.
func (s *search) run() *individual {
	s.warmStart()
	if s.untilConverged {
		// no limit to fit to: fit to the plan of the stopping rule
		s.fitted = true
		s.fitTo(float64(convergedPlanPerClient * s.p.nbReal))
	}
	s.initialPopulation()
	nbIterNonProd := 1
	// converged counts the iterations since the best was last convergedGain
	// below convergedRef (the stopping rule of params.go).
	converged, convergedRef := 0, math.Inf(1)
	loopStart, fitFrom := time.Now(), s.iter
	for !s.stopped() {
		if len(s.pop.feasible)+len(s.pop.infeasible) == 0 {
			s.initialPopulation() // nothing to select from yet
			continue
		}
		if !s.fitted && (s.iter-fitFrom >= fitIterations || time.Since(loopStart) > time.Duration(fitShare*float64(s.limit.Sub(s.start)))) {
			s.fitted = true
			s.fitGenerations(time.Since(loopStart), s.iter-fitFrom)
		}
		s.iter++
		crossoverOX(s.child, s.pop.binaryTournament(), s.pop.binaryTournament(), s.rng, s.seen)
		s.split.split(s.child, &s.w)
		isNewBest := s.educate(s.child)
		if isNewBest {
			nbIterNonProd = 1
		} else {
			nbIterNonProd++
		}
		if s.iter%s.penaltyPeriod == 0 {
			s.managePenalties()
		}
		if s.untilConverged && s.pop.hasBest {
			converged++
			if b := s.pop.bestOverall.penalisedCost; b < convergedRef*(1-convergedGain) {
				converged, convergedRef = 0, b
			}
			if converged >= s.p.cfg.nbIterConverged {
				break // converged (params.go: the stopping rule)
			}
		}
		if nbIterNonProd >= s.p.cfg.nbIter {
			s.pop.restart()
			s.initialPopulation()
			nbIterNonProd = 1
		}
	}
	return s.best()
}

// educate runs the local search on ind, inserts it and, with probability
// repairProbability, repairs an infeasible one with boosted penalties.
func (s *search) educate(ind *individual) bool {
	s.educated++
	before := s.pop.hasBest
	bestBefore := s.pop.bestOverall.penalisedCost
	s.ls.run(ind, s.w)
	isNewBest := s.pop.add(ind, true)
	if !ind.feasible && s.rng.Float64() < s.p.cfg.repairProbability {
		boost := s.p.cfg.repairBooster
		s.ls.run(ind, penalties{load: s.w.load * boost, time: s.w.time * boost, dist: s.w.dist * boost})
		if ind.feasible {
			ind.rePenalise(s.p, &s.w)
			isNewBest = s.pop.add(ind, false) || isNewBest
		}
	}
	if s.progress != nil && s.pop.hasBest && (!before || s.pop.bestOverall.penalisedCost < bestBefore-epsilon) {
		s.progress(Progress{
			Elapsed: time.Since(s.start), Iterations: s.iter,
			BestCost: int64(math.Round(s.pop.bestOverall.eval.objective)), Feasible: true,
		})
	}
	return isNewBest
}

// generationsWanted is how many times, at least, the population should be
// renewed within the time limit: survivor selection and the diversity
// management act once per generation of λ, and HGS's μ = 25, λ = 40 assume
// runs of thousands of generations (Vidal 2022, §4 tunes them for a time
// limit of n × 240 ms on the CVRP).
const generationsWanted = 20

// fitGenerations shrinks μ and λ in proportion when the time limit leaves
// fewer than generationsWanted generations of μ + λ local searches, each
// estimated from the first iterations of the main loop (spent over
// iterations: crossover, Split, education and repair of offspring). The
// estimate once came from the first two individuals of the initial
// population, but educating a random tour costs several times what an
// offspring of two educated parents does (measured on X-n384-k52: 40 ms
// against 7 ms an iteration), so it shrank μ, λ and Γ on every X instance
// above about 280 clients at n/10 s although the limit left 5,000
// iterations, four times generationsWanted × (μ + λ). With an iteration
// limit the configuration stays the same, so the result depends on the
// seed alone.
func (s *search) fitGenerations(spent time.Duration, iterations int) {
	if s.maxIter > 0 || iterations <= 0 || spent <= 0 {
		return
	}
	s.fitTo(float64(time.Until(s.limit)) / (float64(spent) / float64(iterations)))
}

// fitTo fits μ, λ, Γ and the penalty period to a run of about expected
// more iterations.
func (s *search) fitTo(expected float64) {
	cfg := &s.p.cfg
	s.fitPenaltyPeriod(expected)
	want := float64(generationsWanted * (cfg.mu + cfg.lambda))
	if expected >= want {
		return
	}
	f := expected / want
	s.pop.mu = max(minMu, int(math.Round(f*float64(cfg.mu))))
	s.pop.lambda = max(minLambda, int(math.Round(f*float64(cfg.lambda))))
	// Each local search costs about Γ move evaluations per client: the
	// granular neighbourhood shrinks too, by at most half, for more
	// generations.
	s.ls.setGranularity(int(math.Round(float64(cfg.nbGranular) * (1 + f) / 2)))
}

// penaltyAdaptations is how many penalty adaptations, at least, a run
// should have. HGS adapts every 100 iterations by ×0.85 or ×1.2 (§3.4, Table
// 1) from a start of the largest arc cost over the largest demand, which is
// often ten times the penalty that yields the target share: on X-n327-k20
// the load penalty fell from 133 to 16 and every education was feasible
// until iteration 1,300 of 1,550 that 16 s allowed, so the search hardly
// crossed infeasible space at all. HGS's long runs (n × 240 ms) do not
// notice 13 periods; a short limit does. The period shrinks so that a run
// has this many adaptations, down to minPenaltyPeriod iterations, and the
// feasibility window with it (PyVRP likewise looks only at the solutions
// since its last update).
const (
	penaltyAdaptations = 100
	minPenaltyPeriod   = 20
)

// fitPenaltyPeriod sets the penalty period for a run of about expected
// iterations.
func (s *search) fitPenaltyPeriod(expected float64) {
	period := min(s.p.cfg.nbIterPenaltyManage, max(minPenaltyPeriod, int(expected/penaltyAdaptations)))
	if period == s.penaltyPeriod {
		return
	}
	s.penaltyPeriod = period
	pop := s.pop
	pop.window = period
	// keep the newest outputs of the ring, oldest first
	keep := func(ok []bool) []bool {
		if len(ok) < feasibilityWindow {
			return ok[max(0, len(ok)-period):]
		}
		var out []bool
		for k := range period {
			out = append(out, ok[(pop.next+feasibilityWindow-period+k)%feasibilityWindow])
		}
		return out
	}
	pop.loadOK, pop.timeOK, pop.distOK = keep(pop.loadOK), keep(pop.timeOK), keep(pop.distOK)
	pop.next = 0
}

// fitIterations is how many iterations of the main loop fitGenerations
// times, or the iterations within fitShare of the time limit when fewer
// fit there (a large problem under a short limit).
const (
	fitIterations = 50
	fitShare      = 0.02
)

// minMu and minLambda keep a population in which the biased fitness still
// has nbElite elite individuals and nbClose neighbours to measure.
const minMu, minLambda = 5, 8

// initialPopulation adds 4μ educated random individuals (§3.2). Under a
// short time limit it stops once initialShare of the budget is spent (with
// at least two individuals), so that the generations still get most of it;
// with an iteration limit, or without a limit (untilConverged), it always
// builds all 4μ, for determinism: the stopping rule counts iterations, and
// a budget of 5 % of DefaultTimeLimit cut the 32 educations of a 200-stop
// rich problem to 10–22 when the machine was loaded, so the answer
// depended on the load (measured: two runs of BenchmarkSmall, same seeds,
// gave the rich 200-stop kind a mean gap of 1.28 % and 0.71 %).
func (s *search) initialPopulation() {
	from := time.Now()
	budget := time.Duration(float64(s.limit.Sub(s.start)) * s.p.cfg.initialShare)
	for k := 0; k < 4*s.pop.mu && !s.stopped(); k++ {
		if s.maxIter <= 0 && !s.untilConverged && k >= 2 && time.Since(from) > budget {
			break
		}
		ind := s.child
		if k%2 == 0 {
			s.randomTour(ind)
		} else {
			s.nearestNeighbourTour(ind)
		}
		s.split.split(ind, &s.w)
		s.educate(ind)
	}
}

// randomTour fills ind.giantTour with a random permutation (HGS's initial
// individuals).
func (s *search) randomTour(ind *individual) {
	ind.giantTour = ind.giantTour[:0]
	for c := 1; c <= s.p.nbClients; c++ {
		ind.giantTour = append(ind.giantTour, c)
	}
	s.rng.Shuffle(len(ind.giantTour), func(i, j int) {
		ind.giantTour[i], ind.giantTour[j] = ind.giantTour[j], ind.giantTour[i]
	})
}

// nearestNeighbourTour fills ind.giantTour with a randomised nearest
// neighbour tour (Prins 2004 seeds his GA with such tours): from a random
// client, go to a random one of the three closest unvisited correlated
// clients, or to the closest unvisited client when none is left. Education
// from such a start is several times cheaper than from a random one, which
// matters under short time limits; the other half of the initial
// individuals stays random for diversity.
func (s *search) nearestNeighbourTour(ind *individual) {
	p := s.p
	seen := s.seen
	clear(seen)
	cur := 1 + s.rng.IntN(p.nbClients)
	ind.giantTour = append(ind.giantTour[:0], cur)
	seen[cur] = true
	for len(ind.giantTour) < p.nbClients {
		var cand [3]int
		k := 0
		for _, v := range p.correlated[cur] { // sorted by index: rank by distance
			if seen[v] {
				continue
			}
			d := p.dist[cur*p.n+v]
			if k < 3 {
				cand[k] = v
				k++
			} else if worst := worstOf(p, cur, cand[:]); d < p.dist[cur*p.n+cand[worst]] {
				cand[worst] = v
			}
		}
		next := 0
		if k > 0 {
			next = cand[s.rng.IntN(k)]
		} else {
			best := int64(-1)
			for v := 1; v <= p.nbClients; v++ {
				if !seen[v] && (best < 0 || p.dist[cur*p.n+v] < best) {
					next, best = v, p.dist[cur*p.n+v]
				}
			}
		}
		ind.giantTour = append(ind.giantTour, next)
		seen[next] = true
		cur = next
	}
}

// worstOf is the index in cand of the client farthest from cur.
func worstOf(p *params, cur int, cand []int) int {
	w := 0
	for i := range cand {
		if p.dist[cur*p.n+cand[i]] > p.dist[cur*p.n+cand[w]] {
			w = i
		}
	}
	return w
}

// managePenalties moves each penalty toward the target feasible share
// (§3.4): ×1.2 when too few LS outputs are feasible, ×0.85 when too many.
func (s *search) managePenalties() {
	cfg := &s.p.cfg
	lo, hi := 0.1*s.p.costScale, 100000*s.p.costScale
	adapt := func(w *float64, ok []bool, lo, hi float64) {
		f := share(ok)
		switch {
		case f < cfg.targetFeasible-0.05 && *w < hi:
			*w = math.Min(*w*cfg.penaltyIncrease, hi)
		case f > cfg.targetFeasible+0.05 && *w > lo:
			*w = math.Max(*w*cfg.penaltyDecrease, lo)
		}
	}
	adapt(&s.w.load, s.pop.loadOK, 0.1*s.p.loadUnit, 100000*s.p.loadUnit)
	if s.p.hasTime {
		adapt(&s.w.time, s.pop.timeOK, lo, hi)
	}
	if s.p.hasMaxDist {
		adapt(&s.w.dist, s.pop.distOK, lo, hi)
	}
	s.pop.repenalise(&s.w)
}

// best is the best feasible individual, or the best infeasible one when no
// feasible solution was found.
func (s *search) best() *individual {
	if s.pop.hasBest {
		return s.pop.bestOverall
	}
	if len(s.pop.infeasible) > 0 {
		return s.pop.infeasible[0]
	}
	if len(s.pop.feasible) > 0 {
		return s.pop.feasible[0]
	}
	// Stopped before anything was educated: one Split of the identity tour.
	ind := newIndividual(s.p)
	for c := 1; c <= s.p.nbClients; c++ {
		ind.giantTour = append(ind.giantTour, c)
	}
	s.split.split(ind, &s.w)
	return ind
}
