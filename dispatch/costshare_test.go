package dispatch

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/internal/errs"
)

// publishedDay plans and publishes a generated day in a county database of
// its own.
func publishedDay(t *testing.T, o demo.DayOptions) (*testCounty, *Plan) {
	t.Helper()
	ctx := context.Background()
	tc := newTestCounty(t)
	o.Date = testDate
	tc.loadDay(t, demo.GenerateDay(o))
	plan, err := tc.store.CreatePlan(ctx, PlanOptions{ServiceDate: "2026-12-01", TimeLimit: 500 * time.Millisecond, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tc.store.Publish(ctx, plan.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := tc.store.CreatePlan(ctx, PlanOptions{ServiceDate: "2026-12-01", TimeLimit: 100 * time.Millisecond}); err != nil {
		t.Fatal(err) // a later version, left a draft
	}
	return tc, plan
}

// TestCostSharesOfPublishedPlan: the split of a published plan of all eight
// express companies of the demonstration county is exact, sums to the
// plan's cost to the fen, and leaves every carrier below its stand-alone
// cost; it is stored once and read back unchanged; drafts and unknown plans
// are refused.
func TestCostSharesOfPublishedPlan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tc, plan := publishedDay(t, demo.DayOptions{Seed: 8, Down: 160, Up: 30})
	opt := ShareOptions{Budget: 4 * time.Second, MinSolve: 10 * time.Millisecond, Seed: 1}
	cs, err := tc.store.CostShares(ctx, plan.ID, opt)
	if err != nil {
		t.Fatal(err)
	}
	if cs.Method != "shapley_exact" || cs.TotalFen != plan.Joint.CostFen || len(cs.Shares) != len(demo.ExpressCarriers()) {
		t.Fatalf("method %s, total %d (plan %d), %d shares", cs.Method, cs.TotalFen, plan.Joint.CostFen, len(cs.Shares))
	}
	sum := int64(0)
	for _, s := range cs.Shares {
		sum += s.ShareFen
		if s.ShareFen > s.StandaloneFen || s.MarginFen != s.StandaloneFen-s.ShareFen {
			t.Errorf("%s pays %d fen, %d alone (margin %d)", s.Carrier, s.ShareFen, s.StandaloneFen, s.MarginFen)
		}
		if s.ShareFen <= 0 || s.Parcels == 0 {
			t.Errorf("%s: share %d fen for %d parcels", s.Carrier, s.ShareFen, s.Parcels)
		}
	}
	if sum != cs.TotalFen || !cs.Checks.Efficient || !cs.Checks.IndividuallyRational {
		t.Errorf("shares sum to %d of %d; checks %+v", sum, cs.TotalFen, cs.Checks)
	}
	if want := 1<<len(demo.ExpressCarriers()) - 2; cs.Computation.Coalitions != want || cs.Checks.CoreCoalitions != want {
		t.Errorf("%d coalitions valued, %d core-checked; want %d", cs.Computation.Coalitions, cs.Checks.CoreCoalitions, want)
	}
	for _, rule := range cs.Alternatives {
		total := int64(0)
		for _, s := range rule.Shares {
			total += s.ShareFen
		}
		if total != cs.TotalFen {
			t.Errorf("rule %s sums to %d, not %d", rule.Rule, total, cs.TotalFen)
		}
	}
	again, err := tc.store.CostShares(ctx, plan.ID, opt)
	if err != nil || !again.ComputedAt.Equal(cs.ComputedAt) || again.Shares[0] != cs.Shares[0] {
		t.Errorf("second read %v: not the stored split", err)
	}
	if _, err := tc.store.CostShares(ctx, plan.ID+1, opt); !errs.Is(err, errs.Conflict) {
		t.Errorf("a draft: %v, want conflict", err)
	}
	if _, err := tc.store.CostShares(ctx, 999999, opt); !errs.Is(err, errs.NotFound) {
		t.Errorf("no such plan: %v, want not_found", err)
	}
	if _, err := tc.store.CostShares(ctx, plan.ID, ShareOptions{Budget: time.Hour}); !errs.Is(err, errs.Invalid) {
		t.Errorf("an hour's budget: %v, want invalid", err)
	}
}

// TestCostGameAgainstBruteForce solves a four-carrier plan's game and checks
// the production split against the definition (all 24 orders over the same
// coalition values), then the properties the game gives: the cover keeps it
// subadditive against single players, and forcing sampled orders lands
// within the stated interval.
func TestCostGameAgainstBruteForce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tc, plan := publishedDay(t, demo.DayOptions{Seed: 9, Down: 120, Up: 20, Carriers: []string{"ZTO", "YTO", "STO", "SF"}})
	g, err := tc.store.shareGameOf(ctx, plan, 1)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := shapleyShares(g, 2*time.Second, 10*time.Millisecond, false)
	if err != nil {
		t.Fatal(err)
	}
	n := len(g.players)
	if n != 4 {
		t.Fatalf("%d players, want 4", n)
	}
	want := bruteShapley(n, g.value)
	for i, s := range cs.Shares {
		exact, _ := want[i].Float64()
		if d := float64(s.ShareFen) - exact; d <= -1 || d >= 1 {
			t.Errorf("%s: %d fen, brute force %.3f", s.Carrier, s.ShareFen, exact)
		}
	}
	for s := coalition(1); s < g.grand(); s++ {
		for i := range n {
			if s.has(i) && s != 1<<i && g.value(s) > g.value(s&^(1<<i))+g.value(1<<i) {
				t.Errorf("coalition %v costs more than %s beside the rest", g.names(s), g.players[i])
			}
		}
	}
	if g.solves != 1<<n-2 {
		t.Errorf("%d solves, want %d", g.solves, 1<<n-2)
	}
	// The same values by sampled orders (the cache holds them: no solving).
	smp := sampledShapley(n, g.value, 3000, 3, func() bool { return true })
	fen := apportion(smp.fraction, g.grandFen)
	for i := range n {
		exact, _ := new(big.Rat).Set(want[i]).Float64()
		if d := float64(fen[i]) - exact; d > 2*smp.HalfWidth[i]+1 || -d > 2*smp.HalfWidth[i]+1 {
			t.Errorf("%s: sampled %d, exact %.1f ± %.1f", g.players[i], fen[i], exact, smp.HalfWidth[i])
		}
	}
}
