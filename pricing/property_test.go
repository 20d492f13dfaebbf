package pricing_test

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/tongpei/tongpei/pricing"
)

// TestQuoteProperties quotes random parcels to random provinces at random
// instants across several versions of bands, cards and baselines, and checks
// what must always hold: a certified firm's farm produce is inside the band
// and at most 90 % of the baseline; a firm without a certificate pays the
// baseline; quoting is deterministic; the fen add up exactly.
func TestQuoteProperties(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	day := 24 * time.Hour

	// yto's own market price was 10 % above the county's.
	yb := pricing.DemoBaseline()
	yb.Carrier = "yto"
	for i := range yb.Cells {
		yb.Cells[i].FirstFen += yb.Cells[i].FirstFen / 10
		yb.Cells[i].AdditionalFen += yb.Cells[i].AdditionalFen / 10
	}
	mustDo(t, func() error { _, err := f.svc.SaveBaseline(ctx, yb, "test"); return err })
	// From day 30 the bands tighten: zto's first card falls partly outside
	// them and must be held to the band, never quoted outside it.
	tight := pricing.DemoBands()
	tight.EffectiveFrom = f.now.Add(30 * day)
	for i := range tight.Cells {
		tight.Cells[i].First.MaxFen -= 30
		tight.Cells[i].Additional.MaxFen -= 20
	}
	mustDo(t, func() error { _, err := f.svc.SaveBands(ctx, tight, "test"); return err })
	for k, at := range map[string]time.Time{"sf": f.now.Add(10 * day), "yto": f.now.Add(45 * day)} {
		card := pricing.DemoCard(k+"x", tight) // another point of the band
		card.Carrier, card.EffectiveFrom = k, at
		mustDo(t, func() error { _, err := f.svc.SubmitRateCard(ctx, card, "test"); return err })
	}
	snap, again := f.snap(), f.snap() // two loads of the same tables

	rng := rand.New(rand.NewPCG(2021, 530427))
	merchants := []string{certifiedM, certifiedM, outsiderM, unknownM, ""}
	for i := 0; i < 4000; i++ {
		req := pricing.QuoteRequest{
			MerchantID:  merchants[rng.IntN(len(merchants))],
			WeightG:     10 + rng.Int64N(29_991), // 0.01–30 kg
			Destination: pricing.Destination{Province: pricing.Provinces[rng.IntN(31)].Name},
			Category:    pricing.Categories[rng.IntN(2)],
		}
		if rng.IntN(3) == 0 {
			req.Size = &pricing.Size{L: 1 + rng.Int64N(60), W: 1 + rng.Int64N(50), H: 1 + rng.Int64N(40)}
		}
		at := f.now.Add(time.Duration(rng.Int64N(int64(90 * day))))
		q, err := snap.Quote(req, at)
		if err != nil {
			t.Fatalf("%+v at %s: %v", req, at, err)
		}
		q2, _ := again.Quote(req, at)
		if !reflect.DeepEqual(q, q2) {
			t.Fatalf("quoting is not deterministic: %+v vs %+v", q, q2)
		}
		if len(q.Lines) != len(expressCarriers) {
			t.Fatalf("%d lines, want %d", len(q.Lines), len(expressCarriers))
		}
		if want := chargeable(req); q.ChargeableG != want {
			t.Fatalf("%+v: chargeable %d, want %d", req, q.ChargeableG, want)
		}
		for _, l := range q.Lines {
			if l.PriceFen+l.SavingFen != l.BaselineFen || l.PriceFen <= 0 {
				t.Fatalf("fen do not add up: %+v", l)
			}
			if want := baselineFen(l.Carrier, q.Destination.Zone, q.ChargeableG); l.BaselineFen != want {
				t.Fatalf("%s to %s at %d g: baseline %d, want %d", l.Carrier, q.Destination.Zone, q.ChargeableG, l.BaselineFen, want)
			}
			certified := req.MerchantID == certifiedM
			if l.Certified != certified {
				t.Fatalf("merchant %q: line certified=%v (%s)", req.MerchantID, l.Certified, l.Reason)
			}
			if !certified && l.PriceFen != l.BaselineFen {
				t.Fatalf("merchant %q pays %d, not the standard %d", req.MerchantID, l.PriceFen, l.BaselineFen)
			}
			if certified && !l.Band.Contains(l.PriceFen) {
				t.Fatalf("certified price %d outside band %+v at %s: %+v", l.PriceFen, l.Band, at, l)
			}
			if certified && req.Category == pricing.FarmProduce && 10*l.PriceFen > 9*l.BaselineFen {
				t.Fatalf("certified farm produce at %d fen is more than 90 %% of %d: %+v", l.PriceFen, l.BaselineFen, l)
			}
		}
	}
}

// chargeable is the weight rule written out independently: grams, cm³/8
// for volumetric grams (divisor 8000), whole kg up.
func chargeable(r pricing.QuoteRequest) int64 {
	w := r.WeightG
	if r.Size != nil {
		w = max(w, (r.Size.L*r.Size.W*r.Size.H+7)/8)
	}
	return (w + 999) / 1000 * 1000
}

// baselineFen is the demonstration baseline (yto 10 % dearer) written out.
func baselineFen(carrier, zone string, g int64) int64 {
	b := map[string][2]int64{"local": {800, 200}, "near": {1000, 500}, "mid": {1200, 800}, "far": {1300, 1000}, "remote": {2000, 1800}}[zone]
	if carrier == "yto" {
		b[0], b[1] = b[0]+b[0]/10, b[1]+b[1]/10
	}
	return b[0] + (g/1000-1)*b[1]
}

func mustDo(t testing.TB, fn func() error) {
	t.Helper()
	if err := fn(); err != nil {
		t.Fatal(err)
	}
}
