package pricing_test

import (
	"context"
	"testing"

	"github.com/tongpei/tongpei/pricing"
)

// TestBoardMatchesQuotes checks the public board against the quote path:
// every farm-produce price on it is what a certified firm is quoted for the
// same zone and weight, inside the band, at most 90 % of the standard price;
// and the certified list is exactly the firms with a valid certificate.
func TestBoardMatchesQuotes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	b, err := f.svc.Board(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Zones) == 0 || len(b.Carriers) != len(expressCarriers) || len(b.WeightsG) != len(pricing.BoardWeightsG) {
		t.Fatalf("board: %d zones, %d carriers", len(b.Zones), len(b.Carriers))
	}
	for _, z := range b.Zones {
		if len(z.Provinces) == 0 {
			continue
		}
		for _, cell := range z.Prices {
			q, err := f.svc.PriceCheck(ctx, pricing.QuoteRequest{MerchantID: certifiedM, WeightG: cell.WeightG,
				Destination: pricing.Destination{Province: z.Provinces[0].Code}, Category: pricing.FarmProduce})
			if err != nil {
				t.Fatal(err)
			}
			byCarrier := map[string]pricing.Line{}
			for _, l := range q.Lines {
				byCarrier[l.Carrier] = l
			}
			for _, l := range cell.Farm {
				ql := byCarrier[l.Carrier]
				if ql.PriceFen != l.PriceFen || ql.BaselineFen != l.BaselineFen || ql.Band != l.Band || !ql.Certified {
					t.Errorf("%s %d g %s: board %+v, quote %+v", z.Zone, cell.WeightG, l.Carrier, l, ql)
				}
				if !l.Band.Contains(l.PriceFen) || !pricing.AtMost90(l.PriceFen, l.BaselineFen) {
					t.Errorf("%s %d g %s: %d fen outside band %v or over 90 %% of %d", z.Zone, cell.WeightG, l.Carrier, l.PriceFen, l.Band, l.BaselineFen)
				}
				if cell.BestFarmFen > l.PriceFen || cell.BaselineFen > l.BaselineFen {
					t.Errorf("%s %d g: best %d over %s's %d", z.Zone, cell.WeightG, cell.BestFarmFen, l.Carrier, l.PriceFen)
				}
			}
			if cell.FarmBand.MaxFen == 0 || cell.GeneralBand.MaxFen == 0 || cell.BestSavingPct < 10 {
				t.Errorf("%s %d g: bands %v %v, best saving %.2f %%", z.Zone, cell.WeightG, cell.FarmBand, cell.GeneralBand, cell.BestSavingPct)
			}
		}
	}
	firms, err := f.svc.CertifiedFirms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(firms) != 1 || firms[0].MerchantID != certifiedM || firms[0].CertificateNo == "" || firms[0].MerchantName != "新平褚橙合作社" {
		t.Fatalf("certified firms %+v", firms)
	}
	if _, err := f.svc.Suspend(ctx, certifiedM, "test", "checking the list"); err != nil {
		t.Fatal(err)
	}
	if firms, _ := f.svc.CertifiedFirms(ctx); len(firms) != 0 {
		t.Errorf("a suspended firm is still listed: %+v", firms)
	}
	// The price check stores nothing.
	var quotes int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM pricing_quotes`).Scan(&quotes); err != nil || quotes != 0 {
		t.Errorf("%d quotes stored by price checks (%v)", quotes, err)
	}
}
