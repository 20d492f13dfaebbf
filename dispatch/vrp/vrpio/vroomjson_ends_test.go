package vrpio

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tongpei/tongpei/dispatch/vrp"
)

// vroomExample2 is docs/example_2.json of VROOM-Project/vroom (commit
// 4453544426b0c804cf614003fb11847c33a52573): one vehicle that starts at
// matrix index 0 and ends at index 3, two jobs, a durations matrix.
const vroomExample2 = `{
  "vehicles": [{"id": 0, "start_index": 0, "end_index": 3}],
  "jobs": [{"id": 1414, "location_index": 1}, {"id": 1515, "location_index": 2}],
  "matrix": [
    [0, 2104, 197, 1299],
    [2103, 0, 2255, 3152],
    [197, 2256, 0, 1102],
    [1299, 3153, 1102, 0]
  ]
}`

// solveVROOM reads, solves and writes a VROOM problem.
func solveVROOM(t *testing.T, body string) (*VROOM, *VROOMOutput) {
	t.Helper()
	v, err := ReadVROOM([]byte(body), nil)
	if err != nil {
		t.Fatal(err)
	}
	sol, err := vrp.Solve(context.Background(), v.Instance, vrp.Options{TimeLimit: 200 * time.Millisecond, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	out, err := v.Output(sol, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return v, out
}

// checkSteps recomputes every step's arrival, travel duration and distance
// from the input matrix alone (no windows or service in these problems, so
// an arrival is the previous one plus the leg) and compares.
func checkSteps(t *testing.T, body string, out *VROOMOutput) {
	t.Helper()
	var raw struct {
		Jobs []struct {
			ID    uint64 `json:"id"`
			Index int    `json:"location_index"`
		} `json:"jobs"`
		Matrix [][]int64 `json:"matrix"`
	}
	if err := json.Unmarshal([]byte(body), &raw); err != nil {
		t.Fatal(err)
	}
	for _, r := range out.Routes {
		prev := -1
		var arrival, travel int64
		for k, s := range r.Steps {
			idx := -1
			switch {
			case s.LocationIndex != nil:
				idx = *s.LocationIndex
			case s.ID != nil:
				for _, j := range raw.Jobs {
					if j.ID == *s.ID {
						idx = j.Index
					}
				}
			}
			if idx < 0 {
				t.Fatalf("step %d (%s): no location index", k, s.Type)
			}
			if prev < 0 {
				arrival = s.Arrival // the route's first step: its departure
			} else {
				arrival += raw.Matrix[prev][idx]
				travel += raw.Matrix[prev][idx]
			}
			if s.Arrival != arrival || s.Duration != travel || s.Distance != travel {
				t.Errorf("step %d (%s at %d): arrival %d duration %d distance %d, recomputed %d, %d, %d",
					k, s.Type, idx, s.Arrival, s.Duration, s.Distance, arrival, travel, travel)
			}
			prev = idx
		}
		if r.Duration != travel || r.Distance != travel || r.Cost != travel {
			t.Errorf("route: duration %d distance %d cost %d, recomputed %d", r.Duration, r.Distance, r.Cost, travel)
		}
	}
}

// TestVROOMExample2 solves VROOM's open-end example: start at 0, both jobs,
// end at 3; the best order is 1414 then 1515 (2104 + 2255 + 1102 = 5461,
// against 197 + 2256 + 3152 the other way).
func TestVROOMExample2(t *testing.T) {
	t.Parallel()
	v, out := solveVROOM(t, vroomExample2)
	vt := v.Instance.VehicleTypes[0]
	if v.Instance.Places != 1 || vt.Start != 0 || vt.End != 3 {
		t.Fatalf("places %d, start %d, end %d; want 1 place and the end at node 3", v.Instance.Places, vt.Start, vt.End)
	}
	if len(out.Routes) != 1 || len(out.Unassigned) != 0 {
		t.Fatalf("%d routes, %d unassigned", len(out.Routes), len(out.Unassigned))
	}
	var kinds []string
	for _, s := range out.Routes[0].Steps {
		kinds = append(kinds, s.Type)
		if s.ID != nil {
			kinds[len(kinds)-1] += ":" + jsonString(*s.ID)
		}
	}
	if got := strings.Join(kinds, " "); got != "start job:1414 job:1515 end" {
		t.Errorf("steps %s, want start job:1414 job:1515 end", got)
	}
	if e := out.Routes[0].Steps[3]; e.LocationIndex == nil || *e.LocationIndex != 3 {
		t.Errorf("end step at %v, want end_index 3", e.LocationIndex)
	}
	if out.Summary.Cost != 5461 {
		t.Errorf("cost %d, want 5461", out.Summary.Cost)
	}
	checkSteps(t, vroomExample2, out)
}

// TestVROOMNoStartOrEnd: a vehicle without start begins at its first job,
// without end finishes at its last; the missing steps are not written.
func TestVROOMNoStartOrEnd(t *testing.T) {
	t.Parallel()
	noStart := strings.Replace(vroomExample2, `"start_index": 0, `, "", 1)
	_, out := solveVROOM(t, noStart)
	r := out.Routes[0]
	// from 1414 (index 1) or 1515 (index 2) to 3: 2255 + 1102 beats 2256 + 3152
	if r.Steps[0].Type != "job" || *r.Steps[0].ID != 1414 || len(r.Steps) != 3 || r.Steps[2].Type != "end" || r.Cost != 3357 {
		t.Errorf("no start: steps %+v cost %d, want 1414, 1515, end at 3357", r.Steps, r.Cost)
	}
	checkSteps(t, noStart, out)

	noEnd := strings.Replace(vroomExample2, `, "end_index": 3`, "", 1)
	_, out = solveVROOM(t, noEnd)
	r = out.Routes[0]
	// 0 → 2 → 1: 197 + 2256 beats 2104 + 2255
	if r.Steps[0].Type != "start" || len(r.Steps) != 3 || r.Steps[2].Type != "job" || *r.Steps[2].ID != 1414 || r.Cost != 2453 {
		t.Errorf("no end: steps %+v cost %d, want start, 1515, 1414 at 2453", r.Steps, r.Cost)
	}
	checkSteps(t, noEnd, out)
}

// TestVROOMTwoStarts: vehicles at two places are two types with their own
// starts; with coordinates they round-trip to output.
func TestVROOMTwoStarts(t *testing.T) {
	t.Parallel()
	body := `{"jobs":[{"id":1,"location":[1,2]},{"id":2,"location":[2,2]}],` +
		`"vehicles":[{"id":1,"start":[1,1],"end":[1,1]},{"id":2,"start":[2,1]}]}`
	v, err := ReadVROOM([]byte(body), flatMatrix)
	if err != nil {
		t.Fatal(err)
	}
	in := v.Instance
	if in.Places != 1 || len(in.VehicleTypes) != 2 || in.VehicleTypes[1].Start != 3 || in.VehicleTypes[1].End != vrp.NoPlace || len(v.Coords) != 4 {
		t.Fatalf("places %d, types %+v, coords %v", in.Places, in.VehicleTypes, v.Coords)
	}
	sol, err := vrp.Solve(context.Background(), in, vrp.Options{TimeLimit: 200 * time.Millisecond, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Output(sol, 0, 0); err != nil {
		t.Fatal(err)
	}
}

// TestVROOMEndsRefused: a problem where no vehicle has a start or an end has
// no depot; the error names the field.
func TestVROOMEndsRefused(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct{ body, field string }{
		"nowhere":     {`{"jobs":[{"id":1,"location":[1,2]}],"vehicles":[{"id":1}]}`, "vehicles"},
		"bad index":   {`{"jobs":[{"id":1,"location_index":0}],"vehicles":[{"id":1,"start_index":0,"end_index":-1}],"matrix":[[0]]}`, "vehicles[0].end_index"},
		"reload open": {`{"jobs":[{"id":1,"location":[1,2]}],"vehicles":[{"id":1,"start":[1,1],"end":[1,1],"max_trips":2},{"id":2,"start":[1,1]}]}`, "vehicles[0].max_trips"},
		"outside":     {`{"jobs":[{"id":1,"location_index":0}],"vehicles":[{"id":1,"start_index":0,"end_index":5}],"matrix":[[0]]}`, "durations"},
	} {
		_, err := ReadVROOM([]byte(c.body), flatMatrix)
		var ie *vrp.InputError
		if !errors.As(err, &ie) || ie.Field != c.field {
			t.Errorf("%s: error %v, want an InputError on %s", name, err, c.field)
		}
	}
}

func jsonString(id uint64) string {
	b, _ := json.Marshal(id)
	return string(b)
}
