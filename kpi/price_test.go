package kpi_test

import (
	"math"
	"testing"
)

// The price cut is the charges' own: it must equal SQL over the charges of
// the same period, and leave out what is not certified farm produce or is
// outside the period.
func TestPriceCutMatchesIndependentSQL(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, err := f.pool.Exec(f.ctx, `
		INSERT INTO pricing_quotes (id, quoted_at, body) VALUES ('00000000-0000-0000-0000-000000000001', '2026-03-01T00:00:00Z', '{}');
		INSERT INTO pricing_charges (quote_id, carrier, tracking_no, certified, category, zone, chargeable_g, price_fen, baseline_fen, band_min_fen, band_max_fen, charged_at)
		SELECT '00000000-0000-0000-0000-000000000001', c, 'T' || i, cert, cat, 'A', 1000, price, base, 0, 100000, at::timestamptz
		FROM (VALUES
		    (1, 'SF', true, 'farm_produce', 900, 1000, '2026-03-02T02:00:00Z'),
		    (2, 'SF', true, 'farm_produce', 700, 1000, '2026-03-05T02:00:00Z'),
		    (3, 'YTO', true, 'farm_produce', 1900, 2000, '2026-03-31T15:59:59Z'),
		    (4, 'YTO', false, 'farm_produce', 500, 2000, '2026-03-10T02:00:00Z'),
		    (5, 'YTO', true, 'general', 500, 2000, '2026-03-10T02:00:00Z'),
		    (6, 'SF', true, 'farm_produce', 100, 1000, '2026-03-31T16:00:00Z') -- 1 April in the county
		) v (i, c, cert, cat, price, base, at)`)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := f.svc.Scorecard(f.ctx, "2026-03-01", "2026-03-31")
	if err != nil {
		t.Fatal(err)
	}
	var parcels, charged, baseline int64
	if err := f.pool.QueryRow(f.ctx, `SELECT count(*), sum(price_fen), sum(baseline_fen) FROM pricing_charges
		WHERE certified AND category = 'farm_produce'
		  AND (charged_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN '2026-03-01' AND '2026-03-31'`).Scan(&parcels, &charged, &baseline); err != nil {
		t.Fatal(err)
	}
	p := sc.PriceReduction
	want := 100 * (1 - float64(charged)/float64(baseline))
	if p.Parcels != parcels || p.ChargedFen != charged || p.BaselineFen != baseline || math.Abs(p.ReductionPct-want) > 0.01 {
		t.Fatalf("price cut %+v, SQL %d parcels %d/%d (%.2f %%)", p, parcels, charged, baseline, want)
	}
	if parcels != 3 || !p.Met || len(p.Carriers) != 2 { // 3500 of 4000: 12.5 %
		t.Fatalf("price cut %+v", p)
	}
}
