package pricing

import (
	"context"
	"math"
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg"
)

// QuoteRequest is a quote request (DESIGN.md wire names).
type QuoteRequest struct {
	MerchantID  string      `json:"merchant_id"`
	WeightG     int64       `json:"weight_g"`
	Size        *Size       `json:"size_cm,omitempty"`
	Destination Destination `json:"destination"`
	Category    Category    `json:"category"`
}

// Destination is where a parcel goes; Province takes a GB/T 2260 code or
// a Chinese name and is answered as the code.
type Destination struct {
	Province     string `json:"province"`
	ProvinceName string `json:"province_name,omitempty"`
	City         string `json:"city,omitempty"`
	Zone         string `json:"zone,omitempty"`
}

// Quote is the answer, stored whole so reading it later reproduces it.
type Quote struct {
	ID            uuid.UUID   `json:"quote_id"`
	QuotedAt      time.Time   `json:"quoted_at"`
	MerchantID    string      `json:"merchant_id,omitempty"`
	CertificateNo string      `json:"certificate_no,omitempty"`
	Category      Category    `json:"category"`
	WeightG       int64       `json:"weight_g"`
	Size          *Size       `json:"size_cm,omitempty"`
	ChargeableG   int64       `json:"chargeable_weight_g"`
	Destination   Destination `json:"destination"`
	ZoningVersion int64       `json:"zoning_version"`
	BandVersion   int64       `json:"band_version"`
	Lines         []Line      `json:"lines"`
}

// Line is one carrier's price for the parcel.
type Line struct {
	Carrier         string  `json:"carrier"`
	PriceFen        int64   `json:"price_fen"`
	BaselineFen     int64   `json:"baseline_fen"`
	SavingFen       int64   `json:"saving_fen"`
	SavingPct       float64 `json:"saving_pct"`
	Band            Range   `json:"band"`
	RateCardVersion int     `json:"rate_card_version"`
	Certified       bool    `json:"certified"`
	Reason          string  `json:"reason"`
}

// Check validates a request and resolves its province.
func (r *QuoteRequest) Check() (Province, error) {
	err := CheckParcel(r.WeightG, r.Size)
	var f errs.Fields
	if e, ok := err.(*errs.Error); ok {
		f = e.Fields
	}
	if len(r.MerchantID) > 64 {
		f.Add("merchant_id", "is longer than 64 characters; give the firm's registry id (M00001)")
	}
	if !r.Category.Valid() {
		f.Add("category", "must be farm_produce or general, not %q", r.Category)
	}
	p, ok := LookupProvince(r.Destination.Province)
	if !ok {
		f.Add("destination.province", "%q is not a mainland province; give its GB/T 2260 code (530000) or name (云南省)", r.Destination.Province)
	}
	return p, f.Err()
}

// Quote prices a request at instant t for every active carrier with a card
// in force. It is pure: the same snapshot, request and instant give the same
// lines. The quote's id is left for the caller to set.
func (s *Snapshot) Quote(req QuoteRequest, t time.Time) (Quote, error) {
	prov, err := req.Check()
	if err != nil {
		return Quote{}, err
	}
	zoning, ok := s.ZoningAt(t)
	if !ok {
		return Quote{}, errs.E(errs.Conflict, "no zoning is in force; an admin must publish one (PUT /v1/pricing/zones)")
	}
	zone, _ := zoning.ZoneOf(prov.Code)
	bands, hasBands := s.BandsAt(t)
	rule := DefaultWeightRule
	var bandVersion int64
	if hasBands {
		rule, bandVersion = bands.WeightRule, bands.Version
	}
	q := Quote{
		QuotedAt: t.UTC(), MerchantID: req.MerchantID, Category: req.Category,
		WeightG: req.WeightG, Size: req.Size, ChargeableG: rule.ChargeableG(req.WeightG, req.Size),
		Destination:   Destination{Province: prov.Code, ProvinceName: prov.Name, City: req.Destination.City, Zone: zone},
		ZoningVersion: zoning.Version, BandVersion: bandVersion, Lines: make([]Line, 0, len(s.carriers)),
	}
	m, known := s.merchants[req.MerchantID]
	st := standingOf(req.MerchantID, known, m.active, s.certs[req.MerchantID], t)
	if st.cert != nil {
		q.CertificateNo = st.cert.CertificateNo
	}
	for _, c := range s.carriers {
		if !c.Active || c.Kind != "express" {
			continue
		}
		card, ok := s.CardAt(c.Code, t)
		if !ok {
			continue
		}
		line, err := s.line(c.Code, card, bands, rule, zone, req.Category, q.ChargeableG, st, t)
		if err != nil {
			return Quote{}, err
		}
		q.Lines = append(q.Lines, line)
	}
	return q, nil
}

// line prices one carrier. A certified firm pays the carrier's card, held
// inside the band and, for farm produce, at or under 90 % of the baseline
// (a card saved before a band or baseline changed can never leak out);
// anyone else pays the baseline, the standard price.
func (s *Snapshot) line(carrier string, card *RateCard, bands *BandSet, rule WeightRule,
	zone string, cat Category, g int64, st standing, t time.Time) (Line, error) {
	base, ok := s.BaselineAt(carrier, t)
	var baseRate Rate
	if ok {
		baseRate, ok = base.RateTo(zone)
	}
	if !ok {
		return Line{}, errs.E(errs.Conflict, "no baseline price to zone %s is in force; an admin must publish one (PUT /v1/pricing/baseline)", zone)
	}
	l := Line{Carrier: carrier, BaselineFen: baseRate.PriceAt(rule, g), RateCardVersion: card.Version, Reason: st.reason}
	l.PriceFen = l.BaselineFen
	var band BandCell
	hasBand := bands != nil
	if hasBand {
		band, hasBand = bands.Cell(zone, cat)
	}
	if hasBand {
		l.Band = band.At(rule, g)
	}
	rate, hasCell := card.Cell(zone, cat)
	switch {
	case st.cert == nil:
	case !hasBand:
		l.Reason = "no band is published for zone " + zone + ", " + string(cat) + ": standard price"
	case !hasCell:
		l.Reason = "rate card v" + itoa(int64(card.Version)) + " has no price for zone " + zone + ", " + string(cat) + ": standard price"
	default:
		l.Certified = true
		price := rate.PriceAt(rule, g)
		held := min(max(price, l.Band.MinFen), l.Band.MaxFen)
		if cat == FarmProduce {
			held = min(held, l.BaselineFen*9/10)
		}
		l.PriceFen = held
		if held != price {
			l.Reason += "; rate card v" + itoa(int64(card.Version)) + " gives " + itoa(price) + " fen, outside the band in force: held to " + itoa(held) + " fen"
		}
	}
	l.SavingFen = l.BaselineFen - l.PriceFen
	l.SavingPct = pct(l.SavingFen, l.BaselineFen)
	return l, nil
}

// pct is 100·part/whole rounded to two decimals, for display only: the fen
// figures beside it are exact.
func pct(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return math.Round(float64(part)*10000/float64(whole)) / 100
}

// Quote prices a request now and stores the answer. A merchant the snapshot
// has not seen yet (registered since it was loaded) makes it reload once.
func (s *Service) Quote(ctx context.Context, req QuoteRequest) (Quote, error) {
	snap, err := s.snapshotKnowing(ctx, req.MerchantID)
	if err != nil {
		return Quote{}, err
	}
	q, err := snap.Quote(req, s.Now())
	if err != nil {
		return Quote{}, err
	}
	if q.ID, err = uuid.NewV7(); err != nil {
		return Quote{}, errs.Wrap(err, "cannot make a quote id")
	}
	if err := s.st.insertQuote(ctx, &q); err != nil {
		return Quote{}, err
	}
	return q, nil
}

// GetQuote reads a stored quote exactly as it was answered.
func (s *Service) GetQuote(ctx context.Context, id uuid.UUID) (Quote, error) {
	return s.st.quote(ctx, id)
}

// snapshotKnowing is the snapshot, reloaded once when it has not seen the
// merchant yet (registered since it was loaded).
func (s *Service) snapshotKnowing(ctx context.Context, merchantID string) (*Snapshot, error) {
	snap, err := s.Snapshot(ctx)
	if err != nil || merchantID == "" || snap.KnowsMerchant(merchantID) {
		return snap, err
	}
	exists, _, err := merchantOf(ctx, s.st.pool, merchantID)
	if err != nil {
		return nil, pg.Err(err, "merchant "+merchantID)
	}
	if exists {
		return s.Reload(ctx)
	}
	return snap, nil
}
