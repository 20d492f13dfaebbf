package api_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/tongpei/tongpei/pricing"
)

// The public board, list and calculator need no token, and the calculator
// answers what a stored quote answers for the same firm, weight and
// province.
func TestPublicPrices(t *testing.T) {
	t.Parallel()
	a, _ := newPricingAPI(t)
	w := a.do("GET", "/v1/pricing/board", "", nil)
	expect(t, w, http.StatusOK)
	board := decodeBody[pricing.PriceBoard](t, w)
	if len(board.Zones) != 5 || len(board.Carriers) != 2 {
		t.Fatalf("board: %d zones, %d carriers", len(board.Zones), len(board.Carriers))
	}
	firms := decodeBody[struct{ Items []pricing.CertifiedFirm }](t, a.do("GET", "/v1/pricing/certified-firms", "", nil)).Items
	if len(firms) != 1 || firms[0].MerchantID != "M00001" {
		t.Fatalf("certified firms %+v", firms)
	}
	merchant := a.token("merchant", "M00001")
	for _, m := range []string{"M00001", "M00002", ""} {
		q := url.Values{"weight_g": {"2500"}, "province": {"上海市"}, "category": {"farm_produce"}, "merchant_id": {m}}
		w := a.do("GET", "/v1/pricing/price-check?"+q.Encode(), "", nil)
		expect(t, w, http.StatusOK)
		check := decodeBody[quoteAnswer](t, w)
		token := a.admin
		if m == "M00001" {
			token = merchant
		}
		stored := decodeBody[quoteAnswer](t, a.do("POST", "/v1/pricing/quotes", token, map[string]any{"merchant_id": m, "weight_g": 2500,
			"destination": map[string]string{"province": "上海市"}, "category": "farm_produce"}))
		if check.QuoteID != "" || len(check.Lines) != len(stored.Lines) || len(check.Lines) == 0 {
			t.Fatalf("%q: check %+v, quote %+v", m, check, stored)
		}
		for i, l := range check.Lines {
			if l != stored.Lines[i] {
				t.Errorf("%q: check line %+v, quote line %+v", m, l, stored.Lines[i])
			}
		}
		if m == "M00001" && !check.Lines[0].Certified {
			t.Errorf("the certified firm's check is not certified: %+v", check.Lines[0])
		}
	}
	expect(t, a.do("GET", "/v1/pricing/price-check?weight_g=heavy&province=530000", "", nil), http.StatusUnprocessableEntity)
	expect(t, a.do("GET", "/v1/pricing/price-check?weight_g=1000&province=Atlantis", "", nil), http.StatusUnprocessableEntity)
	expect(t, a.do("GET", "/v1/pricing/price-check?weight_g=1000&province=530000&category=gold", "", nil), http.StatusUnprocessableEntity)
}
