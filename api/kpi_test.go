package api_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tongpei/tongpei/api"
	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/kpi"
	"github.com/tongpei/tongpei/pricing"
	"github.com/tongpei/tongpei/stations"
)

// newKPIAPI is the router with the scorecard over a small county.
func newKPIAPI(t *testing.T) *testAPI {
	a := newTestAPI(t)
	if _, err := a.pool.Exec(context.Background(), `
		INSERT INTO stations (code, name, tier, parent, township, lon, lat) VALUES
		    ('HUB', '县中心', 'county_hub', NULL, '', 101.98, 24.06),
		    ('T1', '漠沙镇站', 'township', 'HUB', '漠沙镇', 101.80, 23.88),
		    ('V1', '和平村站', 'village', 'T1', '漠沙镇', 101.8, 23.9)`); err != nil {
		t.Fatal(err)
	}
	cust := stations.NewCustody(a.pool)
	a.deps.Custody = cust
	a.deps.KPI = kpi.NewService(a.pool, a.deps.Registry, cust, pricing.NewService(a.pool), dispatch.NewService(a.pool))
	a.handler = api.New(a.deps)
	return a
}

func TestKPIReportAndUploads(t *testing.T) {
	t.Parallel()
	a := newKPIAPI(t)
	bad := "station,month,sales_fen,source\nV1,2026-01,100,taobao\nV1,2026-02,abc,taobao\n"
	w := a.do("POST", "/v1/kpi/sales?filename=bad.csv", a.admin, bad, "Content-Type", "text/csv")
	expect(t, w, http.StatusUnprocessableEntity)
	if !bytes.Contains(w.Body.Bytes(), []byte(`"rows[3].sales_fen"`)) {
		t.Fatalf("the report does not name row 3's sales_fen: %s", w.Body.String())
	}
	good := "station,month,sales_fen,source\nV1,2026-01,20000000,taobao\n"
	expect(t, a.do("POST", "/v1/kpi/sales?filename=good.csv", a.admin, good, "Content-Type", "text/csv"), http.StatusCreated)
	w = a.do("GET", "/v1/reports/kpi?from=2026-01-01&to=2026-12-31", a.admin, nil)
	expect(t, w, http.StatusOK)
	rep := decodeBody[map[string]any](t, w)
	for _, k := range []string{"stations_by_tier", "hub_tenants", "price_reduction", "joint_delivery_saving"} {
		if _, ok := rep[k]; !ok {
			t.Fatalf("report lacks %s", k)
		}
	}
	tiers := rep["stations_by_tier"].([]any)
	if last := tiers[3].(map[string]any); last["stations"].(float64) != 1 {
		t.Fatalf("tier 4 %v", last)
	}
	w = a.do("GET", "/v1/reports/kpi?from=2026-01-01&to=2026-12-31&format=xlsx", a.admin, nil)
	expect(t, w, http.StatusOK)
	if _, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes())); err != nil {
		t.Fatalf("xlsx: %v", err)
	}
	expect(t, a.do("GET", "/v1/reports/kpi?from=2026-13-01&to=2026-12-31", a.admin, nil), http.StatusUnprocessableEntity)
	expect(t, a.do("GET", "/v1/reports/kpi?from=2026-01-01&to=2026-12-31", a.token(auth.Keeper, "V1"), nil), http.StatusForbidden)
	expect(t, a.do("GET", "/v1/public/reward-notices", "", nil), http.StatusOK)
}

func TestKPICalendarRoundsAndMultipart(t *testing.T) {
	t.Parallel()
	a := newKPIAPI(t)
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("file", "sales.csv")
	fw.Write([]byte("station,month,sales_fen,source\nV1,2026-01,50000000,县商务局统计\n"))
	mw.Close()
	w := a.do("POST", "/v1/kpi/sales", a.admin, form.Bytes(), "Content-Type", mw.FormDataContentType())
	expect(t, w, http.StatusCreated)
	if im := decodeBody[map[string]any](t, w); im["format"] != "csv" || im["filename"] != "sales.csv" {
		t.Fatalf("import %v", im)
	}
	expect(t, a.do("PUT", "/v1/kpi/calendar/2026-11-06", a.admin, map[string]any{"working": false, "name": "县庆"}), http.StatusOK)
	expect(t, a.do("PUT", "/v1/kpi/calendar/2026-11-07", a.admin, map[string]any{"name": "x"}), http.StatusUnprocessableEntity)
	days := decodeBody[map[string][]map[string]any](t, a.do("GET", "/v1/kpi/calendar?year=2026", a.admin, nil))["items"]
	if len(days) < 30 {
		t.Fatalf("2026 calendar has %d days", len(days))
	}
	w = a.do("POST", "/v1/kpi/rounds", a.admin, map[string]any{"first_month": "2026-01"})
	expect(t, w, http.StatusCreated)
	id := itoa(int64(decodeBody[map[string]any](t, w)["id"].(float64)))
	expect(t, a.do("POST", "/v1/kpi/rounds/"+id+"/reviews", a.admin, map[string]any{"station": "V1", "decision": "approve", "reviewer": "张伟"}), http.StatusOK)
	// The county's own holiday moves the notice's end from Fri 6 to Mon 9 Nov.
	w = a.do("POST", "/v1/kpi/rounds/"+id+"/notice", a.admin, map[string]any{"start": "2026-11-02"})
	expect(t, w, http.StatusOK)
	if r := decodeBody[map[string]any](t, w); r["notice_end"] != "2026-11-09" {
		t.Fatalf("notice %v..%v", r["notice_start"], r["notice_end"])
	}
	expect(t, a.do("POST", "/v1/kpi/rounds/"+id+"/notice", a.admin, map[string]any{"start": "2026-11-02"}), http.StatusConflict)
	expect(t, a.do("GET", "/v1/kpi/rounds/999", a.admin, nil), http.StatusNotFound)
	expect(t, a.do("GET", "/v1/kpi/rounds/abc", a.admin, nil), http.StatusNotFound)
	log := decodeBody[map[string][]map[string]any](t, a.do("GET", "/v1/kpi/audit", a.admin, nil))["items"]
	if len(log) != 5 { // import, calendar, open, review, notice
		t.Fatalf("audit log %d entries: %v", len(log), log)
	}
}
