package geo

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestMatrices(t *testing.T) {
	t.Parallel()
	// One degree of latitude is about 111.2 km on the great circle.
	pts := []orb.Point{{110, 30}, {110, 31}}
	dist, dur, err := Travel{}.Matrices(pts)
	if err != nil {
		t.Fatal(err)
	}
	if d := float64(dist[1]); math.Abs(d-1.5*111195) > 200 || dist[2] != dist[1] || dist[0] != 0 {
		t.Fatalf("distances %v", dist)
	}
	if want := float64(dist[1]) / (35 / 3.6); math.Abs(float64(dur[1])-want) > 1 {
		t.Errorf("duration %d, want %.0f", dur[1], want)
	}
	dist2, _, err := Travel{Circuity: 1, SpeedKmh: 60}.Matrices(pts)
	if err != nil || math.Abs(float64(dist2[1])-111195) > 200 {
		t.Errorf("circuity 1: %v %v", dist2, err)
	}
	if _, _, err := (Travel{Circuity: 0.5}).Matrices(pts); err == nil {
		t.Error("circuity below 1 accepted")
	}
}

func TestRouteLineString(t *testing.T) {
	t.Parallel()
	raw, err := RouteLineString([]orb.Point{{110, 30}, {110.1, 30}, {110, 30}})
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Type        string       `json:"type"`
		Coordinates [][2]float64 `json:"coordinates"`
	}
	if err := json.Unmarshal(raw, &g); err != nil || g.Type != "LineString" || len(g.Coordinates) != 3 || g.Coordinates[1][0] != 110.1 {
		t.Fatalf("%s %v", raw, err)
	}
}
