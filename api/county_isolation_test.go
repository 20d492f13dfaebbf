package api_test

import (
	"context"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/tenant"
)

// Two counties in one database (issue 18): every operation of
// /openapi.json, sent by county B's admin against the records of county A
// (the authorisation matrix's county, the install's default), either
// answers 403 or 404 where the path names one of A's records, or, for a
// route naming none, shows none of A's rows; no answer is a 5xx. The paths
// are the matrix's own, which name real records of A. Public pages (a GET
// that answers without a token) show the install's own county to anyone
// and are left out. Whatever B's requests answered, none changed a row of
// A's, and a database session without a county sees no row of either.
// countyRecords are records of county A (the install's default) under the
// ids the authorisation matrix's paths use.
const countyRecords = `
	INSERT INTO dispatch_plans (id, service_date, version, time_limit_ms, solve_ms, matrix_source, joint_m, joint_s,
	    joint_vehicles, joint_cost_fen, separate_m, separate_s, separate_vehicles, separate_cost_fen, document)
	    OVERRIDING SYSTEM VALUE VALUES (999999, '2026-06-01', 1, 10, 1, 'haversine', 0, 0, 0, 0, 0, 0, 0, 0,
	    '{"routes": [], "unassigned": [], "separate_by_carrier": [], "hub": {"code": "HUB", "name": "County hub", "location": [101.98, 24.06]}}');
	INSERT INTO plan_jobs (id, service_date, time_limit_ms) OVERRIDING SYSTEM VALUE VALUES (999999, '2026-06-01', 10);
	INSERT INTO kpi_rounds (id, first_month, last_month, budget_fen, created_by)
	    OVERRIDING SYSTEM VALUE VALUES (999999, '2026-01-01', '2026-06-01', 100000, 'matrix');
	INSERT INTO settlement_entries (id, business_date, kind, source, memo)
	    OVERRIDING SYSTEM VALUE VALUES (999999, '2026-06-01', 'station_fee', 'isolation', 'county A');`

func TestCountyIsolation(t *testing.T) {
	t.Parallel()
	a := newMatrixAPI(t)
	doc := openapiDoc(t)
	const other = "530428"
	if tenant.Default() == other {
		t.Skip("TONGPEI_COUNTY is the test's second county")
	}
	secret, _, err := a.deps.Tokens.Create(tenant.With(context.Background(), other), auth.Admin, "", "county B")
	if err != nil {
		t.Fatal(err)
	}
	// The matrix names some records by an id it never made (999999): here
	// they are A's real records, so that B's 404 means something.
	if _, err := a.pool.Exec(context.Background(), countyRecords); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/v1/dispatch/plans/999999", "/v1/dispatch/plan-jobs/999999", "/v1/kpi/rounds/999999", "/v1/settlement/entries/999999"} {
		if w := a.do("GET", path, a.admin, nil); w.Code != http.StatusOK {
			t.Fatalf("county A's admin: GET %s: %d %s", path, w.Code, w.Body.String())
		}
	}
	before := countyRows(t, a.pool, tenant.Default())
	// what A's rows look like in an answer: its parcels, certificate, quote, stations
	marks := []string{"SF0001", "YT0001", a.certNo, a.quote, `"Village A"`, "新平褚橙合作社"}
	concrete := map[string]string{} // "get /v1/x/{id}" → the matrix's path with A's ids
	bodies := map[string]any{}
	for _, r := range authzMatrix(a) {
		key := strings.ToLower(r.method) + " " + matchPath(doc, strings.SplitN(r.path, "?", 2)[0])
		if _, ok := concrete[key]; !ok {
			concrete[key] = r.path
			switch b := r.body.(type) {
			case func() any:
				bodies[key] = b()
			case func(string) any:
				bodies[key] = b("admin")
			default:
				bodies[key] = b
			}
		}
	}
	param := regexp.MustCompile(`\{[^}]+\}`)
	var keys []string
	for tmpl, ops := range doc.Paths {
		for method := range ops {
			switch method {
			case "get", "post", "put", "patch", "delete":
				keys = append(keys, method+" "+tmpl)
			}
		}
	}
	sort.Strings(keys)
	checked := 0
	for _, key := range keys {
		method, tmpl, _ := strings.Cut(key, " ")
		path, ok := concrete[key]
		if !ok {
			if param.MatchString(tmpl) {
				path = param.ReplaceAllString(tmpl, "1") // A's first record of each kind
			} else {
				path = tmpl
			}
		}
		if !strings.HasPrefix(path, "/v1/") || path == "/v1/me" || path == "/v1/session" {
			continue // public pages and the caller's own identity
		}
		if method == "get" && a.do("GET", path, "", nil).Code < 300 {
			continue // a public page: it shows the install's own county to anyone
		}
		w := a.do(strings.ToUpper(method), path, secret, bodies[key])
		checked++
		if w.Code == http.StatusConflict && strings.Contains(path, "/nats-credentials") {
			continue // this test runs with no embedded NATS: nothing to show
		}
		if w.Code >= 500 {
			t.Errorf("%s %s: %d %s", method, path, w.Code, w.Body.String())
			continue
		}
		// A read naming A's record must not find it; a write naming it acts
		// on county B's rows, which may be refused (409, 422) or be a no-op
		// (an idempotent DELETE or PUT of B's own entry).
		if param.MatchString(tmpl) && method == "get" && w.Code != http.StatusForbidden && w.Code != http.StatusNotFound {
			t.Errorf("%s %s names county A's record: county B got %d, want 403 or 404: %.200s", method, path, w.Code, w.Body.String())
		}
		if w.Code < 300 && method == "get" {
			for _, m := range marks {
				if m != "" && strings.Contains(w.Body.String(), m) {
					t.Errorf("%s %s: county B sees county A's %s: %.300s", method, path, m, w.Body.String())
				}
			}
		}
	}
	if checked < 40 {
		t.Fatalf("only %d operations checked", checked)
	}
	// County B's writes, whatever they answered, changed nothing of A's.
	for tb, d := range countyRows(t, a.pool, tenant.Default()) {
		if d != before[tb] {
			t.Errorf("county B's requests changed county A's rows of %s (rows and digest %s, were %s)", tb, d, before[tb])
		}
	}
	// Both counties' rows are there now; a session without a county sees none.
	checkNoCountyNoRows(t, a.pool, 15)
}
