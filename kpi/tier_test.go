package kpi

import (
	"fmt"
	"testing"
)

func TestTierBoundaries(t *testing.T) {
	t.Parallel()
	cases := []struct {
		fen    int64
		tier   int // 0: none
		reward int64
	}{
		{0, 0, 0},
		{199_999_99, 0, 0},
		{200_000_00, 4, 20_000_00},
		{499_999_99, 4, 20_000_00},
		{500_000_00, 3, 30_000_00},
		{999_999_99, 3, 30_000_00},
		{1_000_000_00, 2, 50_000_00},
		{4_999_999_99, 2, 50_000_00},
		{5_000_000_00, 1, 80_000_00},
		{90_000_000_00, 1, 80_000_00},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.fen), func(t *testing.T) {
			got := TierOf(c.fen)
			switch {
			case c.tier == 0 && got != nil:
				t.Fatalf("%d fen: tier %d, want none", c.fen, got.Level)
			case c.tier != 0 && (got == nil || got.Level != c.tier || got.RewardFen != c.reward):
				t.Fatalf("%d fen: %+v, want tier %d reward %d", c.fen, got, c.tier, c.reward)
			}
		})
	}
}

func TestRewardOverBudgetRanksByVolume(t *testing.T) {
	t.Parallel()
	// 20 stations at tier 1: 20 × 80,000 = 1,600,000 CNY, 100,000 over.
	var vols []StationVolume
	for i := range 20 {
		vols = append(vols, StationVolume{Station: fmt.Sprintf("S%02d", i), VolumeFen: 5_000_000_00 + int64(i)})
	}
	vols = append(vols, StationVolume{Station: "LOW", VolumeFen: 199_999_99})
	r := Reward(vols, BudgetFen)
	if !r.OverBudget || r.EligibleFen != 1_600_000_00 || r.OverByFen != 100_000_00 {
		t.Fatalf("over %v eligible %d over by %d; want true 160000000 10000000", r.OverBudget, r.EligibleFen, r.OverByFen)
	}
	if len(r.Candidates) != 20 || r.Candidates[0].Station != "S19" || r.Candidates[0].Rank != 1 {
		t.Fatalf("candidates %d, first %+v; want 20 ranked by volume, S19 first", len(r.Candidates), r.Candidates[0])
	}
	// 18 × 80,000 = 1,440,000 fits; the 19th does not.
	if !r.Candidates[17].WithinBudget || r.Candidates[18].WithinBudget {
		t.Fatalf("within budget flags wrong at ranks 18/19: %+v %+v", r.Candidates[17], r.Candidates[18])
	}
	for _, c := range r.Candidates {
		if c.RewardFen != 80_000_00 {
			t.Fatalf("%s reward %d: no pro-rata may change a reward", c.Station, c.RewardFen)
		}
	}
	if !r.Tiers[0].Met || r.Tiers[0].Stations != 20 || r.Tiers[1].Met {
		t.Fatalf("tier counts %+v", r.Tiers)
	}
}

func TestRewardWithinBudget(t *testing.T) {
	t.Parallel()
	r := Reward([]StationVolume{{Station: "A", VolumeFen: 200_000_00}, {Station: "B", VolumeFen: 500_000_00}}, BudgetFen)
	if r.OverBudget || r.OverByFen != 0 || r.EligibleFen != 50_000_00 {
		t.Fatalf("%+v", r)
	}
	if r.Tiers[3].Stations != 1 || r.Tiers[3].AtLeast != 2 || r.Tiers[2].Stations != 1 {
		t.Fatalf("tier counts %+v", r.Tiers)
	}
}

func TestDemoShapeMeetsSomeTargetsAndMissesOthers(t *testing.T) {
	t.Parallel()
	var vols []StationVolume
	for i := range 136 {
		code := fmt.Sprintf("ST%03d", i)
		var sum int64
		for _, r := range spread(code, demoAnnual(i, code)) {
			sum += r.SalesFen
		}
		if sum != demoAnnual(i, code) {
			t.Fatalf("%s: months add to %d, not %d", code, sum, demoAnnual(i, code))
		}
		vols = append(vols, StationVolume{Station: code, VolumeFen: sum})
	}
	r := Reward(vols, BudgetFen)
	met := []bool{r.Tiers[0].Met, r.Tiers[1].Met, r.Tiers[2].Met, r.Tiers[3].Met}
	if !met[0] || met[1] || !met[2] || !met[3] || r.OverBudget {
		t.Fatalf("demo tiers met %v, over budget %v: %+v", met, r.OverBudget, r.Tiers)
	}
}
