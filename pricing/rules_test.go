package pricing_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/pricing"
)

// counts is how many rows each tariff table holds, to prove a refused change
// left nothing behind.
func (f *fixture) counts() [4]int {
	f.t.Helper()
	var n [4]int
	for i, table := range []string{"pricing_zonings", "pricing_baselines", "pricing_band_sets", "pricing_rate_cards"} {
		if err := f.pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n[i]); err != nil {
			f.t.Fatal(err)
		}
	}
	return n
}

func TestBandBreakingTheRuleIsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	before := f.counts()

	// far baseline is 1300 + 1000/kg: 90 % is 1170 + 900/kg. A max of
	// 1170 + 910/kg passes at 1 kg and first breaks at 2 kg (2080 > 2070).
	bands := pricing.DemoBands()
	for i, c := range bands.Cells {
		if c.Zone == "far" && c.Category == pricing.FarmProduce {
			bands.Cells[i].First.MaxFen, bands.Cells[i].Additional.MaxFen = 1170, 910
			_, err := f.svc.SaveBands(ctx, bands, "test")
			e := wantInvalid(t, err, "cells["+itoa(i)+"]")
			msg := e.Fields[0].Reason
			for _, want := range []string{"zone far", "2 kg", "2080 fen", "2300 fen"} {
				if !strings.Contains(msg, want) {
					t.Errorf("reason %q does not name %q", msg, want)
				}
			}
			bands.Cells[i].Additional.MaxFen = 900
		}
	}
	// min above max, a missing cell and an unknown zone are named too.
	bad := pricing.DemoBands()
	bad.Cells[0].First = pricing.Range{MinFen: 700, MaxFen: 600}
	bad.Cells[1].Zone = "moon"
	bad.Cells = bad.Cells[:len(bad.Cells)-1]
	_, err := f.svc.SaveBands(ctx, bad, "test")
	wantInvalid(t, err, "cells[0].first_fen")
	wantInvalid(t, err, "cells[1].zone")
	wantInvalid(t, err, "cells")
	bad = pricing.DemoBands()
	bad.WeightRule.StepG = 300
	wantInvalid(t, func() error { _, err := f.svc.SaveBands(ctx, bad, "test"); return err }(), "weight_rule.step_g")
	bad = pricing.DemoBands()
	bad.EffectiveFrom = f.now.Add(-time.Hour)
	wantInvalid(t, func() error { _, err := f.svc.SaveBands(ctx, bad, "test"); return err }(), "effective_from")

	// A carrier's own, cheaper baseline tightens the rule for every band.
	cheap := pricing.DemoBaseline()
	cheap.Carrier = "sf"
	cheap.Cells[0].FirstFen = 700 // local: 90 % = 630 < band max 700
	_, err = f.svc.SaveBaseline(ctx, cheap, "test")
	wantInvalid(t, err, "cells")

	if after := f.counts(); after != before {
		t.Fatalf("a refused change left rows behind: %v → %v", before, after)
	}
	// The corrected band is accepted.
	if _, err := f.svc.SaveBands(ctx, bands, "test"); err != nil {
		t.Fatalf("a band at exactly 90 %% is refused: %v", err)
	}
}

func TestRateCardOutsideBandIsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	before := f.counts()
	card := pricing.DemoCard("sf", pricing.DemoBands())
	card.Cells[3].FirstFen = 5           // below the band
	card.Cells[6].AdditionalFen = 99_999 // above it
	_, err := f.svc.SubmitRateCard(ctx, card, "test")
	e := wantInvalid(t, err, "cells[3].first_fen")
	wantInvalid(t, err, "cells[6].additional_fen")
	if !strings.Contains(e.Error(), "outside the band") {
		t.Errorf("message %q", e.Error())
	}
	card = pricing.DemoCard("sf", pricing.DemoBands())
	card.Cells = card.Cells[1:]
	_, err = f.svc.SubmitRateCard(ctx, card, "test")
	wantInvalid(t, err, "cells")
	_, err = f.svc.SubmitRateCard(ctx, pricing.DemoCard("dbl", pricing.DemoBands()), "test")
	wantInvalid(t, err, "carrier")
	_, err = f.svc.SubmitRateCard(ctx, pricing.DemoCard("nobody", pricing.DemoBands()), "test")
	if !errs.Is(err, errs.NotFound) {
		t.Fatalf("unknown carrier: %v", err)
	}
	if after := f.counts(); after != before {
		t.Fatalf("a refused card left rows behind: %v → %v", before, after)
	}
	rc, err := f.svc.SubmitRateCard(ctx, pricing.DemoCard("sf", pricing.DemoBands()), "test")
	if err != nil || rc.Version != 2 {
		t.Fatalf("second card: %v, version %d", err, rc.Version)
	}
}

func TestQuoteReproducibleAfterCardChange(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	req := pricing.QuoteRequest{MerchantID: certifiedM, WeightG: 5200, Destination: pricing.Destination{Province: "650000"}, Category: pricing.FarmProduce}
	first, err := f.svc.Quote(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	// Every carrier moves to the bottom of the band.
	for _, c := range expressCarriers {
		card := pricing.RateCard{Carrier: c}
		for _, b := range pricing.DemoBands().Cells {
			card.Cells = append(card.Cells, pricing.CardCell{Zone: b.Zone, Category: b.Category,
				Rate: pricing.Rate{FirstFen: b.First.MinFen, AdditionalFen: b.Additional.MinFen}})
		}
		if _, err := f.svc.SubmitRateCard(ctx, card, "test"); err != nil {
			t.Fatal(err)
		}
	}
	second, err := f.svc.Quote(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	changed := false
	for i := range second.Lines {
		changed = changed || second.Lines[i].PriceFen != first.Lines[i].PriceFen
		if second.Lines[i].RateCardVersion != 2 {
			t.Fatalf("the new card is not used: %+v", second.Lines[i])
		}
	}
	if !changed {
		t.Fatal("no price moved with the new cards; the test proves nothing")
	}
	again, err := f.svc.GetQuote(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !again.QuotedAt.Equal(first.QuotedAt) || len(again.Lines) != len(first.Lines) {
		t.Fatalf("stored quote differs: %+v", again)
	}
	for i := range first.Lines {
		if again.Lines[i] != first.Lines[i] {
			t.Errorf("line %d read back %+v, answered %+v", i, again.Lines[i], first.Lines[i])
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
