package dispatch

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/dispatch/geo"
)

// starNetwork is a road from the hub to every township station and from
// each township station to its villages, leaving out the road to skip.
func starNetwork(skip string) []byte {
	county := demo.Stations()
	at := map[string][2]float64{}
	for _, s := range county {
		at[s.Code] = [2]float64{s.Lon, s.Lat}
	}
	var features []map[string]any
	for _, s := range county {
		if s.Parent == "" || s.Code == skip {
			continue
		}
		speed := 25.0
		if s.Tier == "township" {
			speed = 40
		}
		features = append(features, map[string]any{"type": "Feature", "properties": map[string]any{"speed_kmh": speed},
			"geometry": map[string]any{"type": "LineString", "coordinates": [][2]float64{at[s.Parent], at[s.Code]}}})
	}
	b, _ := json.Marshal(map[string]any{"type": "FeatureCollection", "features": features})
	return b
}

func TestPlanOnRoadNetwork(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tc := newTestCounty(t)
	const cut = "XP-V-1103" // 向阳, a village in the Ailao mountains, its road missing
	day := demo.GenerateDay(demo.DayOptions{Date: testDate, Seed: 9, Down: 400, Up: 60})
	day = append(day, demo.Parcel{Carrier: "ZTO", TrackingNo: "ZTOCUT0001", Direction: "down", Station: cut, WeightG: 800,
		SizeCM: map[string]int{"l": 20, "w": 15, "h": 10}, Category: "general"})
	tc.loadDay(t, day)
	info, err := tc.store.ImportRoadNetwork(ctx, "star", starNetwork(cut), NetworkOptionsForTest())
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Unreachable) != 1 || info.Unreachable[0].Code != cut {
		t.Fatalf("unreachable %+v, want %s", info.Unreachable, cut)
	}
	plan, err := tc.store.CreatePlan(ctx, PlanOptions{ServiceDate: "2026-12-01", TimeLimit: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(plan.MatrixSource, "road_network:") {
		t.Errorf("matrix source %s, want the road network", plan.MatrixSource)
	}
	var found bool
	for _, u := range plan.Unassigned {
		if u.Station == cut {
			found = u.Code == "unreachable" && len(u.Drop) >= 1 && strings.Contains(u.Reason, "no road")
		}
	}
	if !found {
		t.Errorf("the cut village is not reported unreachable with its parcels: %+v", plan.Unassigned)
	}
	if g, err := plan.GeoJSON(); err != nil || !strings.Contains(string(g), `"kind":"unassigned"`) || !strings.Contains(string(g), cut) {
		t.Errorf("the map does not show the unreachable village (%v)", err)
	}
	for _, r := range plan.Routes {
		for _, s := range r.Stops {
			if s.Station.Code == cut {
				t.Fatalf("route %d stops at the unreachable %s", r.Number, cut)
			}
		}
	}
	if tc.store.matrices.Len() != 1 {
		t.Errorf("%d matrices cached, want 1", tc.store.matrices.Len())
	}
	if _, err := tc.store.ImportRoadNetwork(ctx, "again", starNetwork(""), NetworkOptionsForTest()); err != nil {
		t.Fatal(err)
	}
	if tc.store.matrices.Len() != 0 {
		t.Error("a new network kept the old matrices")
	}
}

// TestPlanOnUploadedMatrix: without a road network, the newest uploaded
// matrix that covers the plan's stations is used, ahead of great circles.
func TestPlanOnUploadedMatrix(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tc := newTestCounty(t)
	tc.loadDay(t, demo.GenerateDay(demo.DayOptions{Date: testDate, Seed: 4, Down: 150, Up: 20}))
	county := demo.Stations()
	up := MatrixUpload{}
	points := make([]orb.Point, len(county))
	for i, s := range county {
		up.Stations = append(up.Stations, s.Code)
		points[i] = orb.Point{s.Lon, s.Lat}
	}
	d, s, err := geo.Travel{Circuity: 1.2, SpeedKmh: 45}.Matrices(points)
	if err != nil {
		t.Fatal(err)
	}
	n := len(points)
	for i := range n {
		up.DistancesM = append(up.DistancesM, d[i*n:(i+1)*n])
		up.DurationsS = append(up.DurationsS, s[i*n:(i+1)*n])
	}
	before, err := tc.store.CreatePlan(ctx, PlanOptions{ServiceDate: "2026-12-01", TimeLimit: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	info, err := tc.store.UploadMatrix(ctx, up)
	if err != nil {
		t.Fatal(err)
	}
	after, err := tc.store.CreatePlan(ctx, PlanOptions{ServiceDate: "2026-12-01", TimeLimit: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if before.MatrixSource != "great_circle" || after.MatrixSource != "uploaded:"+itoa(info.ID) {
		t.Fatalf("sources %s then %s", before.MatrixSource, after.MatrixSource)
	}
	if after.Joint.DistanceM >= before.Joint.DistanceM {
		t.Errorf("straighter roads (×1.2) drove %d m, the ×1.5 default %d m", after.Joint.DistanceM, before.Joint.DistanceM)
	}
}
