package pricing_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tongpei/tongpei/pricing"
)

func TestQuoteCertifiedUncertifiedUnknown(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	req := pricing.QuoteRequest{WeightG: 2300, Destination: pricing.Destination{Province: "广东省"}, Category: pricing.FarmProduce}
	for _, tc := range []struct {
		merchant  string
		certified bool
		reason    string
	}{
		{certifiedM, true, "certified: certificate TP-530427-"},
		{outsiderM, false, "merchant M00002 is not certified"},
		{unknownM, false, "unknown merchant M99999"},
		{"", false, "no merchant given"},
	} {
		req.MerchantID = tc.merchant
		q, err := f.svc.Quote(ctx, req)
		if err != nil {
			t.Fatalf("%s: %v", tc.merchant, err)
		}
		if len(q.Lines) != len(expressCarriers) {
			t.Fatalf("%s: %d lines, want %d: %+v", tc.merchant, len(q.Lines), len(expressCarriers), q.Lines)
		}
		if q.ChargeableG != 3000 || q.Destination.Zone != "mid" || q.Destination.Province != "440000" {
			t.Fatalf("quote %+v", q)
		}
		for _, l := range q.Lines {
			if l.Certified != tc.certified || !hasPrefix(l.Reason, tc.reason) {
				t.Errorf("%s %s: certified %v reason %q, want %v %q", tc.merchant, l.Carrier, l.Certified, l.Reason, tc.certified, tc.reason)
			}
			// mid baseline: 1200 + 2 × 800
			if l.BaselineFen != 2800 {
				t.Errorf("%s: baseline %d, want 2800", l.Carrier, l.BaselineFen)
			}
			if !tc.certified && (l.PriceFen != l.BaselineFen || l.SavingFen != 0) {
				t.Errorf("%s: uncertified pays %d, want the standard %d", l.Carrier, l.PriceFen, l.BaselineFen)
			}
			if tc.certified && (!l.Band.Contains(l.PriceFen) || !pricing.AtMost90(l.PriceFen, l.BaselineFen)) {
				t.Errorf("%s: certified price %d outside band %v or over 90 %% of %d", l.Carrier, l.PriceFen, l.Band, l.BaselineFen)
			}
		}
		got, err := f.svc.GetQuote(ctx, q.ID)
		if err != nil || got.Lines[0] != q.Lines[0] {
			t.Fatalf("stored quote differs: %v %+v", err, got)
		}
	}
}

func TestQuoteDeactivatedMerchant(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.exec(`UPDATE merchants SET active = false WHERE id = $1`, certifiedM)
	q, err := f.snap().Quote(pricing.QuoteRequest{MerchantID: certifiedM, WeightG: 800,
		Destination: pricing.Destination{Province: "530427"}, Category: pricing.FarmProduce}, f.now)
	if err != nil {
		t.Fatal(err)
	}
	if l := q.Lines[0]; l.Certified || !strings.Contains(l.Reason, "deactivated") || l.PriceFen != 800 {
		t.Fatalf("a deactivated firm: %+v", l)
	}
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }
