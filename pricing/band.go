package pricing

import (
	"fmt"
	"time"

	"github.com/tongpei/tongpei/internal/errs"
)

// DefaultBoundG is the heaviest parcel the farm-produce rule is checked for.
const DefaultBoundG = 30_000

// BandSet is one version of the county's published bands (区间价) for
// certified firms, with the weight rule every price of that version uses.
type BandSet struct {
	Version       int64      `json:"version"`
	EffectiveFrom time.Time  `json:"effective_from"`
	WeightRule    WeightRule `json:"weight_rule"`
	// BoundG is the heaviest weight the farm-produce rule is checked at.
	BoundG    int64      `json:"bound_g"`
	Cells     []BandCell `json:"cells"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`

	byCell map[cellKey]BandCell
}

// BandCell is the band for one zone and category: a range for the
// first-weight price and one for the price per additional kilogram.
type BandCell struct {
	Zone       string   `json:"zone"`
	Category   Category `json:"category"`
	First      Range    `json:"first_fen"`
	Additional Range    `json:"additional_fen"`
}

type cellKey struct {
	zone string
	cat  Category
}

// Max is the dearest rate the band allows, Min the cheapest.
func (c BandCell) Max() Rate { return Rate{c.First.MaxFen, c.Additional.MaxFen} }

// Min is the cheapest rate the band allows.
func (c BandCell) Min() Rate { return Rate{c.First.MinFen, c.Additional.MinFen} }

// At is the band as a price range for chargeable weight g.
func (c BandCell) At(rule WeightRule, g int64) Range {
	return Range{c.Min().PriceAt(rule, g), c.Max().PriceAt(rule, g)}
}

// Validate checks the band set's shape against the zoning in force and, for
// farm produce, the programme's rule against every baseline given (the
// county-wide one and each carrier's own): at every weight step up to
// BoundG the band's maximum price is at most 90 % of the baseline price.
func (b *BandSet) Validate(z *Zoning, baselines []*Baseline) error {
	if b.WeightRule == (WeightRule{}) {
		b.WeightRule = DefaultWeightRule
	}
	if b.BoundG == 0 {
		b.BoundG = DefaultBoundG
	}
	if err := b.WeightRule.Validate("weight_rule"); err != nil {
		return err
	}
	var f errs.Fields
	if b.BoundG < b.WeightRule.FirstG || b.BoundG > MaxWeightG {
		f.Add("bound_g", "must be from first_g (%d) to %d grams, not %d", b.WeightRule.FirstG, MaxWeightG, b.BoundG)
	}
	seen := map[cellKey]bool{}
	for i, c := range b.Cells {
		field := "cells[" + itoa(int64(i)) + "]"
		switch {
		case !z.HasZone(c.Zone):
			f.Add(field+".zone", "%q is not a zone of zoning version %d (zones: %v)", c.Zone, z.Version, z.ZoneIDs())
		case !c.Category.Valid():
			f.Add(field+".category", "must be farm_produce or general, not %q", c.Category)
		case seen[cellKey{c.Zone, c.Category}]:
			f.Add(field, "zone %s, %s is listed twice", c.Zone, c.Category)
		}
		seen[cellKey{c.Zone, c.Category}] = true
		checkRange(&f, field+".first_fen", c.First, 1)
		checkRange(&f, field+".additional_fen", c.Additional, 0)
	}
	for _, id := range z.ZoneIDs() {
		for _, cat := range Categories {
			if !seen[cellKey{id, cat}] {
				f.Add("cells", "zone %s, %s has no band; give one cell per zone and category", id, cat)
			}
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	for i, c := range b.Cells {
		if c.Category != FarmProduce {
			continue
		}
		for _, base := range baselines {
			if msg := farmRuleBreach(c, base, b.WeightRule, b.BoundG); msg != "" {
				f.Add("cells["+itoa(int64(i))+"]", "%s", msg)
				break
			}
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	b.index()
	return nil
}

func checkRange(f *errs.Fields, field string, r Range, least int64) {
	if r.MinFen < least || r.MaxFen > 1_000_000 {
		f.Add(field, "must lie from %d to 1000000 fen, not [%d, %d]", least, r.MinFen, r.MaxFen)
	} else if r.MinFen > r.MaxFen {
		f.Add(field, "min_fen %d is above max_fen %d", r.MinFen, r.MaxFen)
	}
}

// farmRuleBreach is "" when the band's maximum stays at or under 90 % of the
// baseline at every step up to bound, else a sentence naming the zone, the
// first weight that breaks the rule and both prices.
func farmRuleBreach(c BandCell, base *Baseline, rule WeightRule, bound int64) string {
	br, ok := base.RateTo(c.Zone)
	if !ok {
		return ""
	}
	for g := rule.FirstG; g <= bound; g += rule.StepG {
		top, ref := c.Max().PriceAt(rule, g), br.PriceAt(rule, g)
		if !AtMost90(top, ref) {
			who := "the county-wide baseline"
			if base.Carrier != "" {
				who = base.Carrier + "'s baseline"
			}
			return fmt.Sprintf("zone %s, farm_produce at %s: band max %d fen is more than 90 %% of %s %d fen (at most %d fen); lower max_fen",
				c.Zone, kg(g), top, who, ref, ref*9/10)
		}
	}
	return ""
}

// AtMost90 reports price ≤ 90 % of baseline, exactly, in integers.
func AtMost90(price, baseline int64) bool { return 10*price <= 9*baseline }

func kg(g int64) string {
	if g%1000 == 0 {
		return itoa(g/1000) + " kg"
	}
	return fmt.Sprintf("%.1f kg", float64(g)/1000)
}

func (b *BandSet) index() {
	b.byCell = make(map[cellKey]BandCell, len(b.Cells))
	for _, c := range b.Cells {
		b.byCell[cellKey{c.Zone, c.Category}] = c
	}
}

// Cell is the band for a zone and category.
func (b *BandSet) Cell(zone string, cat Category) (BandCell, bool) {
	c, ok := b.byCell[cellKey{zone, cat}]
	return c, ok
}
