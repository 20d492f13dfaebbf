package kpi

import (
	"context"
	"time"

	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/pricing"
	"github.com/tongpei/tongpei/stations"
)

// Scorecard is the plan's KPI table over a period, computed from the data,
// with where each figure comes from.
type Scorecard struct {
	From        string   `json:"from"`
	To          string   `json:"to"`
	GeneratedAt string   `json:"generated_at"`
	Window      Window   `json:"window"`
	Sources     []string `json:"sources"`
	// DemoData is true when any station figure is demonstration data.
	DemoData            bool            `json:"demo_data"`
	StationsByTier      []TierCount     `json:"stations_by_tier"`
	Rewards             Rewards         `json:"rewards"`
	Volumes             []Volume        `json:"volumes"`
	HubTenants          HubTenants      `json:"hub_tenants"`
	PriceReduction      PriceCut        `json:"price_reduction"`
	JointDeliverySaving JointSaving     `json:"joint_delivery_saving"`
	Flows               []stations.Flow `json:"parcel_flows"`
	BrandedBoxes        BoxReport       `json:"branded_boxes"`
}

// Period reads an inclusive range of county days (YYYY-MM-DD).
func Period(from, to string) (a, b time.Time, err error) {
	var f errs.Fields
	a, e1 := time.ParseInLocation(time.DateOnly, from, county)
	b, e2 := time.ParseInLocation(time.DateOnly, to, county)
	if e1 != nil {
		f.Add("from", "must be a date YYYY-MM-DD, e.g. 2026-01-01, not %q", from)
	}
	if e2 != nil {
		f.Add("to", "must be a date YYYY-MM-DD, e.g. 2026-12-31, not %q", to)
	}
	if e1 == nil && e2 == nil && (b.Before(a) || b.Sub(a) > 3660*24*time.Hour) {
		f.Add("to", "must be on or after from and at most ten years later")
	}
	return a, b, f.Err()
}

// Scorecard computes every KPI for the days from..to (inclusive). The
// station tiers sum the whole months the period touches (a calendar year
// for 2026-01-01..2026-12-31).
func (s *Service) Scorecard(ctx context.Context, from, to string) (*Scorecard, error) {
	a, b, err := Period(from, to)
	if err != nil {
		return nil, err
	}
	end := b.AddDate(0, 0, 1) // exclusive
	sc := &Scorecard{From: from, To: to, GeneratedAt: s.Now().UTC().Format(time.RFC3339),
		Window: Window{First: a.Format("2006-01"), Last: b.Format("2006-01")}}
	if sc.Volumes, err = s.Volumes(ctx, sc.Window); err != nil {
		return nil, err
	}
	sc.Rewards = Reward(toStationVolumes(sc.Volumes), BudgetFen)
	sc.StationsByTier = sc.Rewards.Tiers
	sc.Sources = sourcesOf(sc.Volumes, &sc.DemoData)
	if sc.HubTenants, err = s.hubTenants(ctx, a, end, to); err != nil {
		return nil, err
	}
	pr, err := s.pricing.PriceReduction(ctx, a, end)
	if err != nil {
		return nil, err
	}
	sc.PriceReduction = priceCut(pr)
	jd, err := s.dispatch.JointDelivery(ctx, from, to)
	if err != nil {
		return nil, err
	}
	sc.JointDeliverySaving = jointSaving(jd)
	if sc.Flows, err = s.custody.Flows(ctx, a, end); err != nil {
		return nil, err
	}
	if sc.Flows == nil {
		sc.Flows = []stations.Flow{}
	}
	if sc.BrandedBoxes, err = s.brandedBoxes(ctx, a, end); err != nil {
		return nil, err
	}
	return sc, nil
}

func sourcesOf(vols []Volume, demo *bool) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, v := range vols {
		for _, f := range v.Figures {
			if f.Demo {
				*demo = true
			}
			if !seen[f.Source] {
				seen[f.Source] = true
				out = append(out, f.Source)
			}
		}
	}
	return out
}

// PriceCut is the realised farm-produce price reduction (target ≥ 10 %):
// over the certified farm-produce parcels actually shipped and charged in
// the period, 1 − Σcharged / Σbaseline, per carrier and overall (the
// pricing domain's audit).
type PriceCut struct {
	TargetPct    float64                 `json:"target_pct"`
	ReductionPct float64                 `json:"reduction_pct"`
	Parcels      int64                   `json:"parcels"`
	ChargedFen   int64                   `json:"charged_fen"`
	BaselineFen  int64                   `json:"baseline_fen"`
	SavingFen    int64                   `json:"saving_fen"`
	Met          bool                    `json:"met"`
	Carriers     []pricing.ReductionLine `json:"carriers"`
	OutsideBand  int                     `json:"outside_band"`
	Source       string                  `json:"source"`
}

func priceCut(r pricing.Report) PriceCut {
	return PriceCut{TargetPct: r.TargetPct, ReductionPct: r.Overall.ReductionPct, Parcels: r.Overall.Parcels,
		ChargedFen: r.Overall.ChargedFen, BaselineFen: r.Overall.BaselineFen, SavingFen: r.Overall.SavingFen,
		Met: r.Overall.MeetsTarget, Carriers: r.Carriers, OutsideBand: len(r.OutsideBand),
		Source: "pricing charges of shipped up parcels (certified farm produce) against the baseline tariff"}
}

// JointSaving is what joint delivery saved against each company driving
// its own vans, over the period's daily plans.
type JointSaving struct {
	Days        int     `json:"days"`
	JointFen    int64   `json:"joint_cost_fen"`
	SeparateFen int64   `json:"separate_cost_fen"`
	SavingFen   int64   `json:"saving_fen"`
	SavingPct   float64 `json:"saving_pct"`
	JointKm     float64 `json:"joint_km"`
	SeparateKm  float64 `json:"separate_km"`
	Met         bool    `json:"met"`
	Source      string  `json:"source"`
}

func jointSaving(r *dispatch.JointDeliveryReport) JointSaving {
	return JointSaving{Days: r.Days, JointFen: r.Joint.CostFen, SeparateFen: r.Separate.CostFen, SavingFen: r.SavingFen,
		SavingPct: r.SavingPct, JointKm: r.Joint.Km, SeparateKm: r.Separate.Km, Met: r.Days > 0 && r.SavingFen > 0,
		Source: "daily joint-delivery plans (the plan carried out each day) against the separate-delivery counterfactual"}
}
