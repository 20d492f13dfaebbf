package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/tongpei/tongpei/api"
	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
	"github.com/tongpei/tongpei/internal/tenant"
	"github.com/tongpei/tongpei/kpi"
	"github.com/tongpei/tongpei/pricing"
	"github.com/tongpei/tongpei/settlement"
	"github.com/tongpei/tongpei/stations"
)

// The callers of the authorisation matrix, in the order of its columns.
var matrixRoles = []string{"admin", "keeperA", "keeperB", "carrierX", "carrierY", "merchantM", "merchantN", "none", "revoked"}

// matrixCounty is the county the matrix runs in: hub HUB, township T1,
// villages A and B under it; carriers X = SF and Y = YTO (DBL too, for the
// demonstration tariff); merchants M = M00001 (certified) and N = M00002;
// a down parcel of X for A and one of Y for B; a quote of M.
const matrixCounty = `
	INSERT INTO stations (code, name, tier, parent, township, lon, lat) VALUES
	    ('HUB', 'County hub', 'county_hub', NULL, '', 101.98, 24.06),
	    ('T1', 'Township 1', 'township', 'HUB', 'T1', 101.80, 23.88),
	    ('A', 'Village A', 'village', 'T1', 'T1', 101.82, 23.90),
	    ('B', 'Village B', 'village', 'T1', 'T1', 101.83, 23.91);
	INSERT INTO carriers (code, name, kind) VALUES ('SF', '顺丰速运', 'express'), ('YTO', '圆通速递', 'express'), ('DBL', '德邦物流', 'bulk');
	INSERT INTO merchants (id, name, credit_code, registered_in_county) VALUES
	    ('M00001', '新平褚橙合作社', '91530427MA6K000001', true), ('M00002', '昆明果品贸易', '91530100MA6K000002', false);`

type matrixAPI struct {
	*testAPI
	tokens map[string]string
	certNo string
	quote  string
}

func newMatrixAPI(t *testing.T) *matrixAPI {
	t.Helper()
	pool := pgtest.Pool(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, matrixCounty); err != nil {
		t.Fatal(err)
	}
	svc := pricing.NewService(pool)
	if err := pricing.LoadDemo(ctx, svc); err != nil {
		t.Fatal(err)
	}
	store := dispatch.NewService(pool)
	deps := api.Deps{Tokens: auth.NewStore(pool), Registry: stations.NewRegistry(pool), Custody: stations.NewCustody(pool),
		Dispatch: store, Plans: dispatch.NewPlanQueue(store, 1), Pricing: svc, Counties: tenant.NewRegistry(pool),
		Ready: func(ctx context.Context) error { return pool.Ping(ctx) }}
	deps.Settlement = settlement.NewLedger(pool, store, deps.Custody)
	deps.KPI = kpi.NewService(pool, deps.Registry, deps.Custody, svc, store)
	a := &matrixAPI{testAPI: &testAPI{t: t, handler: api.New(deps), deps: deps, pool: pool}, tokens: map[string]string{}}
	a.admin = a.token(auth.Admin, "")
	a.tokens["admin"] = a.admin
	a.tokens["keeperA"], a.tokens["keeperB"] = a.token(auth.Keeper, "A"), a.token(auth.Keeper, "B")
	a.tokens["carrierX"], a.tokens["carrierY"] = a.token(auth.Carrier, "SF"), a.token(auth.Carrier, "YTO")
	a.tokens["merchantM"], a.tokens["merchantN"] = a.token(auth.Merchant, "M00001"), a.token(auth.Merchant, "M00002")
	secret, tok, err := deps.Tokens.Create(ctx, auth.Keeper, "A", "revoked")
	if err != nil {
		t.Fatal(err)
	}
	if err := deps.Tokens.Revoke(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	a.tokens["revoked"] = secret

	for _, p := range []struct{ carrier, tn, station string }{{"SF", "SF0001", "A"}, {"YTO", "YT0001", "B"}} {
		body := downJSON(p.tn, p.station, "13812345678")
		body["carrier"] = p.carrier
		expect(t, a.do("POST", "/v1/parcels", a.admin, body), http.StatusCreated)
	}
	a.do("POST", "/v1/merchants/M00001/certification", a.admin, map[string]string{"valid_from": "2026-01-01", "valid_until": "2099-12-31"})
	w := a.do("GET", "/v1/merchants/M00001/certification", a.admin, nil)
	expect(t, w, http.StatusOK)
	certs := decodeBody[struct{ Items []pricing.Certificate }](t, w).Items
	if len(certs) == 0 {
		t.Fatal("merchant M has no certificate")
	}
	a.certNo = certs[0].CertificateNo
	w = a.do("POST", "/v1/pricing/quotes", a.tokens["merchantM"], map[string]any{"weight_g": 2000, "destination": map[string]any{"province": "广东"}, "category": "farm_produce"})
	expect(t, w, http.StatusCreated)
	a.quote = decodeBody[quoteAnswer](t, w).QuoteID
	return a
}

// matrixRow is one route: a request, and the status each caller gets, in
// the order of matrixRoles.
type matrixRow struct {
	method, path string
	body         any
	want         string
	// results are, for POST /v1/scans, the code (or status) of the scan's
	// result per caller that got 200, "-" for the others: the custody
	// rule is decided per scan, inside a 200.
	results string
}

// authzMatrix is the read and write policy of docs/authorization.md, route
// by route. Rows run in order against one county, each caller in the
// order of the columns, so a row's writes are made (by the first caller
// allowed) before the next row.
func authzMatrix(a *matrixAPI) []matrixRow {
	station := map[string]any{"code": "XP-V-0499", "name": "测试村", "tier": "village", "parent": "T1",
		"location": map[string]any{"lon": 101.81, "lat": 23.9}}
	// A keeper leaves the station out (its token's is used); the others name A.
	scan := func(role string) any {
		s := scanJSON("SF0001", "problem", "A")
		if strings.HasPrefix(role, "keeper") {
			delete(s, "station")
		}
		return s
	}
	parcel := func() any {
		p := downJSON("SF"+strconv.Itoa(rand.IntN(1e8)), "A", "13812345678")
		p["carrier"] = "SF"
		return p
	}
	quote := map[string]any{"weight_g": 2000, "destination": map[string]any{"province": "广东"}, "category": "farm_produce"}
	card := map[string]any{"cells": pricing.DemoCard("SF", pricing.DemoBands()).Cells}
	vtype := map[string]any{"code": "minivan", "name": "五菱微型面包车", "capacity_kg": 1000, "capacity_l": 5000,
		"capacity_parcels": 200, "fixed_cost_fen": 10000, "cost_per_km_fen": 150, "shift": map[string]string{"start": "08:00", "end": "18:00"}}
	note := map[string]string{"note": "matrix"}
	return []matrixRow{
		// Who the caller is, tokens, sessions, sign-in links.
		{"GET", "/v1/me", nil, "200 200 200 200 200 200 200 401 401", ""},
		{"GET", "/v1/counties", nil, "200 403 403 403 403 403 403 401 401", ""},
		{"POST", "/v1/counties", map[string]string{"code": "530499", "name": "m"}, "403 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/tokens", nil, "200 403 403 403 403 403 403 401 401", ""},
		{"POST", "/v1/tokens", map[string]string{"role": "keeper", "scope": "A", "name": "m"}, "201 403 403 403 403 403 403 401 401", ""},
		{"DELETE", "/v1/tokens/999999", nil, "404 403 403 403 403 403 403 401 401", ""},
		{"POST", "/v1/login-links", map[string]string{"role": "keeper", "scope": "A"}, "201 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/session", nil, "200 200 200 200 200 200 200 401 401", ""},
		{"DELETE", "/v1/session", nil, "422 422 422 422 422 422 422 401 401", ""},
		{"POST", "/v1/sessions", map[string]string{"token": "no-such-link"}, "403 403 403 403 403 403 403 403 403", ""},
		{"GET", "/v1/qr?text=hello", nil, "200 200 200 200 200 200 200 401 401", ""},
		{"GET", "/v1/barcode?text=SF1234567890", nil, "200 200 200 200 200 200 200 401 401", ""},

		// The registry.
		{"GET", "/v1/stations", nil, "200 200 200 200 200 200 200 401 401", ""},
		{"POST", "/v1/stations", station, "201 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/stations/A", nil, "200 200 200 200 200 200 200 401 401", ""},
		{"PATCH", "/v1/stations/A", map[string]string{"name": "Village A"}, "200 403 403 403 403 403 403 401 401", ""},
		{"DELETE", "/v1/stations/XP-V-0499", nil, "200 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/stations/A/parcels", nil, "200 200 403 200 200 403 403 401 401", ""},
		{"GET", "/v1/stations/A/summary", nil, "200 200 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/carriers", nil, "200 200 200 200 200 200 200 401 401", ""},
		{"POST", "/v1/carriers", map[string]string{"code": "ZTO", "name": "中通快递", "kind": "express"}, "201 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/carriers/SF", nil, "200 200 200 200 200 200 200 401 401", ""},
		{"PATCH", "/v1/carriers/SF", map[string]string{"name": "顺丰速运"}, "200 403 403 403 403 403 403 401 401", ""},
		{"DELETE", "/v1/carriers/ZTO", nil, "200 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/carriers/SF/nats-credentials", nil, "409 403 403 409 403 403 403 401 401", ""},
		{"POST", "/v1/carriers/SF/nats-credentials", map[string]string{"name": "m"}, "409 403 403 409 403 403 403 401 401", ""},
		{"DELETE", "/v1/carriers/SF/nats-credentials/1", nil, "409 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/merchants", nil, "200 403 403 403 403 200 200 401 401", ""},
		{"POST", "/v1/merchants", map[string]any{"id": "M00009", "name": "测试商户", "credit_code": "91530427MA6K000009", "registered_in_county": true}, "422 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/merchants/M00001", nil, "200 403 403 403 403 200 403 401 401", ""},
		{"PATCH", "/v1/merchants/M00001", map[string]string{"name": "新平褚橙合作社"}, "422 403 403 403 403 403 403 401 401", ""},
		{"DELETE", "/v1/merchants/M00009", nil, "404 403 403 403 403 403 403 401 401", ""},

		// Custody.
		{"POST", "/v1/parcels", func() any { return parcel() }, "201 403 403 201 403 403 403 401 401", ""},
		{"GET", "/v1/parcels/SF/SF0001", nil, "200 200 404 200 403 404 404 401 401", ""},
		{"POST", "/v1/scans", scan, "200 200 200 200 200 403 403 401 401",
			// The admin marks SF0001 (bound for A) a problem; A's keeper and
			// carrier X may scan it (a second problem does not follow); B's
			// keeper is told it does not exist, carrier Y that it is not its.
			"accepted transition_not_allowed unknown_parcel transition_not_allowed forbidden_carrier - - - -"},

		// Prices: the public page, the tariff, rate cards, quotes, charges.
		{"GET", "/v1/pricing/zones", nil, "200 200 200 200 200 200 200 200 200", ""},
		{"PUT", "/v1/pricing/zones", map[string]any{}, "422 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/pricing/baseline?carrier=SF", nil, "200 200 200 200 200 200 200 200 200", ""},
		{"PUT", "/v1/pricing/baseline", map[string]any{}, "422 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/pricing/bands", nil, "200 200 200 200 200 200 200 200 200", ""},
		{"PUT", "/v1/pricing/bands", map[string]any{}, "422 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/pricing/board", nil, "200 200 200 200 200 200 200 200 200", ""},
		{"GET", "/v1/pricing/certified-firms", nil, "200 200 200 200 200 200 200 200 200", ""},
		{"GET", "/v1/pricing/price-check?weight_g=2000&province=440000", nil, "200 200 200 200 200 200 200 200 200", ""},
		{"GET", "/v1/pricing/carriers/SF/rate-cards", nil, "200 200 200 200 200 200 200 200 200", ""},
		{"POST", "/v1/pricing/carriers/SF/rate-cards", card, "201 403 403 201 403 403 403 401 401", ""},
		{"POST", "/v1/pricing/quotes", quote, "201 201 201 403 403 201 201 401 401", ""},
		{"GET", "/v1/pricing/quotes/" + a.quote, nil, "200 200 200 403 403 200 403 401 401", ""},
		{"POST", "/v1/pricing/charges", map[string]any{}, "422 422 422 403 403 403 403 401 401", ""},
		{"GET", "/v1/certifications/" + a.certNo, nil, "200 200 200 200 200 200 200 200 200", ""},
		{"GET", "/v1/merchants/M00001/certification", nil, "200 403 403 403 403 200 403 401 401", ""},
		{"POST", "/v1/merchants/M00002/certification/application", note, "422 403 403 403 403 403 422 401 401", ""},
		{"POST", "/v1/merchants/M00001/certification/suspension", note, "200 403 403 403 403 403 403 401 401", ""},
		{"DELETE", "/v1/merchants/M00001/certification/suspension", nil, "200 403 403 403 403 403 403 401 401", ""},
		{"DELETE", "/v1/merchants/M00002/certification", nil, "404 403 403 403 403 403 403 401 401", ""},
		{"POST", "/v1/merchants/M00002/certification", map[string]string{"valid_from": "2026-01-01", "valid_until": "2026-12-31"}, "422 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/reports/price-reduction?from=2026-01-01&to=2026-12-31", nil, "200 403 403 403 403 403 403 401 401", ""},

		// Dispatch: fleet, road network, plans, jobs.
		{"GET", "/v1/fleet/operators", nil, "200 403 403 403 403 403 403 401 401", ""},
		{"POST", "/v1/fleet/operators", map[string]string{"code": "xpjd", "name": "新平县共同配送有限公司"}, "201 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/fleet/vehicle-types", nil, "200 403 403 403 403 403 403 401 401", ""},
		{"POST", "/v1/fleet/vehicle-types", vtype, "201 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/fleet/vehicles", nil, "200 403 403 403 403 403 403 401 401", ""},
		{"POST", "/v1/fleet/vehicles", map[string]string{"plate": "云F12345", "type": "minivan", "operator": "xpjd"}, "201 403 403 403 403 403 403 401 401", ""},
		{"PATCH", "/v1/fleet/vehicles/云F12345", map[string]any{"range_km": 230}, "200 403 403 403 403 403 403 401 401", ""},
		{"DELETE", "/v1/fleet/vehicles/云F12345", nil, "204 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/road-network", nil, "404 403 403 403 403 403 403 401 401", ""},
		{"POST", "/v1/road-network", map[string]any{"type": "FeatureCollection", "features": []any{}}, "422 403 403 403 403 403 403 401 401", ""},
		{"POST", "/v1/road-network/matrix", map[string]any{}, "422 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/road-network/features", nil, "404 403 403 403 403 403 403 401 401", ""},
		{"POST", "/v1/optimize?time_limit=10ms", map[string]any{"vehicles": []any{}, "jobs": []any{}}, "422 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/dispatch/plans", nil, "200 403 403 403 403 403 403 401 401", ""},
		{"POST", "/v1/dispatch/plans", map[string]any{"service_date": "2026-06-01", "time_limit": "10ms"}, "422 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/dispatch/plans/999999", nil, "404 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/dispatch/plans/999999/sheets/1", nil, "404 403 403 403 403 403 403 401 401", ""},
		{"POST", "/v1/dispatch/plans/999999/publish", nil, "404 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/dispatch/plan-jobs", nil, "200 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/dispatch/plan-jobs/999999", nil, "404 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/dispatch/plan-jobs/999999/events", nil, "404 403 403 403 403 403 403 401 401", ""},
		{"DELETE", "/v1/dispatch/plan-jobs/999999", nil, "404 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/dispatch/day-board", nil, "200 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/dispatch/jobs", nil, "200 403 403 200 200 403 403 401 401", ""},
		{"POST", "/v1/dispatch/jobs/6f1c1f9e-0000-4000-8000-000000000000/ack", nil, "404 403 403 404 404 403 403 401 401", ""},
		{"GET", "/v1/reports/joint-delivery?from=2026-01-01&to=2026-12-31", nil, "200 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/parcels", nil, "200 403 403 200 200 200 200 401 401", ""},
		{"GET", "/v1/dispatch/plans/999999/progress", nil, "404 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/dispatch/plans/999999/progress/events", nil, "404 403 403 403 403 403 403 401 401", ""},

		// Who pays for the joint fleet: cost shares and the ledger.
		{"GET", "/v1/dispatch/plans/999999/cost-shares", nil, "404 403 403 404 404 403 403 401 401", ""},
		{"GET", "/v1/settlement/balances", nil, "200 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/settlement/statements", nil, "200 200 200 200 200 403 403 401 401", ""},
		{"GET", "/v1/settlement/entries/999999", nil, "404 403 403 403 403 403 403 401 401", ""},
		{"POST", "/v1/settlement/entries/999999/reverse", note, "422 403 403 403 403 403 403 401 401", ""},
		{"POST", "/v1/settlement/postings", map[string]any{}, "422 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/settlement/fee-rates", nil, "200 403 403 403 403 403 403 401 401", ""},
		{"PUT", "/v1/settlement/fee-rates", map[string]any{}, "422 403 403 403 403 403 403 401 401", ""},

		// The plan's scorecard: volumes, rewards, review, notice.
		{"GET", "/v1/reports/kpi?from=2026-01-01&to=2026-12-31", nil, "200 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/kpi/volumes?from=2026-01&to=2026-12", nil, "422 403 403 403 403 403 403 401 401", ""},
		{"POST", "/v1/kpi/sales", map[string]any{}, "422 403 403 403 403 403 403 401 401", ""},
		{"POST", "/v1/kpi/rounds", map[string]any{}, "422 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/kpi/rounds", nil, "200 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/kpi/rounds/999999", nil, "404 403 403 403 403 403 403 401 401", ""},
		{"POST", "/v1/kpi/rounds/999999/reviews", map[string]any{}, "422 403 403 403 403 403 403 401 401", ""},
		{"POST", "/v1/kpi/rounds/999999/notice", map[string]any{}, "422 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/kpi/audit", nil, "200 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/kpi/calendar?year=2026", nil, "200 403 403 403 403 403 403 401 401", ""},
		{"PUT", "/v1/kpi/calendar/2026-10-09", map[string]any{"working": true, "note": "matrix"}, "422 403 403 403 403 403 403 401 401", ""},
		{"DELETE", "/v1/kpi/calendar/2026-10-09", nil, "204 403 403 403 403 403 403 401 401", ""},
		{"GET", "/v1/public/reward-notices", nil, "200 200 200 200 200 200 200 200 200", ""},
	}
}

func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	a := newMatrixAPI(t)
	doc := openapiDoc(t)
	rows := authzMatrix(a)
	covered := map[string]bool{}
	var got []string
	for _, r := range rows {
		tmpl := matchPath(doc, strings.SplitN(r.path, "?", 2)[0])
		key := strings.ToLower(r.method) + " " + tmpl
		if _, ok := doc.Paths[tmpl][strings.ToLower(r.method)]; !ok {
			t.Errorf("matrix row %s %s names no operation of the OpenAPI document", r.method, r.path)
		}
		covered[key] = true
		var statuses, results []string
		for _, role := range matrixRoles {
			body := r.body
			switch f := body.(type) {
			case func() any:
				body = f()
			case func(string) any:
				body = f(role)
			}
			w := a.do(r.method, r.path, a.tokens[role], body)
			statuses = append(statuses, strconv.Itoa(w.Code))
			results = append(results, scanOutcome(t, r.path, w))
		}
		line := strings.Join(statuses, " ")
		if r.results != "" && strings.Join(results, " ") != r.results {
			t.Errorf("%s %s results\n   got  %s\n   want %s", r.method, r.path, strings.Join(results, " "), r.results)
		}
		checkSecurity(t, doc, r, tmpl, statuses)
		got = append(got, fmt.Sprintf("{%q, %q, nil, %q},", r.method, r.path, line))
		if line != r.want {
			t.Errorf("%s %s\n   got  %s\n   want %s\n   (columns %s)", r.method, r.path, line, r.want, strings.Join(matrixRoles, " "))
		}
	}
	var missing []string
	for path, ops := range doc.Paths {
		for method := range ops {
			switch method {
			case "get", "post", "put", "patch", "delete":
				if !covered[method+" "+path] {
					missing = append(missing, strings.ToUpper(method)+" "+path)
				}
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("routes of the OpenAPI document missing from the authorisation matrix (add a row, and the policy to docs/authorization.md):\n  %s", strings.Join(missing, "\n  "))
	}
	if os.Getenv("TONGPEI_MATRIX_PRINT") != "" {
		t.Logf("matrix as answered:\n%s", strings.Join(got, "\n"))
	}
}

// scanOutcome is the code (or status) of a 200 answer's only scan result.
func scanOutcome(t *testing.T, path string, w *httptest.ResponseRecorder) string {
	if path != "/v1/scans" || w.Code != http.StatusOK {
		return "-"
	}
	r := decodeBody[scanResults](t, w).Results
	if len(r) != 1 {
		return "?"
	}
	if r[0].Code != "" {
		return r[0].Code
	}
	return r[0].Status
}

// checkSecurity holds the matrix to the OpenAPI document: a route marked
// public (security: []) answers callers without a token as it answers
// anyone, and every other route answers them, and revoked tokens, 401.
func checkSecurity(t *testing.T, doc openapiDocument, r matrixRow, tmpl string, statuses []string) {
	t.Helper()
	var op struct {
		Security *[]any `json:"security"`
	}
	_ = json.Unmarshal(doc.Paths[tmpl][strings.ToLower(r.method)], &op)
	public := op.Security != nil && len(*op.Security) == 0
	none, revoked := statuses[len(statuses)-2], statuses[len(statuses)-1]
	switch {
	case public && (none == "401" || revoked == "401"):
		t.Errorf("%s %s is public in the OpenAPI document but answers %s without a token and %s with a revoked one", r.method, tmpl, none, revoked)
	case !public && (none != "401" || revoked != "401"):
		t.Errorf("%s %s needs a token in the OpenAPI document but answers %s without one and %s with a revoked one", r.method, tmpl, none, revoked)
	}
}
