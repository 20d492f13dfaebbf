package pricing

import (
	"time"

	"github.com/tongpei/tongpei/internal/errs"
)

// RateCard is an express company's certified rate card: the price it
// charges certified firms, per zone and category, inside the bands. Cards
// are versioned per carrier; the one in force at a quote's time is used.
type RateCard struct {
	Carrier       string     `json:"carrier"`
	Version       int        `json:"version"`
	EffectiveFrom time.Time  `json:"effective_from"`
	Cells         []CardCell `json:"cells"`
	CreatedBy     string     `json:"created_by"`
	CreatedAt     time.Time  `json:"created_at"`

	byCell map[cellKey]Rate
}

// CardCell is a carrier's certified rate to one zone for one category.
type CardCell struct {
	Zone     string   `json:"zone"`
	Category Category `json:"category"`
	Rate
}

// Validate checks that the card prices every zone and category of the bands
// in force, each component inside its band; every cell outside is named.
func (rc *RateCard) Validate(bands *BandSet) error {
	var f errs.Fields
	if bands == nil {
		f.Add("effective_from", "no bands are in force then; an admin must publish bands (PUT /v1/pricing/bands) first")
		return f.Err()
	}
	seen := map[cellKey]bool{}
	for i, c := range rc.Cells {
		field := "cells[" + itoa(int64(i)) + "]"
		band, ok := bands.Cell(c.Zone, c.Category)
		switch {
		case !c.Category.Valid():
			f.Add(field+".category", "must be farm_produce or general, not %q", c.Category)
			continue
		case !ok:
			f.Add(field+".zone", "%q has no band in band version %d", c.Zone, bands.Version)
			continue
		case seen[cellKey{c.Zone, c.Category}]:
			f.Add(field, "zone %s, %s is listed twice", c.Zone, c.Category)
		}
		seen[cellKey{c.Zone, c.Category}] = true
		if !band.First.Contains(c.FirstFen) {
			f.Add(field+".first_fen", "zone %s, %s: %d fen is outside the band [%d, %d]",
				c.Zone, c.Category, c.FirstFen, band.First.MinFen, band.First.MaxFen)
		}
		if !band.Additional.Contains(c.AdditionalFen) {
			f.Add(field+".additional_fen", "zone %s, %s: %d fen per kg is outside the band [%d, %d]",
				c.Zone, c.Category, c.AdditionalFen, band.Additional.MinFen, band.Additional.MaxFen)
		}
	}
	for _, bc := range bands.Cells {
		if !seen[cellKey{bc.Zone, bc.Category}] {
			f.Add("cells", "zone %s, %s has no price; give one cell per zone and category", bc.Zone, bc.Category)
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	rc.index()
	return nil
}

func (rc *RateCard) index() {
	rc.byCell = make(map[cellKey]Rate, len(rc.Cells))
	for _, c := range rc.Cells {
		rc.byCell[cellKey{c.Zone, c.Category}] = c.Rate
	}
}

// Cell is the card's rate for a zone and category.
func (rc *RateCard) Cell(zone string, cat Category) (Rate, bool) {
	r, ok := rc.byCell[cellKey{zone, cat}]
	return r, ok
}
