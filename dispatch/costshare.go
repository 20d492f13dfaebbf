package dispatch

import (
	"math/big"
	"slices"
	"time"
)

// CostShares is who pays what of one published plan: the Shapley value of
// the plan's cost game in fen (docs/cost-sharing.md), each carrier's
// stand-alone cost beside it, the simpler rules side by side, and the
// properties checked on the numbers themselves.
type CostShares struct {
	PlanID      int64  `json:"plan_id"`
	ServiceDate string `json:"service_date"`
	// Method is "shapley_exact" (every coalition solved) or
	// "shapley_sampled" (random orders; each share has a confidence interval).
	Method   string `json:"method"`
	TotalFen int64  `json:"total_fen"`
	Rounding string `json:"rounding"`
	// Shares are by carrier code.
	Shares       []CarrierShare   `json:"shares"`
	Alternatives []ShareRule      `json:"alternatives"`
	Checks       ShareChecks      `json:"checks"`
	Computation  ShareComputation `json:"computation"`
	ComputedAt   time.Time        `json:"computed_at"`
}

// CarrierShare is one carrier's part of the plan.
type CarrierShare struct {
	Carrier  string `json:"carrier"`
	ShareFen int64  `json:"share_fen"`
	// StandaloneFen is the game's value of the carrier alone: the joint
	// fleet serving only its parcels. MarginFen = StandaloneFen − ShareFen is
	// what the carrier gains by riding with the others.
	StandaloneFen int64   `json:"standalone_fen"`
	MarginFen     int64   `json:"margin_fen"`
	MarginPct     float64 `json:"margin_pct"`
	// CIHalfWidthFen is the 95 % confidence half-width of a sampled share.
	CIHalfWidthFen float64 `json:"ci_half_width_fen,omitempty"`
	Parcels        int     `json:"parcels"`
	WeightG        int64   `json:"weight_g"`
	Stops          int     `json:"stops"`
}

// ShareRule is one simpler way to split the same cost, for comparison.
type ShareRule struct {
	Rule   string      `json:"rule"` // per_parcel, per_kg, per_stop, standalone_proportional
	Shares []RuleShare `json:"shares"`
}

// RuleShare is a carrier's part under a ShareRule.
type RuleShare struct {
	Carrier  string `json:"carrier"`
	ShareFen int64  `json:"share_fen"`
}

// ShareChecks are the properties of the split, computed, not assumed.
type ShareChecks struct {
	Efficient            bool  `json:"efficient"` // shares sum to total_fen
	SumFen               int64 `json:"sum_fen"`
	IndividuallyRational bool  `json:"individually_rational"` // every share ≤ stand-alone
	// CoreCoalitions is how many coalitions were checked against the core:
	// every coalition solved (all of them when exact).
	CoreCoalitions int             `json:"core_coalitions"`
	CoreViolations []CoreViolation `json:"core_violations"`
}

// CoreViolation is a coalition whose members together pay more than serving
// themselves alone would cost: the Shapley value does not exclude it.
type CoreViolation struct {
	Carriers  []string `json:"carriers"`
	ValueFen  int64    `json:"value_fen"`
	SharesFen int64    `json:"shares_fen"`
	ExcessFen int64    `json:"excess_fen"`
}

// ShareComputation says what the split cost to compute.
type ShareComputation struct {
	Players    int   `json:"players"`
	Coalitions int   `json:"coalitions"` // distinct coalitions valued (grand and empty excluded)
	Solves     int   `json:"solves"`     // optimiser runs
	SolveMs    int64 `json:"solve_ms"`   // spent in them
	ElapsedMs  int64 `json:"elapsed_ms"`
	BudgetMs   int64 `json:"budget_ms"`
	// Orders is how many random join orders a sampled split averaged.
	Orders     int            `json:"orders,omitempty"`
	Confidence float64        `json:"confidence,omitempty"`
	FoundBy    map[string]int `json:"found_by"` // coalition values by how found
}

// Rounding rule of every split.
const roundingRule = "largest_remainder"

// shapleyShares computes the split of g: exact when the budget allows every
// coalition a search of at least minSolve, sampled otherwise.
func shapleyShares(g *shareGame, budget, minSolve time.Duration, forceSample bool) (*CostShares, error) {
	started := time.Now()
	n := len(g.players)
	out := &CostShares{TotalFen: g.grandFen, Rounding: roundingRule, Shares: []CarrierShare{}, Alternatives: []ShareRule{}}
	out.Computation = ShareComputation{Players: n, BudgetMs: budget.Milliseconds(), FoundBy: map[string]int{}}
	if n == 0 {
		out.Method = "shapley_exact"
		out.Checks = ShareChecks{Efficient: g.grandFen == 0, IndividuallyRational: true, CoreViolations: []CoreViolation{}}
		return out, nil
	}
	exact := exactFits(n, budget, minSolve, forceSample)
	var frac fraction
	var half []float64
	if exact {
		out.Method = "shapley_exact"
		total := 0
		for s := coalition(1); s < g.grand(); s++ {
			total += g.stopCount(s)
		}
		perStop := budget / time.Duration(max(total, 1))
		g.limit = g.limiter(perStop, minSolve)
		for _, s := range bySize(n) { // small coalitions first, for the cover
			g.value(s)
		}
		if g.err != nil {
			return nil, g.err
		}
		frac = exactShapley(n, g.value)
	} else {
		out.Method = "shapley_sampled"
		// About twenty orders' worth of coalitions share the budget.
		perStop := budget / time.Duration(max(20*n*g.stopCount(g.grand())/2, 1))
		g.limit = g.limiter(perStop, minSolve)
		for i := range n {
			g.value(1 << i) // every stand-alone cost, for the checks
		}
		smp := sampledShapley(n, g.value, 100_000, uint64(g.seed), func() bool { return time.Since(started) < budget })
		if g.err != nil {
			return nil, g.err
		}
		frac, half = smp.fraction, smp.HalfWidth
		out.Computation.Orders, out.Computation.Confidence = smp.Orders, 0.95
	}
	fen := apportion(frac, g.grandFen)
	for i, c := range g.players {
		sa := g.value(1 << i)
		if n == 1 {
			sa = g.grandFen
		}
		cs := CarrierShare{Carrier: c, ShareFen: fen[i], StandaloneFen: sa, MarginFen: sa - fen[i]}
		if sa > 0 {
			cs.MarginPct = float64(int64(float64(cs.MarginFen)/float64(sa)*10000)) / 100
		}
		if half != nil {
			cs.CIHalfWidthFen = float64(int64(half[i]*100)) / 100
		}
		cs.Parcels, cs.WeightG, cs.Stops = g.carried(i)
		out.Shares = append(out.Shares, cs)
	}
	out.Alternatives = alternativeRules(out.Shares, g.grandFen)
	out.Checks = checkShares(g, out.Shares)
	out.Computation.Coalitions = len(g.values)
	out.Computation.Solves = g.solves
	out.Computation.SolveMs = g.solveTime.Milliseconds()
	for _, v := range g.values {
		out.Computation.FoundBy[v.how]++
	}
	out.Computation.ElapsedMs = time.Since(started).Milliseconds()
	return out, nil
}

// exactFits says whether n players' split is exact: every proper coalition
// gets at least minSolve of the budget.
func exactFits(n int, budget, minSolve time.Duration, forceSample bool) bool {
	return !forceSample && n <= 16 && time.Duration(1<<n-2)*minSolve <= budget
}

// limiter gives a coalition perStop for each of its stops, at most the
// plan's own time per stop and at least minSolve.
func (g *shareGame) limiter(perStop, minSolve time.Duration) func(coalition) time.Duration {
	if g.capPerStop > 0 {
		perStop = min(perStop, g.capPerStop)
	}
	return func(s coalition) time.Duration { return max(minSolve, perStop*time.Duration(g.stopCount(s))) }
}

// bySize lists the proper non-empty coalitions of n players, smallest first.
func bySize(n int) []coalition {
	var out []coalition
	for s := coalition(1); s < 1<<n-1; s++ {
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(a, b coalition) int { return a.size() - b.size() })
	return out
}

// carried counts player i's parcels, their weight and the stops they need.
func (g *shareGame) carried(i int) (parcels int, weightG int64, stops int) {
	for _, st := range g.stops {
		if !st.players.has(i) {
			continue
		}
		stops++
		for _, p := range st.parcels {
			if p.Carrier == g.players[i] {
				parcels++
				weightG += p.WeightG
			}
		}
	}
	return parcels, weightG, stops
}

// weighted splits total in proportion to w by the largest remainder.
func weighted(w []int64, total int64) []int64 {
	sum := int64(0)
	for _, x := range w {
		sum += x
	}
	if sum <= 0 {
		w, sum = make([]int64, len(w)), int64(len(w))
		for i := range w {
			w[i] = 1
		}
	}
	f := fraction{Den: big.NewInt(sum)}
	for _, x := range w {
		f.Num = append(f.Num, new(big.Int).Mul(big.NewInt(x), big.NewInt(total)))
	}
	return apportion(f, total)
}

// ForCarrier is the split as one carrier may see it: the plan's totals and
// checks, its own share and its own line of each rule; of the core check,
// only the coalitions it belongs to.
func (cs *CostShares) ForCarrier(carrier string) *CostShares {
	out := *cs
	out.Shares = []CarrierShare{}
	for _, s := range cs.Shares {
		if s.Carrier == carrier {
			out.Shares = append(out.Shares, s)
		}
	}
	out.Alternatives = make([]ShareRule, len(cs.Alternatives))
	for i, r := range cs.Alternatives {
		out.Alternatives[i] = ShareRule{Rule: r.Rule, Shares: []RuleShare{}}
		for _, s := range r.Shares {
			if s.Carrier == carrier {
				out.Alternatives[i].Shares = append(out.Alternatives[i].Shares, s)
			}
		}
	}
	out.Checks.CoreViolations = []CoreViolation{}
	for _, v := range cs.Checks.CoreViolations {
		if slices.Contains(v.Carriers, carrier) {
			out.Checks.CoreViolations = append(out.Checks.CoreViolations, v)
		}
	}
	return &out
}
