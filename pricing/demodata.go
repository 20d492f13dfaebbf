package pricing

import (
	"context"
	"hash/fnv"
	"time"
)

// Demonstration prices. They look like what express outlets in a Yunnan
// county charged in 2021 (首重 + 续重 by zone); they are estimates for the
// demonstration, not a survey.
var (
	demoBaseline = map[string]Rate{
		"local": {800, 200}, "near": {1000, 500}, "mid": {1200, 800}, "far": {1300, 1000}, "remote": {2000, 1800},
	}
	// Farm-produce bands sit wholly at or under 90 % of the baseline in both
	// components, so the 10 % rule holds at every weight.
	demoFarmBands = map[string][2]Range{
		"local": {{500, 700}, {100, 170}}, "near": {{650, 880}, {300, 440}}, "mid": {{800, 1050}, {500, 700}},
		"far": {{900, 1150}, {600, 880}}, "remote": {{1400, 1780}, {1200, 1600}},
	}
	demoGeneralBands = map[string][2]Range{
		"local": {{600, 800}, {150, 200}}, "near": {{800, 1000}, {400, 500}}, "mid": {{1000, 1200}, {650, 800}},
		"far": {{1100, 1300}, {800, 1000}}, "remote": {{1700, 2000}, {1500, 1800}},
	}
)

// DemoBaseline is the demonstration county-wide baseline, dated 2021.
func DemoBaseline() Baseline {
	b := Baseline{EffectiveFrom: time.Date(2021, 1, 1, 0, 0, 0, 0, shanghai),
		Source: "2021 express outlet prices in Xinping county (demonstration estimate)"}
	for _, z := range DefaultZoning().Zones {
		b.Cells = append(b.Cells, BaselineCell{Zone: z.Zone, Rate: demoBaseline[z.Zone]})
	}
	return b
}

// DemoBands are the demonstration bands for both categories.
func DemoBands() BandSet {
	b := BandSet{WeightRule: DefaultWeightRule, BoundG: DefaultBoundG}
	for _, z := range DefaultZoning().Zones {
		f, g := demoFarmBands[z.Zone], demoGeneralBands[z.Zone]
		b.Cells = append(b.Cells,
			BandCell{Zone: z.Zone, Category: FarmProduce, First: f[0], Additional: f[1]},
			BandCell{Zone: z.Zone, Category: General, First: g[0], Additional: g[1]})
	}
	return b
}

// DemoCard is a card inside bands for a carrier: each carrier sits at its
// own point of the band (from its code), so quotes differ between them.
func DemoCard(carrier string, bands BandSet) RateCard {
	h := fnv.New32a()
	h.Write([]byte(carrier))
	k := int64(h.Sum32() % 5) // 0..4 quarters into the band
	at := func(r Range) int64 { return (r.MinFen + (r.MaxFen-r.MinFen)*k/4) / 10 * 10 }
	rc := RateCard{Carrier: carrier}
	for _, c := range bands.Cells {
		rc.Cells = append(rc.Cells, CardCell{Zone: c.Zone, Category: c.Category,
			Rate: Rate{max(at(c.First), c.First.MinFen), max(at(c.Additional), c.Additional.MinFen)}})
	}
	return rc
}

// LoadDemo gives the demonstration county its prices: the default zoning,
// the 2021 baseline, bands for both categories, a card for each active
// express carrier and a one-year certificate for every firm registered in
// the county. It adds only what is missing, so it may run at every start.
// Run it after the registry's demonstration data.
func LoadDemo(ctx context.Context, s *Service) error {
	const by = "demo"
	snap, err := s.Reload(ctx)
	if err != nil {
		return err
	}
	now := s.Now()
	if _, ok := snap.ZoningAt(now); !ok {
		if _, err := s.SaveZoning(ctx, DefaultZoning(), by); err != nil {
			return err
		}
	}
	if _, ok := snap.BaselineAt("", now); !ok {
		if _, err := s.SaveBaseline(ctx, DemoBaseline(), by); err != nil {
			return err
		}
	}
	if snap, err = s.Reload(ctx); err != nil {
		return err
	}
	bands, ok := snap.BandsAt(now)
	if !ok {
		b, err := s.SaveBands(ctx, DemoBands(), by)
		if err != nil {
			return err
		}
		bands = &b
	}
	for _, c := range snap.carriers {
		if c.Active && c.Kind == "express" && len(snap.cards[c.Code]) == 0 {
			if _, err := s.SubmitRateCard(ctx, DemoCard(c.Code, *bands), by); err != nil {
				return err
			}
		}
	}
	from := now.In(shanghai)
	for _, id := range sortedKeys(snap.merchants) {
		if m := snap.merchants[id]; !m.registered || !m.active || len(snap.certs[id]) > 0 {
			continue
		}
		req := CertifyRequest{ValidFrom: Day(from), ValidUntil: Day(from.AddDate(1, 0, -1)), Note: "demonstration certificate"}
		if _, err := s.Certify(ctx, id, req, by); err != nil {
			return err
		}
	}
	_, err = s.Reload(ctx)
	return err
}
