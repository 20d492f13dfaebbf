package pricing_test

import (
	"context"
	"testing"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/tenant"
	"github.com/tongpei/tongpei/pricing"
)

// Each county quotes from its own snapshot (issue 18): a firm certified in
// county A is quoted the standard price in county B, whose rows do not hold
// it, and a change in B reloads B's snapshot alone.
func TestSnapshotPerCounty(t *testing.T) {
	t.Parallel()
	f := newFixture(t) // county A, the install's own: M00001 certified
	const countyB = "530428"
	if tenant.Default() == countyB {
		t.Skip("TONGPEI_COUNTY is the test's second county")
	}
	a, b := tenant.With(context.Background(), tenant.Default()), tenant.With(context.Background(), countyB)
	if _, err := tenant.NewRegistry(f.pool).Add(context.Background(), countyB, "B"); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`INSERT INTO carriers (code, name, kind) VALUES ('sf', '顺丰速运', 'express')`,
		`INSERT INTO merchants (id, name, credit_code, registered_in_county) VALUES ('M00101', '戛洒糖厂', '91530428MA000101', true)`,
	} {
		if _, err := f.pool.Exec(b, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	snapA, err := f.svc.Snapshot(a)
	if err != nil {
		t.Fatal(err)
	}
	if err := pricing.LoadDemo(b, f.svc); err != nil {
		t.Fatalf("LoadDemo in B: %v", err)
	}
	if again, err := f.svc.Snapshot(a); err != nil || again != snapA {
		t.Fatalf("reloading B replaced A's snapshot (%v)", err)
	}
	snapB, err := f.svc.Snapshot(b)
	if err != nil {
		t.Fatal(err)
	}
	if snapA.County != tenant.Default() || snapB.County != countyB {
		t.Fatalf("snapshots of %s and %s", snapA.County, snapB.County)
	}
	if len(snapB.Certificates("M00101")) == 0 || len(snapA.Certificates("M00101")) != 0 || snapA.KnowsMerchant("M00101") {
		t.Fatal("B's firm M00101 is certified in B's snapshot only")
	}
	if len(snapA.Certificates(certifiedM)) == 0 || len(snapB.Certificates(certifiedM)) != 0 || snapB.KnowsMerchant(certifiedM) {
		t.Fatalf("certificates of %s: A %d, B %d; want A's only", certifiedM,
			len(snapA.Certificates(certifiedM)), len(snapB.Certificates(certifiedM)))
	}
	if _, ok := snapB.Carrier("yto"); ok {
		t.Fatal("B's snapshot holds A's carrier yto")
	}
	req := pricing.QuoteRequest{MerchantID: certifiedM, WeightG: 1000,
		Destination: pricing.Destination{Province: "云南省"}, Category: pricing.FarmProduce}
	for _, c := range []struct {
		ctx       context.Context
		county    string
		carriers  int
		certified bool
	}{{a, "A", len(expressCarriers), true}, {b, "B", 1, false}} {
		q, err := f.svc.Quote(c.ctx, req)
		if err != nil {
			t.Fatalf("quote in %s: %v", c.county, err)
		}
		if len(q.Lines) != c.carriers {
			t.Fatalf("quote in %s: %d lines, want %d: %+v", c.county, len(q.Lines), c.carriers, q.Lines)
		}
		for _, l := range q.Lines {
			if l.Certified != c.certified {
				t.Fatalf("quote in %s: %s certified %v, want %v (%s)", c.county, l.Carrier, l.Certified, c.certified, l.Reason)
			}
		}
		if _, err := f.svc.GetQuote(c.ctx, q.ID); err != nil {
			t.Fatalf("quote %s read back in %s: %v", q.ID, c.county, err)
		}
		other := map[string]context.Context{"A": b, "B": a}[c.county]
		if _, err := f.svc.GetQuote(other, q.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("quote of %s read in the other county: %v, want not found", c.county, err)
		}
	}
	if _, err := f.svc.Snapshot(tenant.WithProvince(context.Background())); !errs.Is(err, errs.Invalid) {
		t.Fatalf("a province-wide snapshot: %v, want invalid (name the county)", err)
	}
}
