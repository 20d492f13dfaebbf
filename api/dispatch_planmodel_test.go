package api_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/tongpei/tongpei/api"
	"github.com/tongpei/tongpei/dispatch"
)

// TestPlanModelOverHTTP: a plan request's balance and ev_range_km reach
// the job and the plan; an unknown balance, a negative range (of a plan or
// of a van) answer 422 naming the field, queue nothing and change no van;
// PATCH sets a van's own range.
func TestPlanModelOverHTTP(t *testing.T) {
	t.Parallel()
	a, pool := newDispatchAPI(t)
	smallDay(t, a, pool)
	for _, tt := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"service_date": "2026-12-01", "balance": "fair"}, "balance"},
		{map[string]any{"service_date": "2026-12-01", "ev_range_km": -1}, "ev_range_km"},
		{map[string]any{"service_date": "2026-12-01", "balance": 3}, ""},
	} {
		w := a.do("POST", "/v1/dispatch/plans", a.admin, tt.body)
		expect(t, w, http.StatusUnprocessableEntity)
		if tt.field != "" && !problemNames(decodeBody[api.Problem](t, w), tt.field) {
			t.Errorf("%v: problem %s does not name %s", tt.body, w.Body.String(), tt.field)
		}
	}
	plate := url.PathEscape("云F12345")
	for _, body := range []map[string]any{{"range_km": -5}, {"range_km": 2001}, {}, {"range_km": "far"}} {
		expect(t, a.do("PATCH", "/v1/fleet/vehicles/"+plate, a.admin, body), http.StatusUnprocessableEntity)
	}
	expect(t, a.do("PATCH", "/v1/fleet/vehicles/"+url.PathEscape("云F99999"), a.admin, map[string]any{"range_km": 100}), http.StatusNotFound)
	expect(t, a.do("POST", "/v1/fleet/vehicles", a.admin, map[string]any{"plate": "云F77777", "type": "minivan", "operator": "XPJD", "range_km": -1}), http.StatusUnprocessableEntity)
	var jobs, ranged, vans int
	if err := pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM plan_jobs), (SELECT count(*) FROM vehicles WHERE range_km <> 0),
		(SELECT count(*) FROM vehicles)`).Scan(&jobs, &ranged, &vans); err != nil || jobs != 0 || ranged != 0 || vans != 2 {
		t.Fatalf("after refusals: %d jobs, %d vans with a range, %d vans (%v)", jobs, ranged, vans, err)
	}

	w := a.do("PATCH", "/v1/fleet/vehicles/"+plate, a.admin, map[string]any{"range_km": 40})
	expect(t, w, http.StatusOK)
	if v := decodeBody[dispatch.Vehicle](t, w); v.RangeKm != 40 || v.Plate != "云F12345" {
		t.Errorf("patched van %+v", v)
	}
	plan := planDay(t, a, map[string]any{"service_date": "2026-12-01", "time_limit": "1s", "balance": "spread", "max_trips": 1})
	if plan.Balance != dispatch.BalanceSpread || plan.Longest.DurationS == 0 {
		t.Errorf("plan balance %q longest %+v", plan.Balance, plan.Longest)
	}
	for _, r := range plan.Routes {
		if r.Vehicle == "云F12345" && (r.RangeM != 40_000 || r.DistanceM > r.RangeM) {
			t.Errorf("route %d of the 40 km van: %d m of range %d m", r.Number, r.DistanceM, r.RangeM)
		}
	}
	w = a.do("GET", "/v1/dispatch/plan-jobs", a.admin, nil)
	expect(t, w, http.StatusOK)
	if l := decodeBody[struct{ Items []dispatch.PlanJob }](t, w); len(l.Items) != 1 || l.Items[0].Balance != dispatch.BalanceSpread {
		t.Errorf("jobs %+v", l.Items)
	}
}

// problemNames reports whether a problem lists field among its fields.
func problemNames(p api.Problem, field string) bool {
	for _, f := range p.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}
