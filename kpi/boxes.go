package kpi

import (
	"context"
	"time"
)

// The 新平礼好 box programme (§三(二), brand): 0.2 CNY per branded box for a
// firm that ships at least 10,000 in a quarter; target 4.5 million boxes.
const (
	BoxSubsidyFen     int64 = 20
	BoxQuarterMinimum int64 = 10_000
	BoxTarget         int64 = 4_500_000
)

// BoxReport is the branded boxes shipped in the period.
type BoxReport struct {
	Target     int64        `json:"target"`
	Boxes      int64        `json:"boxes"`
	Met        bool         `json:"met"`
	SubsidyFen int64        `json:"subsidy_fen"`
	Quarters   []BoxQuarter `json:"quarters"`
}

// BoxQuarter is one firm's boxes in one quarter and the subsidy it is due.
type BoxQuarter struct {
	Quarter    string `json:"quarter"`
	Merchant   string `json:"merchant_id"`
	Name       string `json:"name"`
	Boxes      int64  `json:"boxes"`
	Eligible   bool   `json:"eligible"`
	SubsidyFen int64  `json:"subsidy_fen"`
}

func (s *Service) brandedBoxes(ctx context.Context, from, end time.Time) (BoxReport, error) {
	counts, err := s.custody.BrandedBoxes(ctx, from, end)
	if err != nil {
		return BoxReport{}, err
	}
	r := BoxReport{Target: BoxTarget, Quarters: []BoxQuarter{}}
	names := map[string]string{}
	for _, c := range counts {
		if _, ok := names[c.Merchant]; !ok {
			names[c.Merchant] = c.Merchant
			if m, err := s.registry.Merchant(ctx, admin, c.Merchant); err == nil {
				names[c.Merchant] = m.Name
			}
		}
		q := BoxQuarter{Quarter: c.Quarter, Merchant: c.Merchant, Name: names[c.Merchant], Boxes: c.Boxes,
			Eligible: c.Boxes >= BoxQuarterMinimum}
		if q.Eligible {
			q.SubsidyFen = c.Boxes * BoxSubsidyFen
		}
		r.Boxes += c.Boxes
		r.SubsidyFen += q.SubsidyFen
		r.Quarters = append(r.Quarters, q)
	}
	r.Met = r.Boxes >= r.Target
	return r, nil
}
