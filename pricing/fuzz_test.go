package pricing_test

import (
	"encoding/json"
	"testing"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/pricing"
)

// FuzzQuote feeds arbitrary quote requests, as a client could send them, to
// the quoting code: it must answer a field error or lines whose fen add up,
// never panic and never a price of zero or less.
func FuzzQuote(f *testing.F) {
	for _, seed := range []string{
		`{"merchant_id":"M00001","weight_g":2300,"destination":{"province":"广东省"},"category":"farm_produce"}`,
		`{"weight_g":1,"size_cm":{"l":300,"w":300,"h":300},"destination":{"province":"650000"},"category":"general"}`,
		`{"weight_g":-5,"destination":{"province":"台北"},"category":"gold"}`,
		`{"weight_g":100000,"size_cm":{"l":0,"w":1,"h":1},"destination":{"province":"530427"},"category":"farm_produce"}`,
	} {
		f.Add([]byte(seed))
	}
	fx := newFixture(f)
	snap := fx.snap()
	f.Fuzz(func(t *testing.T, body []byte) {
		var req pricing.QuoteRequest
		if json.Unmarshal(body, &req) != nil {
			return
		}
		q, err := snap.Quote(req, fx.now)
		if err != nil {
			if e, ok := err.(*errs.Error); !ok || e.Code != errs.Invalid || len(e.Fields) == 0 {
				t.Fatalf("%s: %v is not a field error", body, err)
			}
			return
		}
		for _, l := range q.Lines {
			if l.PriceFen <= 0 || l.PriceFen+l.SavingFen != l.BaselineFen {
				t.Fatalf("%s: line %+v", body, l)
			}
			if l.Certified && req.Category == pricing.FarmProduce && q.ChargeableG <= pricing.DefaultBoundG && 10*l.PriceFen > 9*l.BaselineFen {
				t.Fatalf("%s: certified farm line over 90 %%: %+v", body, l)
			}
		}
	})
}
