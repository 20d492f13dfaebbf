package pricing_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/tongpei/tongpei/pricing"
)

// TestPriceReductionReport ships a generated month of up-parcels (and a few
// either side of it), some charged off their quote, and checks the report
// against sums made here from what was charged.
func TestPriceReductionReport(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	cst := time.FixedZone("CST", 8*3600)
	from, to := time.Date(2026, 6, 1, 0, 0, 0, 0, cst), time.Date(2026, 7, 1, 0, 0, 0, 0, cst)
	start := f.now

	type sums struct{ parcels, charged, baseline int64 }
	want := map[string]*sums{}
	var wantOutside []string
	var shipments int64
	rng := rand.New(rand.NewPCG(6, 2026))
	merchants := []string{certifiedM, certifiedM, certifiedM, outsiderM, ""}
	for i := 0; i < 300; i++ {
		f.now = start.Add(time.Duration(rng.Int64N(int64(29 * 24 * time.Hour))))
		q, err := f.svc.Quote(ctx, pricing.QuoteRequest{
			MerchantID:  merchants[rng.IntN(len(merchants))],
			WeightG:     100 + rng.Int64N(25_000),
			Destination: pricing.Destination{Province: pricing.Provinces[rng.IntN(31)].Code},
			Category:    pricing.Categories[rng.IntN(2)],
		})
		if err != nil {
			t.Fatal(err)
		}
		line := q.Lines[rng.IntN(len(q.Lines))]
		req := pricing.ChargeRequest{QuoteID: q.ID, Carrier: line.Carrier, TrackingNo: fmt.Sprintf("T%06d", i),
			ChargedAt: f.now.Add(time.Duration(rng.Int64N(int64(72 * time.Hour))))}
		price := line.PriceFen
		switch rng.IntN(20) {
		case 0: // charged above the band
			price = line.Band.MaxFen + 1 + rng.Int64N(300)
			req.PriceFen = &price
		case 1: // charged under it
			price = line.Band.MinFen - 1
			req.PriceFen = &price
		case 2: // recorded long after, outside the month
			req.ChargedAt = req.ChargedAt.AddDate(0, 2, 0)
		}
		if _, created, err := f.svc.Charge(ctx, req, "keeper"); err != nil || !created {
			t.Fatalf("charge %d: %v %v", i, created, err)
		}
		if req.ChargedAt.Before(from) || !req.ChargedAt.Before(to) {
			continue
		}
		shipments++
		if line.Certified && (price < line.Band.MinFen || price > line.Band.MaxFen) {
			wantOutside = append(wantOutside, req.TrackingNo)
		}
		if !line.Certified || q.Category != pricing.FarmProduce {
			continue
		}
		for _, k := range []string{line.Carrier, ""} {
			if want[k] == nil {
				want[k] = &sums{}
			}
			want[k].parcels++
			want[k].charged += price
			want[k].baseline += line.BaselineFen
		}
	}

	r, err := f.svc.PriceReduction(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	check := func(l pricing.ReductionLine, w *sums) {
		t.Helper()
		if l.Parcels != w.parcels || l.ChargedFen != w.charged || l.BaselineFen != w.baseline || l.SavingFen != w.baseline-w.charged {
			t.Errorf("%q: got %+v, want %+v", l.Carrier, l, *w)
		}
		if l.MeetsTarget != (10*w.charged <= 9*w.baseline) {
			t.Errorf("%q: meets_target %v for %d of %d", l.Carrier, l.MeetsTarget, w.charged, w.baseline)
		}
	}
	check(r.Overall, want[""])
	if len(r.Carriers) != len(want)-1 {
		t.Fatalf("%d carriers in the report, want %d", len(r.Carriers), len(want)-1)
	}
	for _, l := range r.Carriers {
		check(l, want[l.Carrier])
	}
	var gotOutside []string
	for _, c := range r.OutsideBand {
		gotOutside = append(gotOutside, c.TrackingNo)
		if c.WithinBand || !c.Certified {
			t.Errorf("listed %+v", c)
		}
	}
	slices.Sort(gotOutside)
	slices.Sort(wantOutside)
	if !slices.Equal(gotOutside, wantOutside) || len(wantOutside) == 0 {
		t.Errorf("outside band: got %v, want %v", gotOutside, wantOutside)
	}
	if r.Shipments != shipments {
		t.Errorf("shipments %d, want %d", r.Shipments, shipments)
	}
	if !r.Overall.MeetsTarget || r.Overall.ReductionPct < 10 {
		t.Errorf("the demonstration tariff misses the 10 %% target: %+v", r.Overall)
	}
}
