package dispatch

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/tongpei/tongpei/dispatch/vrp"
	"github.com/tongpei/tongpei/internal/errs"
)

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

// TestSolveVROOMOpenEnd: VROOM's docs/example_2.json (VROOM-Project/vroom
// commit 4453544426b0c804cf614003fb11847c33a52573), a route that ends
// elsewhere than it starts, is solved through the use case, ending at
// end_index 3.
func TestSolveVROOMOpenEnd(t *testing.T) {
	t.Parallel()
	body := `{"vehicles":[{"id":0,"start_index":0,"end_index":3}],
	 "jobs":[{"id":1414,"location_index":1},{"id":1515,"location_index":2}],
	 "matrix":[[0,2104,197,1299],[2103,0,2255,3152],[197,2256,0,1102],[1299,3153,1102,0]]}`
	out, err := SolveVROOM(context.Background(), []byte(body), vrp.Options{TimeLimit: 200 * time.Millisecond, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	steps := out.Routes[0].Steps
	if out.Summary.Cost != 5461 || len(steps) != 4 || steps[3].Type != "end" || *steps[3].LocationIndex != 3 {
		t.Errorf("cost %d, steps %+v; want 5461 ending at index 3", out.Summary.Cost, steps)
	}
}
