package kpi

import "sort"

// Tier is one reward level of the plan (§三(二)1): a station whose annual
// transaction volume reaches MinFen gets RewardFen once; the county's
// target is at least Target stations at this level.
type Tier struct {
	Level     int    `json:"tier"`
	Name      string `json:"name"`
	MinFen    int64  `json:"min_volume_fen"`
	RewardFen int64  `json:"reward_fen"`
	Target    int    `json:"target"`
}

// Tiers are the plan's levels, highest first. Money is fen.
var Tiers = []Tier{
	{Level: 1, Name: "年交易额500万元以上", MinFen: 5_000_000_00, RewardFen: 80_000_00, Target: 4},
	{Level: 2, Name: "年交易额100万元以上", MinFen: 1_000_000_00, RewardFen: 50_000_00, Target: 8},
	{Level: 3, Name: "年交易额50万元以上", MinFen: 500_000_00, RewardFen: 30_000_00, Target: 13},
	{Level: 4, Name: "年交易额20万元以上", MinFen: 200_000_00, RewardFen: 20_000_00, Target: 25},
}

// BudgetFen is the plan's money for station rewards: CNY 1,500,000.
const BudgetFen int64 = 1_500_000_00

// TierOf is the highest tier a volume reaches, or nil below every tier.
// One station earns one tier.
func TierOf(volumeFen int64) *Tier {
	for i := range Tiers {
		if volumeFen >= Tiers[i].MinFen {
			return &Tiers[i]
		}
	}
	return nil
}

// Candidate is a station whose volume reaches a tier.
type Candidate struct {
	Station   string `json:"station"`
	Name      string `json:"name"`
	Township  string `json:"township"`
	VolumeFen int64  `json:"volume_fen"`
	Tier      int    `json:"tier"`
	RewardFen int64  `json:"reward_fen"`
	// Rank is the place by volume (1 = largest), which is the order the
	// county pays in when the budget does not cover everyone.
	Rank int `json:"rank"`
	// WithinBudget is whether the running total up to this rank still fits.
	WithinBudget bool `json:"within_budget"`
}

// TierCount is how the county stands against one tier's target. Stations
// counts the stations whose highest tier is this one (the plan's 含/不含
// bands); for the last tier the plan sets no upper bound ("20万元以上"), so
// its target is judged on AtLeast, every station at or above its threshold.
type TierCount struct {
	Tier
	Stations int  `json:"stations"`
	AtLeast  int  `json:"at_least"`
	Met      bool `json:"met"`
}

// Rewards is the reward picture over some station volumes.
type Rewards struct {
	Tiers       []TierCount `json:"tiers"`
	Candidates  []Candidate `json:"candidates"`
	EligibleFen int64       `json:"eligible_fen"`
	BudgetFen   int64       `json:"budget_fen"`
	OverBudget  bool        `json:"over_budget"`
	// OverByFen is how much the eligible rewards exceed the budget (0 when
	// they fit). The plan sets no pro-rata rule, so none is applied: the
	// candidates are ranked by volume for the county to decide.
	OverByFen int64 `json:"over_by_fen"`
}

// StationVolume is one station's volume over a window.
type StationVolume struct {
	Station   string
	Name      string
	Township  string
	VolumeFen int64
}

// Reward classifies every station, ranks the candidates by volume (ties by
// station code) and sets them against the budget.
func Reward(vols []StationVolume, budgetFen int64) Rewards {
	r := Rewards{BudgetFen: budgetFen, Candidates: []Candidate{}}
	for _, v := range vols {
		if t := TierOf(v.VolumeFen); t != nil {
			r.Candidates = append(r.Candidates, Candidate{Station: v.Station, Name: v.Name, Township: v.Township,
				VolumeFen: v.VolumeFen, Tier: t.Level, RewardFen: t.RewardFen})
		}
	}
	sort.Slice(r.Candidates, func(i, j int) bool {
		a, b := r.Candidates[i], r.Candidates[j]
		if a.VolumeFen != b.VolumeFen {
			return a.VolumeFen > b.VolumeFen
		}
		return a.Station < b.Station
	})
	for i := range r.Candidates {
		c := &r.Candidates[i]
		c.Rank = i + 1
		r.EligibleFen += c.RewardFen
		c.WithinBudget = r.EligibleFen <= budgetFen
	}
	if r.EligibleFen > budgetFen {
		r.OverBudget, r.OverByFen = true, r.EligibleFen-budgetFen
	}
	r.Tiers = countTiers(r.Candidates)
	return r
}

func countTiers(cs []Candidate) []TierCount {
	out := make([]TierCount, len(Tiers))
	for i, t := range Tiers {
		out[i].Tier = t
		for _, c := range cs {
			if c.Tier == t.Level {
				out[i].Stations++
			}
			if c.Tier <= t.Level {
				out[i].AtLeast++
			}
		}
		n := out[i].Stations
		if i == len(Tiers)-1 {
			n = out[i].AtLeast
		}
		out[i].Met = n >= t.Target
	}
	return out
}
