package dispatch

import (
	"context"
	"time"

	"github.com/tongpei/tongpei/internal/errs"
)

// JointDeliveryReport is the county's evidence that unified delivery lowers
// cost: over a date range, what the joint fleet drove and spent against
// what the companies on their own would have.
type JointDeliveryReport struct {
	From      string      `json:"from"`
	To        string      `json:"to"`
	Days      int         `json:"days"`
	Joint     Totals      `json:"joint"`
	Separate  Totals      `json:"separate"`
	SavingFen int64       `json:"saving_fen"`
	SavingPct float64     `json:"saving_pct"`
	ByDay     []DaySaving `json:"by_day"`
}

// DaySaving is one day of the report: the plan that counts for it.
type DaySaving struct {
	ServiceDate string  `json:"service_date"`
	PlanID      int64   `json:"plan_id"`
	Version     int     `json:"version"`
	Status      string  `json:"status"`
	Joint       Totals  `json:"joint"`
	Separate    Totals  `json:"separate"`
	SavingPct   float64 `json:"saving_pct"`
}

// JointDelivery sums the range [from, to] (YYYY-MM-DD, inclusive). Each day
// counts once, by the plan that was carried out: its newest published
// version, or its newest version when none was published.
func (s *Service) JointDelivery(ctx context.Context, from, to string) (*JointDeliveryReport, error) {
	var f errs.Fields
	a, err1 := time.Parse(time.DateOnly, from)
	b, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil {
		f.Add("from", "must be YYYY-MM-DD")
	}
	if err2 != nil {
		f.Add("to", "must be YYYY-MM-DD")
	}
	if err1 == nil && err2 == nil && (b.Before(a) || b.Sub(a) > 3660*24*time.Hour) {
		f.Add("to", "must be on or after from, at most ten years later")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	days, err := s.plans.daysBetween(ctx, from, to)
	if err != nil {
		return nil, err
	}
	for i := range days {
		d := &days[i]
		d.Joint.finish()
		d.Separate.finish()
		d.SavingPct = savingPct(d.Joint.CostFen, d.Separate.CostFen)
	}
	rep := &JointDeliveryReport{From: from, To: to, Days: len(days), ByDay: days}
	if rep.ByDay == nil {
		rep.ByDay = []DaySaving{}
	}
	for _, d := range days {
		addTotals(&rep.Joint, d.Joint)
		addTotals(&rep.Separate, d.Separate)
	}
	rep.Joint.finish()
	rep.Separate.finish()
	rep.SavingFen = rep.Separate.CostFen - rep.Joint.CostFen
	rep.SavingPct = savingPct(rep.Joint.CostFen, rep.Separate.CostFen)
	return rep, nil
}

func addTotals(sum *Totals, t Totals) {
	sum.DistanceM += t.DistanceM
	sum.DurationS += t.DurationS
	sum.Vehicles += t.Vehicles
	sum.CostFen += t.CostFen
	sum.Stops += t.Stops
	sum.Parcels += t.Parcels
}
