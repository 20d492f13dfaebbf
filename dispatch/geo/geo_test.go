package geo

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/tongpei/tongpei/dispatch/vrp"
	"github.com/tongpei/tongpei/internal/errs"
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

func TestSolveVROOM(t *testing.T) {
	t.Parallel()
	body := `{"vehicles":[
	  {"id":1,"start":[110,30],"end":[110,30],"capacity":[10]},
	  {"id":2,"start":[110,30],"end":[110,30],"capacity":[10]}],
	 "jobs":[{"id":10,"location":[110.02,30.01],"delivery":[3]},{"id":11,"location":[110.01,30.03],"pickup":[2]}]}`
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := SolveVROOM(ctx, []byte(body), vrp.Options{TimeLimit: 200 * time.Millisecond, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(out)
	jobs := 0
	for _, r := range out.Routes {
		if len(r.Geometry) == 0 {
			t.Errorf("route without geometry: %s", raw)
		}
		jobs += len(r.Steps) - 2
	}
	if jobs+len(out.Unassigned) != 2 || out.Code != 0 || out.Summary.Distance <= 0 {
		t.Errorf("output %s", raw)
	}
}

func TestSolveVROOMInvalid(t *testing.T) {
	t.Parallel()
	_, err := SolveVROOM(context.Background(), []byte(`{"jobs":[{"id":1}],"vehicles":[{"id":1,"start":[1,1],"end":[1,1]}]}`), vrp.Options{})
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "jobs[0].location" {
		t.Fatalf("got %#v", err)
	}
	var ie *vrp.InputError
	if !errors.As(err, &ie) {
		t.Error("the *vrp.InputError is not wrapped")
	}
}
