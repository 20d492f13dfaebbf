package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/pricing"
)

func TestCertificationAPI(t *testing.T) {
	t.Parallel()
	a, pool := newPricingAPI(t)
	if _, err := pool.Exec(t.Context(), `INSERT INTO merchants (id, name, credit_code, registered_in_county)
		VALUES ('M00003', '漠沙芒果园', '91530427MA000003', true)`); err != nil {
		t.Fatal(err)
	}
	firm := a.token(auth.Merchant, "M00003")
	other := a.token(auth.Merchant, "M00002")
	path := "/v1/merchants/M00003/certification"
	year := map[string]string{"valid_from": "2026-01-01", "valid_until": "2026-12-31"}

	expect(t, a.do("POST", path+"/application", other, nil), http.StatusForbidden)
	w := a.do("POST", path+"/application", firm, map[string]string{"note": "mangoes"})
	expect(t, w, http.StatusCreated)
	if c := decodeBody[pricing.Certificate](t, w); c.State != pricing.Applied || c.CertificateNo != "" {
		t.Fatalf("application %+v", c)
	}
	expect(t, a.do("POST", path, firm, year), http.StatusForbidden)
	w = a.do("POST", path, a.admin, map[string]string{"valid_from": "2026-01-01", "valid_until": "soon"})
	expect(t, w, http.StatusUnprocessableEntity)
	if !strings.Contains(w.Body.String(), `"field":"valid_until"`) {
		t.Fatalf("problem does not name valid_until: %s", w.Body)
	}
	w = a.do("POST", "/v1/merchants/M00002/certification", a.admin, year)
	expect(t, w, http.StatusUnprocessableEntity)
	expect(t, a.do("POST", "/v1/merchants/M09999/certification", a.admin, year), http.StatusNotFound)

	w = a.do("POST", path, a.admin, year)
	expect(t, w, http.StatusCreated)
	cert := decodeBody[pricing.Certificate](t, w)
	if cert.State != pricing.Certified || !strings.HasPrefix(cert.CertificateNo, "TP-530427-") || cert.ValidUntil != "2026-12-31" {
		t.Fatalf("certificate %+v", cert)
	}
	expect(t, a.do("POST", path, a.admin, year), http.StatusConflict)

	// Anyone can check the certificate, without a token.
	w = a.do("GET", "/v1/certifications/"+cert.CertificateNo, "", nil)
	expect(t, w, http.StatusOK)
	if c := decodeBody[pricing.Certificate](t, w); c.MerchantName != "漠沙芒果园" || c.State != pricing.Certified {
		t.Fatalf("public certificate %+v", c)
	}
	// A suspension needs its reason: an empty body or note suspends nothing.
	expect(t, a.do("POST", path+"/suspension", a.admin, nil), http.StatusUnprocessableEntity)
	expect(t, a.do("POST", path+"/suspension", a.admin, map[string]string{"note": " "}), http.StatusUnprocessableEntity)
	if c := decodeBody[pricing.Certificate](t, a.do("GET", "/v1/certifications/"+cert.CertificateNo, "", nil)); c.State != pricing.Certified {
		t.Fatalf("a refused suspension changed the certificate: %+v", c)
	}
	complaint := map[string]string{"note": "price complaint under review"}
	expect(t, a.do("POST", path+"/suspension", a.admin, complaint), http.StatusOK)
	expect(t, a.do("POST", path+"/suspension", a.admin, complaint), http.StatusConflict)
	expect(t, a.do("DELETE", path+"/suspension", a.admin, nil), http.StatusOK)

	w = a.do("DELETE", path, a.admin, map[string]string{"note": "stopped trading"})
	expect(t, w, http.StatusOK)
	if c := decodeBody[pricing.Certificate](t, w); c.State != pricing.Revoked || c.Note != "stopped trading" {
		t.Fatalf("revoked %+v", c)
	}
	expect(t, a.do("DELETE", path, a.admin, nil), http.StatusNotFound)
	w = a.do("GET", "/v1/certifications/"+cert.CertificateNo, "", nil)
	if c := decodeBody[pricing.Certificate](t, w); c.State != pricing.Revoked {
		t.Fatalf("public certificate after revocation %+v", c)
	}
	w = a.do("GET", path, firm, nil)
	expect(t, w, http.StatusOK)
	if h := decodeBody[struct{ Items []pricing.Certificate }](t, w); len(h.Items) != 1 {
		t.Fatalf("history %+v", h)
	}
	expect(t, a.do("GET", path, other, nil), http.StatusForbidden)
	expect(t, a.do("GET", "/v1/merchants/M09999/certification", a.admin, nil), http.StatusNotFound)
}
