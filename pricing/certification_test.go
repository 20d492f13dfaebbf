package pricing_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/pricing"
)

func TestCertificationLifecycle(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.exec(`INSERT INTO merchants (id, name, credit_code, registered_in_county) VALUES ('M00003', '平甸红糖厂', '91530427MA000003', true)`)
	year := pricing.CertifyRequest{ValidFrom: "2026-06-01", ValidUntil: "2027-05-31"}

	if _, err := f.svc.Certify(ctx, outsiderM, year, "admin"); !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "not registered in the county") {
		t.Fatalf("a firm from outside the county: %v", err)
	}
	if _, err := f.svc.Certify(ctx, unknownM, year, "admin"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("an unknown firm: %v", err)
	}
	if _, err := f.svc.Certify(ctx, certifiedM, year, "admin"); !errs.Is(err, errs.Conflict) {
		t.Fatalf("certifying twice: %v", err)
	}
	_, err := f.svc.Certify(ctx, lapsingM, pricing.CertifyRequest{ValidFrom: "2026-06-01", ValidUntil: "2026-05-01"}, "admin")
	wantInvalid(t, err, "valid_until")
	_, err = f.svc.Certify(ctx, lapsingM, pricing.CertifyRequest{ValidFrom: "June", ValidUntil: "2026-05-01"}, "admin")
	wantInvalid(t, err, "valid_from")

	reason := func() string {
		t.Helper()
		q, err := f.svc.Quote(ctx, pricing.QuoteRequest{MerchantID: lapsingM, WeightG: 1000,
			Destination: pricing.Destination{Province: "云南省"}, Category: pricing.FarmProduce})
		if err != nil {
			t.Fatal(err)
		}
		l := q.Lines[0]
		if l.Certified != strings.HasPrefix(l.Reason, "certified") {
			t.Fatalf("line %+v", l)
		}
		if !l.Certified && l.PriceFen != l.BaselineFen {
			t.Fatalf("a firm without a valid certificate pays %d, not the standard %d", l.PriceFen, l.BaselineFen)
		}
		return l.Reason
	}
	step := func(what string, c *pricing.Certificate, err error, state pricing.CertState, why string) *pricing.Certificate {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if c.State != state {
			t.Fatalf("%s: state %s, want %s", what, c.State, state)
		}
		if r := reason(); !strings.Contains(r, why) {
			t.Fatalf("%s: reason %q, want %q", what, r, why)
		}
		return c
	}
	if r := reason(); !strings.Contains(r, "is not certified") {
		t.Fatalf("reason %q", r)
	}
	c, err := f.svc.Apply(ctx, lapsingM, "oranges and brown sugar")
	step("apply", c, err, pricing.Applied, "has applied")
	c, err = f.svc.Certify(ctx, lapsingM, pricing.CertifyRequest{ValidFrom: "2026-01-01", ValidUntil: "2026-03-31"}, "admin")
	old := step("certify for a past quarter", c, err, pricing.Expired, "lapsed after 2026-03-31")
	c, err = f.svc.Certify(ctx, lapsingM, year, "admin")
	c = step("renew", c, err, pricing.Certified, "certified: certificate "+c.CertificateNo)
	if c.CertificateNo == old.CertificateNo || !strings.HasPrefix(c.CertificateNo, "TP-530427-2026-") {
		t.Fatalf("renewal kept number %s (old %s)", c.CertificateNo, old.CertificateNo)
	}
	c, err = f.svc.Suspend(ctx, lapsingM, "admin", "complaint")
	step("suspend", c, err, pricing.Suspended, "is suspended")
	c, err = f.svc.Reinstate(ctx, lapsingM, "admin", "")
	step("reinstate", c, err, pricing.Certified, "certified")
	c, err = f.svc.Revoke(ctx, lapsingM, "admin", "left the programme")
	step("revoke", c, err, pricing.Revoked, "was revoked")
	if _, err := f.svc.Revoke(ctx, lapsingM, "admin", ""); !errs.Is(err, errs.NotFound) {
		t.Fatalf("revoking twice: %v", err)
	}
	pub, err := f.svc.Certificate(ctx, c.CertificateNo)
	if err != nil || pub.State != pricing.Revoked || pub.MerchantName != "平甸红糖厂" || pub.EndedBy != "admin" {
		t.Fatalf("public record %+v %v", pub, err)
	}
	if pub, err = f.svc.Certificate(ctx, old.CertificateNo); err != nil || pub.State != pricing.Expired {
		t.Fatalf("old certificate %+v %v", pub, err)
	}
	hist, err := f.svc.Certificates(ctx, lapsingM)
	if err != nil || len(hist) != 2 {
		t.Fatalf("history %v %v", hist, err)
	}
}
