package pricing

import (
	"context"
	"time"

	"github.com/tongpei/tongpei/internal/errs"
)

// Published is the public price page: the bands in force, zone by zone and
// category by category, with the baseline beside them and the price range
// at every weight step up to the bound, so anyone can check a price.
type Published struct {
	At            time.Time       `json:"at"`
	Version       int64           `json:"version"`
	EffectiveFrom time.Time       `json:"effective_from"`
	ZoningVersion int64           `json:"zoning_version"`
	WeightRule    WeightRule      `json:"weight_rule"`
	BoundG        int64           `json:"bound_g"`
	Bands         []PublishedBand `json:"bands"`
}

// PublishedBand is one zone and category of the public page.
type PublishedBand struct {
	Zone       string          `json:"zone"`
	ZoneName   string          `json:"zone_name"`
	Provinces  []Province      `json:"provinces"`
	Category   Category        `json:"category"`
	First      Range           `json:"first_fen"`
	Additional Range           `json:"additional_fen"`
	Baseline   Rate            `json:"baseline"`
	Weights    []PublishedStep `json:"weights"`
}

// PublishedStep is the band and baseline price at one chargeable weight.
type PublishedStep struct {
	WeightG     int64 `json:"weight_g"`
	MinFen      int64 `json:"min_fen"`
	MaxFen      int64 `json:"max_fen"`
	BaselineFen int64 `json:"baseline_fen"`
}

// Published is the public page at t.
func (s *Snapshot) Published(t time.Time) (Published, error) {
	bands, ok := s.BandsAt(t)
	if !ok {
		return Published{}, errs.E(errs.NotFound, "no bands are published yet; the county centre publishes them with PUT /v1/pricing/bands")
	}
	z, ok := s.ZoningAt(t)
	if !ok {
		return Published{}, errs.E(errs.NotFound, "no zoning is published yet")
	}
	base, _ := s.BaselineAt("", t)
	p := Published{At: t.UTC(), Version: bands.Version, EffectiveFrom: bands.EffectiveFrom, ZoningVersion: z.Version,
		WeightRule: bands.WeightRule, BoundG: bands.BoundG, Bands: []PublishedBand{}}
	rule := bands.WeightRule
	for _, zn := range z.Zones {
		var br Rate
		if base != nil {
			br, _ = base.RateTo(zn.Zone)
		}
		provs := make([]Province, 0, len(zn.Provinces))
		for _, code := range zn.Provinces {
			pr, _ := LookupProvince(code)
			provs = append(provs, pr)
		}
		for _, cat := range Categories {
			c, ok := bands.Cell(zn.Zone, cat)
			if !ok {
				continue
			}
			pb := PublishedBand{Zone: zn.Zone, ZoneName: zn.Name, Provinces: provs, Category: cat,
				First: c.First, Additional: c.Additional, Baseline: br}
			for g := rule.FirstG; g <= bands.BoundG; g += rule.StepG {
				r := c.At(rule, g)
				pb.Weights = append(pb.Weights, PublishedStep{WeightG: g, MinFen: r.MinFen, MaxFen: r.MaxFen, BaselineFen: br.PriceAt(rule, g)})
			}
			p.Bands = append(p.Bands, pb)
		}
	}
	return p, nil
}

// Published is the public page now, or at t when t is not zero.
func (s *Service) Published(ctx context.Context, t time.Time) (Published, error) {
	snap, err := s.Snapshot(ctx)
	if err != nil {
		return Published{}, err
	}
	return snap.Published(s.at(t))
}

// ZoningAt is the zoning in force now, or at t when t is not zero.
func (s *Service) ZoningAt(ctx context.Context, t time.Time) (*Zoning, error) {
	snap, err := s.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	z, ok := snap.ZoningAt(s.at(t))
	if !ok {
		return nil, errs.E(errs.NotFound, "no zoning is in force then; the county centre publishes it with PUT /v1/pricing/zones")
	}
	return z, nil
}

// BaselineAt is the carrier's baseline (its own, else the county-wide one;
// carrier "" for county-wide) in force now, or at t when t is not zero.
func (s *Service) BaselineAt(ctx context.Context, carrier string, t time.Time) (*Baseline, error) {
	snap, err := s.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	b, ok := snap.BaselineAt(carrier, s.at(t))
	if !ok {
		return nil, errs.E(errs.NotFound, "no baseline is in force then; the county centre publishes it with PUT /v1/pricing/baseline")
	}
	return b, nil
}

// RateCards is a carrier's card history, newest first.
func (s *Service) RateCards(ctx context.Context, carrier string) ([]*RateCard, error) {
	snap, err := s.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	if _, ok := snap.Carrier(carrier); !ok {
		if snap, err = s.Reload(ctx); err != nil {
			return nil, err
		}
		if _, ok := snap.Carrier(carrier); !ok {
			return nil, errs.E(errs.NotFound, "carrier %q is not registered", carrier)
		}
	}
	return snap.Cards(carrier), nil
}

func (s *Service) at(t time.Time) time.Time {
	if t.IsZero() {
		return s.Now()
	}
	return t
}
