package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// roads: a line from the hub east to V1; V2 sits on an island road.
const roads = `{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"speed_kmh":40},"geometry":{"type":"LineString","coordinates":[[101.989,24.069],[102.0,24.07],[102.02,24.07]]}},
 {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[102.3,24.3],[102.31,24.3]]}}
]}`

func addStation(t testing.TB, pool *pgxpool.Pool, code, tier string, lon, lat float64) {
	t.Helper()
	_, err := pool.Exec(context.Background(), `INSERT INTO stations (code, name, tier, lon, lat, keeper_phone) VALUES ($1, $1, $2, $3, $4, '13800000000')`, code, tier, lon, lat)
	if err != nil {
		t.Fatal(err)
	}
}

func TestRoadNetworkImport(t *testing.T) {
	t.Parallel()
	a, pool := newDispatchAPI(t)
	expect(t, a.do("GET", "/v1/road-network", a.admin, nil), http.StatusNotFound)
	expect(t, a.do("GET", "/v1/road-network/features", a.admin, nil), http.StatusNotFound)
	addStation(t, pool, "HUB", "county_hub", 101.989, 24.069)
	addStation(t, pool, "V1", "village", 102.0201, 24.0701)
	addStation(t, pool, "V2", "village", 102.305, 24.3)
	w := a.do("POST", "/v1/road-network?name=test", a.admin, roads)
	expect(t, w, http.StatusCreated)
	info := decodeBody[struct {
		Nodes       int
		Unreachable []struct{ Code, Reason string }
	}](t, w)
	if info.Nodes != 5 || len(info.Unreachable) != 1 || info.Unreachable[0].Code != "V2" {
		t.Fatalf("import = %+v, want 5 nodes and V2 unreachable", info)
	}
	expect(t, a.do("GET", "/v1/road-network", a.admin, nil), http.StatusOK)
	// The operator's map draws the roads as they were imported.
	w = a.do("GET", "/v1/road-network/features", a.admin, nil)
	expect(t, w, http.StatusOK)
	var fc, sent struct {
		Type     string
		Features []json.RawMessage
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/geo+json" {
		t.Errorf("features answered %q", ct)
	}
	if err := json.Unmarshal(w.Body.Bytes(), &fc); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(roads), &sent); err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) == 0 || len(fc.Features) != len(sent.Features) {
		t.Errorf("features: %d, imported %d", len(fc.Features), len(sent.Features))
	}
	expect(t, a.do("POST", "/v1/road-network", a.admin, `{"type":"FeatureCollection","features":[]}`), http.StatusUnprocessableEntity)
	expect(t, a.do("POST", "/v1/road-network?max_snap_m=-1", a.admin, roads), http.StatusUnprocessableEntity)

	m := map[string]any{"stations": []string{"HUB", "V1"}, "distances_m": [][]int64{{0, 5000}, {5100, 0}}, "durations_s": [][]int64{{0, 600}, {610, 0}}}
	expect(t, a.do("POST", "/v1/road-network/matrix", a.admin, m), http.StatusCreated)
	m["durations_s"] = [][]int64{{0, 600}}
	expect(t, a.do("POST", "/v1/road-network/matrix", a.admin, m), http.StatusUnprocessableEntity)
}
