package pricing

import (
	"time"

	"github.com/tongpei/tongpei/internal/errs"
)

// Baseline is the market rate card before the programme, county-wide
// (Carrier empty) or one carrier's own. Every reduction is measured against
// it, and a firm that is not certified pays it.
type Baseline struct {
	Version       int64          `json:"version"`
	Carrier       string         `json:"carrier"`
	EffectiveFrom time.Time      `json:"effective_from"`
	Source        string         `json:"source"`
	Cells         []BaselineCell `json:"cells"`
	CreatedBy     string         `json:"created_by"`
	CreatedAt     time.Time      `json:"created_at"`

	byZone map[string]Rate
}

// BaselineCell is the market price to one zone.
type BaselineCell struct {
	Zone string `json:"zone"`
	Rate
}

// Validate checks the baseline prices every zone of the zoning in force,
// once, with positive prices.
func (b *Baseline) Validate(z *Zoning) error {
	var f errs.Fields
	seen := map[string]bool{}
	for i, c := range b.Cells {
		field := "cells[" + itoa(int64(i)) + "]"
		switch {
		case !z.HasZone(c.Zone):
			f.Add(field+".zone", "%q is not a zone of zoning version %d (zones: %v)", c.Zone, z.Version, z.ZoneIDs())
		case seen[c.Zone]:
			f.Add(field+".zone", "zone %q is listed twice", c.Zone)
		}
		seen[c.Zone] = true
		if c.FirstFen < 1 || c.FirstFen > 1_000_000 {
			f.Add(field+".first_fen", "must be from 1 to 1000000 fen, not %d", c.FirstFen)
		}
		if c.AdditionalFen < 0 || c.AdditionalFen > 1_000_000 {
			f.Add(field+".additional_fen", "must be from 0 to 1000000 fen, not %d", c.AdditionalFen)
		}
	}
	for _, id := range z.ZoneIDs() {
		if !seen[id] {
			f.Add("cells", "zone %q has no baseline price; give one cell per zone", id)
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	b.index()
	return nil
}

func (b *Baseline) index() {
	b.byZone = make(map[string]Rate, len(b.Cells))
	for _, c := range b.Cells {
		b.byZone[c.Zone] = c.Rate
	}
}

// RateTo is the baseline rate to a zone.
func (b *Baseline) RateTo(zone string) (Rate, bool) {
	r, ok := b.byZone[zone]
	return r, ok
}
