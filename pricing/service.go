package pricing

import (
	"context"
	"time"

	"github.com/tongpei/tongpei/internal/errs"
)

// Service is the pricing engine: it saves tariffs after checking the
// programme's rules, certifies firms, answers and stores quotes, records
// charges and reports the realised reduction.
//
// Quotes are computed from an in-memory Snapshot of one county's tariffs
// and certificates (snapshots.go: one per county, each replaced after
// every change made through this service to that county); a change made by
// another API node is seen after at most MaxAge.
type Service struct {
	st    *store
	snaps snapshots

	// Now is the service's clock; tests set it.
	Now func() time.Time
	// MaxAge is how old a snapshot may grow before the next read reloads it.
	MaxAge time.Duration
}

// effective defaults effective_from to now and refuses the past: a tariff
// cannot change what was in force before it was saved (a minute of clock
// skew between nodes is allowed).
func (s *Service) effective(t time.Time, field string) (time.Time, error) {
	now := s.Now()
	if t.IsZero() {
		return now.UTC(), nil
	}
	if t.Before(now.Add(-time.Minute)) {
		var f errs.Fields
		f.Add(field, "%s is in the past; a tariff takes effect from now on (leave it out for now)", t.UTC().Format(time.RFC3339))
		return t, f.Err()
	}
	return t.UTC(), nil
}

// SaveZoning publishes a new version of the zone table.
func (s *Service) SaveZoning(ctx context.Context, z Zoning, by string) (Zoning, error) {
	var err error
	if z.EffectiveFrom, err = s.effective(z.EffectiveFrom, "effective_from"); err != nil {
		return Zoning{}, err
	}
	if err := z.Validate(); err != nil {
		return Zoning{}, err
	}
	z.CreatedBy = by
	if err := s.st.insertZoning(ctx, &z); err != nil {
		return Zoning{}, err
	}
	_, err = s.Reload(ctx)
	return z, err
}

// SaveBaseline records a market rate card. Its date may lie in the past (it
// is when the market was surveyed); the bands in force and to come must
// still beat it by 10 % for farm produce.
func (s *Service) SaveBaseline(ctx context.Context, b Baseline, by string) (Baseline, error) {
	if b.EffectiveFrom.IsZero() {
		b.EffectiveFrom = s.Now()
	}
	b.EffectiveFrom, b.CreatedBy = b.EffectiveFrom.UTC(), by
	now := s.Now()
	err := s.st.change(ctx, func(tx dbtx, snap *Snapshot) error {
		if b.Carrier != "" {
			if _, ok := snap.Carrier(b.Carrier); !ok {
				return errs.Field("carrier", "carrier %q is not registered; register it first or leave carrier out for the county-wide baseline", b.Carrier)
			}
		}
		z, ok := snap.ZoningAt(later(now, b.EffectiveFrom))
		if !ok {
			return errs.Field("cells", "no zoning is in force; publish zones (PUT /v1/pricing/zones) first")
		}
		if err := b.Validate(z); err != nil {
			return err
		}
		for _, bands := range snap.bandsFrom(now) {
			for _, c := range bands.Cells {
				if c.Category != FarmProduce {
					continue
				}
				if msg := farmRuleBreach(c, &b, bands.WeightRule, bands.BoundG); msg != "" {
					return errs.Field("cells", "band version %d would break the 10 %% rule: %s", bands.Version, msg)
				}
			}
		}
		return insertBaseline(ctx, tx, &b)
	})
	if err != nil {
		return Baseline{}, err
	}
	_, err = s.Reload(ctx)
	return b, err
}

// SaveBands publishes a new version of the bands, refused when a farm-produce
// band is not at least 10 % under every baseline in force at any weight up
// to its bound.
func (s *Service) SaveBands(ctx context.Context, b BandSet, by string) (BandSet, error) {
	var err error
	if b.EffectiveFrom, err = s.effective(b.EffectiveFrom, "effective_from"); err != nil {
		return BandSet{}, err
	}
	b.CreatedBy = by
	err = s.st.change(ctx, func(tx dbtx, snap *Snapshot) error {
		z, ok := snap.ZoningAt(b.EffectiveFrom)
		if !ok {
			return errs.Field("cells", "no zoning is in force; publish zones (PUT /v1/pricing/zones) first")
		}
		baselines := snap.BaselinesAt(b.EffectiveFrom)
		if len(baselines) == 0 {
			return errs.Field("cells", "no baseline is in force; publish the pre-programme baseline (PUT /v1/pricing/baseline) first")
		}
		if err := b.Validate(z, baselines); err != nil {
			return err
		}
		return insertBands(ctx, tx, &b)
	})
	if err != nil {
		return BandSet{}, err
	}
	_, err = s.Reload(ctx)
	return b, err
}

// SubmitRateCard saves a carrier's certified card as its next version after
// checking every cell against the bands in force when it takes effect.
func (s *Service) SubmitRateCard(ctx context.Context, rc RateCard, by string) (RateCard, error) {
	var err error
	if rc.EffectiveFrom, err = s.effective(rc.EffectiveFrom, "effective_from"); err != nil {
		return RateCard{}, err
	}
	rc.CreatedBy = by
	err = s.st.change(ctx, func(tx dbtx, snap *Snapshot) error {
		c, ok := snap.Carrier(rc.Carrier)
		switch {
		case !ok:
			return errs.E(errs.NotFound, "carrier %q is not registered; register it with the county centre first", rc.Carrier)
		case c.Kind != "express":
			return errs.Field("carrier", "%s is a %s company; only express companies submit certified rate cards", rc.Carrier, c.Kind)
		}
		bands, _ := snap.BandsAt(rc.EffectiveFrom)
		if err := rc.Validate(bands); err != nil {
			return err
		}
		rc.Version = len(snap.cards[rc.Carrier]) + 1
		return insertCard(ctx, tx, &rc)
	})
	if err != nil {
		return RateCard{}, err
	}
	_, err = s.Reload(ctx)
	return rc, err
}

// bandsFrom lists the band set in force at t and every later one.
func (s *Snapshot) bandsFrom(t time.Time) []*BandSet {
	var out []*BandSet
	for _, b := range s.bands {
		if b.EffectiveFrom.After(t) {
			out = append(out, b)
		}
	}
	if cur, ok := s.BandsAt(t); ok {
		out = append(out, cur)
	}
	return out
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
