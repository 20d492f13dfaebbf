package vrp

// Population: Vidal (2022), §3.5. Two subpopulations (feasible and
// infeasible), each kept sorted by penalised cost; the biased fitness mixes
// the rank in cost with the rank in diversity contribution (the mean
// broken-pairs distance to the nbClose closest individuals), protecting
// nbElite individuals; survivor selection removes clones first, then the
// worst biased fitness, down to μ individuals once μ+λ are reached.

import (
	"math/rand/v2"
	"slices"
)

// feasibilityWindow is how many recent local-search outputs the penalty
// adaptation looks at (§3.4), unless search.fitGenerations shortens it
// with the adaptation period (population.window).
const feasibilityWindow = 100

type population struct {
	p          *params
	rng        *rand.Rand
	feasible   []*individual
	infeasible []*individual
	pool       []*individual // recycled individuals

	// mu and lambda are the subpopulation and generation sizes in force:
	// cfg's, or smaller under a short time limit (search.fitGenerations).
	mu, lambda int

	bestRestart, bestOverall *individual
	hasBestRestart, hasBest  bool

	ranking []rank // scratch of updateBiasedFitnesses

	// recent feasibility of LS outputs per relaxed constraint
	loadOK, timeOK, distOK []bool
	next                   int
	window                 int // outputs kept: feasibilityWindow or the penalty period
}

// rank pairs an individual's diversity contribution with its cost rank.
type rank struct {
	div float64
	i   int
}

func newPopulation(p *params, rng *rand.Rand) *population {
	return &population{
		p: p, rng: rng, mu: p.cfg.mu, lambda: p.cfg.lambda, window: feasibilityWindow,
		bestRestart: newIndividual(p), bestOverall: newIndividual(p),
	}
}

func (pop *population) get() *individual {
	if k := len(pop.pool); k > 0 {
		ind := pop.pool[k-1]
		pop.pool = pop.pool[:k-1]
		ind.proximity = ind.proximity[:0]
		return ind
	}
	return newIndividual(pop.p)
}

// recordFeasibility notes whether an LS output met each relaxed constraint.
func (pop *population) recordFeasibility(ind *individual) {
	e := &ind.eval
	if len(pop.loadOK) < pop.window {
		pop.loadOK = append(pop.loadOK, e.loadEx == 0)
		pop.timeOK = append(pop.timeOK, e.timeEx == 0)
		pop.distOK = append(pop.distOK, e.distEx == 0)
		return
	}
	pop.loadOK[pop.next], pop.timeOK[pop.next], pop.distOK[pop.next] = e.loadEx == 0, e.timeEx == 0, e.distEx == 0
	pop.next = (pop.next + 1) % pop.window
}

// add inserts a copy of ind into its subpopulation and reports whether it
// is a new best feasible solution since the last restart
// (Population::addIndividual).
func (pop *population) add(ind *individual, updateFeasible bool) bool {
	if updateFeasible {
		pop.recordFeasibility(ind)
	}
	sub := &pop.infeasible
	if ind.feasible {
		sub = &pop.feasible
	}
	c := pop.get()
	c.copyFrom(ind)
	for _, o := range *sub {
		d := brokenPairsDistance(c, o, pop.p.nbClients)
		o.insertProximity(d, c)
		c.insertProximity(d, o)
	}
	k, _ := slices.BinarySearchFunc(*sub, c.penalisedCost, func(a *individual, cost float64) int {
		if a.penalisedCost < cost {
			return -1
		}
		return 1
	})
	*sub = slices.Insert(*sub, k, c)
	if len(*sub) > pop.mu+pop.lambda {
		for len(*sub) > pop.mu {
			pop.removeWorstBiasedFitness(sub)
		}
	}
	if !ind.feasible {
		return false
	}
	isNew := false
	if !pop.hasBestRestart || ind.penalisedCost < pop.bestRestart.penalisedCost-epsilon {
		pop.bestRestart.copyFrom(ind)
		pop.hasBestRestart, isNew = true, true
	}
	if !pop.hasBest || ind.penalisedCost < pop.bestOverall.penalisedCost-epsilon {
		pop.bestOverall.copyFrom(ind)
		pop.hasBest = true
	}
	return isNew
}

func (ind *individual) insertProximity(d float64, o *individual) {
	k, _ := slices.BinarySearchFunc(ind.proximity, d, func(a proximity, d float64) int {
		if a.dist < d {
			return -1
		}
		return 1
	})
	ind.proximity = slices.Insert(ind.proximity, k, proximity{d, o})
}

func (ind *individual) removeProximity(o *individual) {
	for k, pr := range ind.proximity {
		if pr.ind == o {
			ind.proximity = slices.Delete(ind.proximity, k, k+1)
			return
		}
	}
}

// averageBrokenPairsDistanceClosest is the diversity contribution of ind.
func (ind *individual) averageBrokenPairsDistanceClosest(nbClose int) float64 {
	m := min(nbClose, len(ind.proximity))
	if m == 0 {
		return 0
	}
	var s float64
	for _, pr := range ind.proximity[:m] {
		s += pr.dist
	}
	return s / float64(m)
}

// updateBiasedFitnesses ranks a subpopulation (sorted by cost) by cost and
// by diversity contribution.
func (pop *population) updateBiasedFitnesses(sub []*individual) {
	n := len(sub)
	if n == 1 {
		sub[0].biasedFitness = 0
		return
	}
	ranking := pop.ranking[:0]
	for i, ind := range sub {
		ranking = append(ranking, rank{-ind.averageBrokenPairsDistanceClosest(pop.p.cfg.nbClose), i})
	}
	pop.ranking = ranking
	slices.SortStableFunc(ranking, func(a, b rank) int {
		switch {
		case a.div < b.div:
			return -1
		case a.div > b.div:
			return 1
		}
		return 0
	})
	nbElite := float64(pop.p.cfg.nbElite)
	for i, r := range ranking {
		divRank := float64(i) / float64(n-1)
		fitRank := float64(r.i) / float64(n-1)
		if n <= pop.p.cfg.nbElite {
			sub[r.i].biasedFitness = fitRank
		} else {
			sub[r.i].biasedFitness = fitRank + (1-nbElite/float64(n))*divRank
		}
	}
}

// removeWorstBiasedFitness removes a clone if there is one, else the worst
// biased fitness; never the best individual.
func (pop *population) removeWorstBiasedFitness(sub *[]*individual) {
	pop.updateBiasedFitnesses(*sub)
	worst, worstIsClone, worstFit := -1, false, -1.0
	for i := 1; i < len(*sub); i++ {
		ind := (*sub)[i]
		isClone := len(ind.proximity) > 0 && ind.proximity[0].dist < epsilon
		if (isClone && !worstIsClone) || (isClone == worstIsClone && ind.biasedFitness > worstFit) {
			worst, worstIsClone, worstFit = i, isClone, ind.biasedFitness
		}
	}
	if worst < 0 {
		return
	}
	gone := (*sub)[worst]
	*sub = slices.Delete(*sub, worst, worst+1)
	for _, o := range *sub {
		o.removeProximity(gone)
	}
	pop.pool = append(pop.pool, gone)
}

// binaryTournament picks the better of two random individuals by biased
// fitness (Population::getBinaryTournament).
func (pop *population) binaryTournament() *individual {
	pop.updateBiasedFitnesses(pop.feasible)
	pop.updateBiasedFitnesses(pop.infeasible)
	n := len(pop.feasible) + len(pop.infeasible)
	pick := func() *individual {
		k := pop.rng.IntN(n)
		if k < len(pop.feasible) {
			return pop.feasible[k]
		}
		return pop.infeasible[k-len(pop.feasible)]
	}
	a, b := pick(), pick()
	if a.biasedFitness < b.biasedFitness {
		return a
	}
	return b
}

// repenalise re-evaluates the infeasible subpopulation after a penalty
// change and sorts it again.
func (pop *population) repenalise(w *penalties) {
	for _, ind := range pop.infeasible {
		ind.rePenalise(pop.p, w)
	}
	slices.SortStableFunc(pop.infeasible, func(a, b *individual) int {
		switch {
		case a.penalisedCost < b.penalisedCost:
			return -1
		case a.penalisedCost > b.penalisedCost:
			return 1
		}
		return 0
	})
}

// restart empties the population, keeping the overall best.
func (pop *population) restart() {
	pop.pool = append(pop.pool, pop.feasible...)
	pop.pool = append(pop.pool, pop.infeasible...)
	pop.feasible, pop.infeasible = pop.feasible[:0], pop.infeasible[:0]
	pop.hasBestRestart = false
}

// share is the proportion of true values in ok.
func share(ok []bool) float64 {
	if len(ok) == 0 {
		return 0
	}
	k := 0
	for _, b := range ok {
		if b {
			k++
		}
	}
	return float64(k) / float64(len(ok))
}
