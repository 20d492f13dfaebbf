package pricing

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/internal/errs"
)

// ChargeRequest says that an up-parcel shipped on a quote: custody calls
// Charge when the parcel is handed to the carrier, or an operator posts it.
// PriceFen is what was actually charged when it differs from the quote.
type ChargeRequest struct {
	QuoteID    uuid.UUID `json:"quote_id"`
	Carrier    string    `json:"carrier"`
	TrackingNo string    `json:"tracking_no"`
	PriceFen   *int64    `json:"price_fen,omitempty"`
	ChargedAt  time.Time `json:"charged_at"`
}

// Charge is what a shipped parcel was charged, with the figures of its quote
// line beside it; the audit reads only charges.
type Charge struct {
	ID          int64     `json:"id"`
	QuoteID     uuid.UUID `json:"quote_id"`
	Carrier     string    `json:"carrier"`
	TrackingNo  string    `json:"tracking_no"`
	MerchantID  string    `json:"merchant_id"`
	Certified   bool      `json:"certified"`
	Category    Category  `json:"category"`
	Zone        string    `json:"zone"`
	ChargeableG int64     `json:"chargeable_weight_g"`
	PriceFen    int64     `json:"price_fen"`
	BaselineFen int64     `json:"baseline_fen"`
	Band        Range     `json:"band"`
	WithinBand  bool      `json:"within_band"`
	ChargedAt   time.Time `json:"charged_at"`
	RecordedBy  string    `json:"recorded_by"`
}

// Charge records what a parcel shipped on a quote was charged. Charging the
// same carrier and tracking number again with the same quote and price
// answers the first record (created false); anything else is a conflict.
func (s *Service) Charge(ctx context.Context, req ChargeRequest, by string) (c Charge, created bool, err error) {
	var f errs.Fields
	if req.QuoteID == uuid.Nil {
		f.Add("quote_id", "give the id of the quote the parcel shipped on")
	}
	if req.Carrier == "" {
		f.Add("carrier", "give the carrier the parcel was handed to")
	}
	if req.TrackingNo == "" || len(req.TrackingNo) > 64 {
		f.Add("tracking_no", "give the carrier's tracking number (1 to 64 characters)")
	}
	if req.PriceFen != nil && (*req.PriceFen < 0 || *req.PriceFen > 10_000_000) {
		f.Add("price_fen", "must be from 0 to 10000000 fen, not %d", *req.PriceFen)
	}
	if err := f.Err(); err != nil {
		return Charge{}, false, err
	}
	q, err := s.GetQuote(ctx, req.QuoteID)
	if err != nil {
		return Charge{}, false, err
	}
	var line *Line
	for i := range q.Lines {
		if q.Lines[i].Carrier == req.Carrier {
			line = &q.Lines[i]
		}
	}
	if line == nil {
		return Charge{}, false, errs.Field("carrier", "quote %s has no line for carrier %q; ship with a carrier the quote priced", q.ID, req.Carrier)
	}
	c = Charge{QuoteID: q.ID, Carrier: line.Carrier, TrackingNo: req.TrackingNo, MerchantID: q.MerchantID,
		Certified: line.Certified, Category: q.Category, Zone: q.Destination.Zone, ChargeableG: q.ChargeableG,
		PriceFen: line.PriceFen, BaselineFen: line.BaselineFen, Band: line.Band, ChargedAt: req.ChargedAt.UTC(), RecordedBy: by}
	if req.PriceFen != nil {
		c.PriceFen = *req.PriceFen
	}
	if c.ChargedAt.IsZero() {
		c.ChargedAt = s.Now().UTC()
	}
	saved, created, err := s.st.insertCharge(ctx, c)
	if err != nil {
		return Charge{}, false, err
	}
	if !created && (saved.QuoteID != c.QuoteID || saved.PriceFen != c.PriceFen) {
		return Charge{}, false, errs.E(errs.Conflict, "%s %s was already charged %d fen on quote %s", c.Carrier, c.TrackingNo, saved.PriceFen, saved.QuoteID)
	}
	return saved, created, nil
}

// Report is the realised price reduction over shipped up-parcels: certified
// farm produce against the baseline, weighted by money (1 − Σcharged /
// Σbaseline), per carrier and overall, and every certified shipment charged
// outside its band.
type Report struct {
	From        time.Time       `json:"from"`
	To          time.Time       `json:"to"`
	TargetPct   float64         `json:"target_pct"`
	Shipments   int64           `json:"shipments"`
	Overall     ReductionLine   `json:"overall"`
	Carriers    []ReductionLine `json:"carriers"`
	OutsideBand []Charge        `json:"outside_band"`
	// Truncated is true when more than MaxOutsideBand shipments left their band.
	Truncated bool `json:"outside_band_truncated"`
}

// ReductionLine is the reduction for one carrier or, without one, overall.
type ReductionLine struct {
	Carrier      string  `json:"carrier,omitempty"`
	Parcels      int64   `json:"parcels"`
	ChargedFen   int64   `json:"charged_fen"`
	BaselineFen  int64   `json:"baseline_fen"`
	SavingFen    int64   `json:"saving_fen"`
	ReductionPct float64 `json:"reduction_pct"`
	// MeetsTarget is Σcharged ≤ 90 % of Σbaseline, decided in integers.
	MeetsTarget bool `json:"meets_target"`
}

// MaxOutsideBand bounds the list in one report.
const MaxOutsideBand = 10_000

// PriceReduction reports charges with from ≤ charged_at < to.
func (s *Service) PriceReduction(ctx context.Context, from, to time.Time) (Report, error) {
	if !to.After(from) {
		return Report{}, errs.Field("to", "must be after from")
	}
	lines, err := s.st.reductionSums(ctx, from, to)
	if err != nil {
		return Report{}, err
	}
	r := Report{From: from.UTC(), To: to.UTC(), TargetPct: 10, Carriers: []ReductionLine{}}
	for _, l := range lines {
		r.Overall.Parcels += l.Parcels
		r.Overall.ChargedFen += l.ChargedFen
		r.Overall.BaselineFen += l.BaselineFen
		r.Carriers = append(r.Carriers, l.finish())
	}
	r.Overall = r.Overall.finish()
	if r.Shipments, err = s.st.shipmentCount(ctx, from, to); err != nil {
		return Report{}, err
	}
	if r.OutsideBand, err = s.st.outsideBand(ctx, from, to, MaxOutsideBand+1); err != nil {
		return Report{}, err
	}
	if len(r.OutsideBand) > MaxOutsideBand {
		r.OutsideBand, r.Truncated = r.OutsideBand[:MaxOutsideBand], true
	}
	if r.OutsideBand == nil {
		r.OutsideBand = []Charge{}
	}
	return r, nil
}

func (l ReductionLine) finish() ReductionLine {
	l.SavingFen = l.BaselineFen - l.ChargedFen
	l.ReductionPct = pct(l.SavingFen, l.BaselineFen)
	l.MeetsTarget = l.Parcels > 0 && AtMost90(l.ChargedFen, l.BaselineFen)
	return l
}
