package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/auth"
)

// smallDay is a hub, six villages, two carriers, a van and 40 parcels.
func smallDay(t *testing.T, a *testAPI, pool *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	addStation(t, pool, "HUB", "county_hub", 101.989, 24.069)
	for i := range 6 {
		addStation(t, pool, fmt.Sprintf("V%d", i+1), "village", 101.9+0.03*float64(i), 24.1+0.02*float64(i%3))
	}
	for _, c := range []string{"ZTO", "YTO"} {
		if _, err := pool.Exec(ctx, `INSERT INTO carriers (code, name, kind) VALUES ($1, $1, 'express')`, c); err != nil {
			t.Fatal(err)
		}
	}
	expect(t, a.do("POST", "/v1/fleet/operators", a.admin, map[string]any{"code": "XPJD", "name": "共同配送"}), http.StatusCreated)
	expect(t, a.do("POST", "/v1/fleet/vehicle-types", a.admin, map[string]any{"code": "minivan", "name": "van", "capacity_kg": 1000,
		"capacity_l": 5000, "capacity_parcels": 300, "fixed_cost_fen": 25000, "cost_per_km_fen": 120,
		"shift": map[string]string{"start": "07:00", "end": "19:00"}}), http.StatusCreated)
	expect(t, a.do("POST", "/v1/fleet/vehicles", a.admin, map[string]any{"plate": "云F12345", "type": "minivan", "operator": "XPJD"}), http.StatusCreated)
	expect(t, a.do("POST", "/v1/fleet/vehicles", a.admin, map[string]any{"plate": "云F12346", "type": "minivan", "operator": "XPJD"}), http.StatusCreated)
	for i := range 40 {
		dir, state := "down", "hub_inbound"
		if i%5 == 0 {
			dir, state = "up", "accepted"
		}
		carrier := []string{"ZTO", "YTO"}[i%2]
		if _, err := pool.Exec(ctx, `INSERT INTO parcels (carrier, tracking_no, direction, station, state, weight_g, size_l, size_w, size_h)
			VALUES ($1, $2, $3, $4, $5, 1500, 30, 20, 10)`, carrier, fmt.Sprintf("T%06d", i), dir, fmt.Sprintf("V%d", i%6+1), state); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDispatchPlanPublishAck(t *testing.T) {
	t.Parallel()
	a, pool := newDispatchAPI(t)
	smallDay(t, a, pool)
	expect(t, a.do("POST", "/v1/dispatch/plans", a.admin, map[string]any{"service_date": "2026-12-01", "time_limit": "forever"}), http.StatusUnprocessableEntity)
	plan := planDay(t, a, map[string]any{"service_date": "2026-12-01", "time_limit": 0.3})
	if len(plan.Routes) == 0 || plan.Joint.Parcels != 40 || plan.SavingPct <= 0 {
		t.Fatalf("plan: %d routes, %d parcels, saving %.1f %%", len(plan.Routes), plan.Joint.Parcels, plan.SavingPct)
	}
	id := itoa(plan.ID)
	expect(t, a.do("GET", "/v1/dispatch/plans/"+id, a.admin, nil), http.StatusOK)
	expect(t, a.do("GET", "/v1/dispatch/plans/999999", a.admin, nil), http.StatusNotFound)
	expect(t, a.do("GET", "/v1/dispatch/plans?date=2026-12-01", a.admin, nil), http.StatusOK)

	// GeoJSON: every route a LineString from the hub back to the hub.
	w := a.do("GET", "/v1/dispatch/plans/"+id+"?format=geojson", a.admin, nil)
	expect(t, w, http.StatusOK)
	fc := decodeBody[struct {
		Features []struct {
			Geometry struct {
				Type        string
				Coordinates any
			}
			Properties map[string]any
		}
	}](t, w)
	routes := 0
	for _, f := range fc.Features {
		if f.Properties["kind"] != "route" {
			continue
		}
		routes++
		cs, _ := f.Geometry.Coordinates.([]any)
		if f.Geometry.Type != "LineString" || len(cs) < 3 || fmt.Sprint(cs[0]) != "[101.989 24.069]" || fmt.Sprint(cs[len(cs)-1]) != "[101.989 24.069]" {
			t.Errorf("route feature %v does not start and end at the hub", f.Geometry)
		}
	}
	if routes != len(plan.Routes) {
		t.Errorf("%d route features for %d routes", routes, len(plan.Routes))
	}
	w = a.do("GET", "/v1/dispatch/plans/"+id, a.admin, nil, "Accept", "application/geo+json")
	if ct := w.Header().Get("Content-Type"); ct != "application/geo+json" {
		t.Errorf("Accept: application/geo+json answered %s", ct)
	}

	// Route sheets are not JSON: read them past the schema check.
	for _, format := range []string{"", "?format=html"} {
		req := httptest.NewRequest("GET", "/v1/dispatch/plans/"+id+"/sheets/1"+format, nil)
		req.Header.Set("Authorization", "Bearer "+a.admin)
		rec := httptest.NewRecorder()
		a.handler.ServeHTTP(rec, req)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), plan.Routes[0].Stops[0].Station.KeeperPhone) {
			t.Errorf("sheet%s: %d %s", format, rec.Code, rec.Body.String())
		}
	}
	expect(t, a.do("GET", "/v1/dispatch/plans/"+id+"/sheets/99", a.admin, nil), http.StatusNotFound)

	// Publish: route jobs for the operator, pickup jobs for each carrier.
	w = a.do("POST", "/v1/dispatch/plans/"+id+"/publish", a.admin, nil)
	expect(t, w, http.StatusOK)
	jobs := decodeBody[struct{ Items []dispatch.Job }](t, w).Items
	kinds := map[string]int{}
	for _, j := range jobs {
		kinds[j.Kind+":"+j.Recipient]++
	}
	if kinds["pickup:ZTO"] != 1 || kinds["pickup:YTO"] != 1 || kinds["route:XPJD"] != len(plan.Routes) {
		t.Fatalf("jobs %v", kinds)
	}
	expect(t, a.do("POST", "/v1/dispatch/plans/"+id+"/publish", a.admin, nil), http.StatusConflict)
	var outbox int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE subject LIKE 'tongpei.dispatch.%'`).Scan(&outbox); err != nil || outbox != len(jobs) {
		t.Fatalf("outbox has %d dispatch events, want %d (%v)", outbox, len(jobs), err)
	}

	zto, yto := a.token(auth.Carrier, "ZTO"), a.token(auth.Carrier, "YTO")
	mine := decodeBody[struct{ Items []dispatch.Job }](t, a.do("GET", "/v1/dispatch/jobs?acked=false", zto, nil)).Items
	if len(mine) != 1 || mine[0].Recipient != "ZTO" {
		t.Fatalf("ZTO sees %+v", mine)
	}
	expect(t, a.do("POST", "/v1/dispatch/jobs/"+mine[0].ID.String()+"/ack", yto, nil), http.StatusNotFound)
	expect(t, a.do("POST", "/v1/dispatch/jobs/"+mine[0].ID.String()+"/ack", zto, nil), http.StatusOK)
	expect(t, a.do("POST", "/v1/dispatch/jobs/"+mine[0].ID.String()+"/ack", zto, nil), http.StatusOK)
	expect(t, a.do("POST", "/v1/dispatch/jobs/not-a-uuid/ack", zto, nil), http.StatusNotFound)
	left := decodeBody[struct{ Items []dispatch.Job }](t, a.do("GET", "/v1/dispatch/jobs?acked=false", a.admin, nil)).Items
	if len(left) != len(jobs)-1 {
		t.Fatalf("%d unacknowledged, want %d", len(left), len(jobs)-1)
	}
	keeper := a.token(auth.Keeper, "V1")
	expect(t, a.do("GET", "/v1/dispatch/jobs", keeper, nil), http.StatusForbidden)

	w = a.do("GET", "/v1/reports/joint-delivery?from=2026-12-01&to=2026-12-31", a.admin, nil)
	expect(t, w, http.StatusOK)
	rep := decodeBody[dispatch.JointDeliveryReport](t, w)
	if rep.Days != 1 || rep.SavingPct != plan.SavingPct {
		t.Errorf("report %+v, want the one day at %.2f %%", rep, plan.SavingPct)
	}
	expect(t, a.do("GET", "/v1/reports/joint-delivery?from=2026-12-31&to=2026-12-01", a.admin, nil), http.StatusUnprocessableEntity)
}
