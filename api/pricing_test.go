package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/api"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
	"github.com/tongpei/tongpei/pricing"
	"github.com/tongpei/tongpei/stations"
)

// newPricingAPI is newTestAPI with the pricing service and the
// demonstration tariff: carriers sf and yto (express) and dbl (bulk),
// merchant M00001 registered in the county and certified, M00002 not.
func newPricingAPI(t testing.TB) (*testAPI, *pgxpool.Pool) {
	t.Helper()
	pool := pgtest.Pool(t)
	ctx := context.Background()
	for _, sql := range []string{
		`INSERT INTO carriers (code, name, kind) VALUES ('sf', '顺丰速运', 'express'), ('yto', '圆通速递', 'express'), ('dbl', '德邦物流', 'bulk')`,
		`INSERT INTO merchants (id, name, credit_code, registered_in_county) VALUES
			('M00001', '新平褚橙合作社', '91530427MA000001', true), ('M00002', '昆明果品贸易', '91530100MA000002', false)`,
	} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	svc := pricing.NewService(pool)
	if err := pricing.LoadDemo(ctx, svc); err != nil {
		t.Fatal(err)
	}
	deps := api.Deps{
		Tokens:   auth.NewStore(pool),
		Registry: stations.NewRegistry(pool),
		Pricing:  svc,
		Custody:  stations.NewCustody(pool),
		Ready:    func(ctx context.Context) error { return pool.Ping(ctx) },
	}
	a := &testAPI{t: t, handler: api.New(deps), deps: deps}
	a.admin = a.token(auth.Admin, "")
	return a, pool
}

type quoteAnswer struct {
	QuoteID       string `json:"quote_id"`
	CertificateNo string `json:"certificate_no"`
	Lines         []struct {
		Carrier     string `json:"carrier"`
		PriceFen    int64  `json:"price_fen"`
		BaselineFen int64  `json:"baseline_fen"`
		Band        struct {
			MinFen int64 `json:"min_fen"`
			MaxFen int64 `json:"max_fen"`
		} `json:"band"`
		Certified bool   `json:"certified"`
		Reason    string `json:"reason"`
	} `json:"lines"`
}

func TestPricingPublicPages(t *testing.T) {
	t.Parallel()
	a, _ := newPricingAPI(t)
	w := a.do("GET", "/v1/pricing/bands", "", nil)
	expect(t, w, http.StatusOK)
	bands := decodeBody[pricing.Published](t, w)
	if len(bands.Bands) != 10 || len(bands.Bands[0].Weights) != 30 {
		t.Fatalf("want 5 zones × 2 categories × 30 weights, got %d bands", len(bands.Bands))
	}
	for _, b := range bands.Bands {
		for _, s := range b.Weights {
			if b.Category == pricing.FarmProduce && !pricing.AtMost90(s.MaxFen, s.BaselineFen) {
				t.Errorf("%s %d g: max %d over 90 %% of %d", b.Zone, s.WeightG, s.MaxFen, s.BaselineFen)
			}
		}
	}
	expect(t, a.do("GET", "/v1/pricing/zones", "", nil), http.StatusOK)
	expect(t, a.do("GET", "/v1/pricing/baseline?carrier=sf", "", nil), http.StatusOK)
	expect(t, a.do("GET", "/v1/pricing/bands?at=yesterday", "", nil), http.StatusUnprocessableEntity)
	expect(t, a.do("GET", "/v1/pricing/bands?at=2020-01-01T00:00:00Z", "", nil), http.StatusNotFound)
	expect(t, a.do("PUT", "/v1/pricing/bands", "", map[string]any{}), http.StatusUnauthorized)

	certs := decodeBody[struct{ Items []pricing.Certificate }](t, a.do("GET", "/v1/merchants/M00001/certification", a.admin, nil))
	if len(certs.Items) != 1 || certs.Items[0].State != pricing.Certified {
		t.Fatalf("certificates %+v", certs.Items)
	}
	w = a.do("GET", "/v1/certifications/"+certs.Items[0].CertificateNo, "", nil)
	expect(t, w, http.StatusOK)
	expect(t, a.do("GET", "/v1/certifications/TP-530427-1999-0001", "", nil), http.StatusNotFound)
}

func TestPricingQuoteAPI(t *testing.T) {
	t.Parallel()
	a, _ := newPricingAPI(t)
	own := a.token(auth.Merchant, "M00001")
	other := a.token(auth.Merchant, "M00002")
	keeper := a.token(auth.Keeper, "XP001")
	req := map[string]any{"weight_g": 4200, "size_cm": map[string]int{"l": 40, "w": 30, "h": 30},
		"destination": map[string]string{"province": "浙江省"}, "category": "farm_produce"}

	w := a.do("POST", "/v1/pricing/quotes", own, req)
	expect(t, w, http.StatusCreated)
	q := decodeBody[quoteAnswer](t, w)
	if len(q.Lines) != 2 || q.CertificateNo == "" {
		t.Fatalf("want sf and yto certified lines: %s", w.Body)
	}
	for _, l := range q.Lines {
		if !l.Certified || l.PriceFen > l.Band.MaxFen || l.PriceFen < l.Band.MinFen || 10*l.PriceFen > 9*l.BaselineFen {
			t.Errorf("line %+v", l)
		}
	}
	req["merchant_id"] = "M00001"
	expect(t, a.do("POST", "/v1/pricing/quotes", other, req), http.StatusForbidden)
	expect(t, a.do("GET", "/v1/pricing/quotes/"+q.QuoteID, other, nil), http.StatusForbidden)
	expect(t, a.do("GET", "/v1/pricing/quotes/"+q.QuoteID, own, nil), http.StatusOK)
	expect(t, a.do("GET", "/v1/pricing/quotes/not-a-uuid", own, nil), http.StatusNotFound)

	req["merchant_id"] = "M00002"
	w = a.do("POST", "/v1/pricing/quotes", keeper, req)
	expect(t, w, http.StatusCreated)
	if u := decodeBody[quoteAnswer](t, w); u.Lines[0].Certified || u.Lines[0].PriceFen != u.Lines[0].BaselineFen {
		t.Fatalf("uncertified line %+v", u.Lines[0])
	}
	req["destination"] = map[string]string{"province": "台北"}
	w = a.do("POST", "/v1/pricing/quotes", a.admin, req)
	expect(t, w, http.StatusUnprocessableEntity)
	if p := decodeBody[api.Problem](t, w); len(p.Fields) == 0 || p.Fields[0].Field != "destination.province" {
		t.Fatalf("problem %+v", p)
	}

	// Charge what shipped, twice (idempotent), then with a price out of band.
	ch := map[string]any{"quote_id": q.QuoteID, "carrier": "sf", "tracking_no": "SF1000000001"}
	expect(t, a.do("POST", "/v1/pricing/charges", keeper, ch), http.StatusCreated)
	expect(t, a.do("POST", "/v1/pricing/charges", keeper, ch), http.StatusOK)
	ch["price_fen"] = 1
	expect(t, a.do("POST", "/v1/pricing/charges", keeper, ch), http.StatusConflict)
	ch["tracking_no"] = "SF1000000002"
	expect(t, a.do("POST", "/v1/pricing/charges", own, ch), http.StatusForbidden)
	expect(t, a.do("POST", "/v1/pricing/charges", keeper, ch), http.StatusCreated)
	now := time.Now().In(time.FixedZone("CST", 8*3600))
	day, next := now.AddDate(0, 0, -1).Format(time.DateOnly), now.AddDate(0, 0, 1).Format(time.DateOnly)
	w = a.do("GET", "/v1/reports/price-reduction?from="+day+"&to="+next, a.admin, nil)
	expect(t, w, http.StatusOK)
	r := decodeBody[pricing.Report](t, w)
	if r.Overall.Parcels != 2 || len(r.OutsideBand) != 1 || r.OutsideBand[0].TrackingNo != "SF1000000002" {
		t.Fatalf("report %s", w.Body)
	}
	expect(t, a.do("GET", "/v1/reports/price-reduction?from="+day, a.admin, nil), http.StatusUnprocessableEntity)
	expect(t, a.do("GET", "/v1/reports/price-reduction?from="+day+"&to="+day, keeper, nil), http.StatusForbidden)
}

func TestPricingAdminAPI(t *testing.T) {
	t.Parallel()
	a, _ := newPricingAPI(t)
	sf := a.token(auth.Carrier, "sf")
	keeper := a.token(auth.Keeper, "XP001")

	// A farm-produce band over 90 % of the baseline is refused, naming it.
	bands := pricing.DemoBands()
	bands.Cells[0].First.MaxFen = 790 // local baseline 800: 90 % is 720
	w := a.do("PUT", "/v1/pricing/bands", a.admin, map[string]any{"cells": bands.Cells})
	expect(t, w, http.StatusUnprocessableEntity)
	p := decodeBody[api.Problem](t, w)
	if len(p.Fields) != 1 || p.Fields[0].Field != "cells[0]" || !strings.Contains(p.Fields[0].Reason, "720 fen") {
		t.Fatalf("problem %+v", p)
	}
	expect(t, a.do("PUT", "/v1/pricing/bands", keeper, map[string]any{"cells": bands.Cells}), http.StatusForbidden)
	bands = pricing.DemoBands()
	w = a.do("PUT", "/v1/pricing/bands", a.admin, map[string]any{"cells": bands.Cells, "weight_rule": map[string]int{"divisor": 6000, "step_g": 500, "first_g": 1000}})
	expect(t, w, http.StatusOK)
	if b := decodeBody[pricing.BandSet](t, w); b.Version != 2 || b.WeightRule.StepG != 500 || b.BoundG != 30_000 {
		t.Fatalf("bands %+v", b)
	}

	// Carriers submit their own cards only; cells outside the band are named.
	card := pricing.DemoCard("sf", bands)
	expect(t, a.do("POST", "/v1/pricing/carriers/yto/rate-cards", sf, map[string]any{"cells": card.Cells}), http.StatusForbidden)
	card.Cells[2].AdditionalFen = 1
	w = a.do("POST", "/v1/pricing/carriers/sf/rate-cards", sf, map[string]any{"cells": card.Cells})
	expect(t, w, http.StatusUnprocessableEntity)
	if p := decodeBody[api.Problem](t, w); p.Fields[0].Field != "cells[2].additional_fen" {
		t.Fatalf("problem %+v", p)
	}
	card = pricing.DemoCard("sf", bands)
	expect(t, a.do("POST", "/v1/pricing/carriers/sf/rate-cards", sf, map[string]any{"cells": card.Cells}), http.StatusCreated)
	expect(t, a.do("POST", "/v1/pricing/carriers/nope/rate-cards", a.admin, map[string]any{"cells": card.Cells}), http.StatusNotFound)
	w = a.do("GET", "/v1/pricing/carriers/sf/rate-cards", keeper, nil)
	expect(t, w, http.StatusOK)
	if h := decodeBody[struct{ Items []pricing.RateCard }](t, w); len(h.Items) != 2 || h.Items[0].Version != 2 {
		t.Fatalf("history %+v", h)
	}

	// Zones: names become codes; a province left out is refused.
	zoning := pricing.DefaultZoning()
	zoning.Zones[0].Provinces = []string{"云南省"}
	expect(t, a.do("PUT", "/v1/pricing/zones", a.admin, map[string]any{"zones": zoning.Zones}), http.StatusOK)
	zoning.Zones[4].Provinces = zoning.Zones[4].Provinces[1:]
	expect(t, a.do("PUT", "/v1/pricing/zones", a.admin, map[string]any{"zones": zoning.Zones}), http.StatusUnprocessableEntity)
	w = a.do("GET", "/v1/pricing/zones", "", nil)
	if z := decodeBody[struct{ Version int64 }](t, w); z.Version != 2 {
		t.Fatalf("zoning version %d", z.Version)
	}

	// A carrier's own baseline is published beside the county-wide one.
	base := pricing.DemoBaseline()
	for i := range base.Cells {
		base.Cells[i].FirstFen += 100
	}
	expect(t, a.do("PUT", "/v1/pricing/baseline", a.admin, map[string]any{"carrier": "sf", "cells": base.Cells, "source": "sf 2021 price list"}), http.StatusOK)
	w = a.do("GET", "/v1/pricing/baseline?carrier=sf", "", nil)
	if b := decodeBody[pricing.Baseline](t, w); b.Carrier != "sf" || b.Cells[0].FirstFen != 900 {
		t.Fatalf("baseline %+v", b)
	}
	expect(t, a.do("PUT", "/v1/pricing/baseline", a.admin, map[string]any{"carrier": "nope", "cells": base.Cells}), http.StatusUnprocessableEntity)
}
