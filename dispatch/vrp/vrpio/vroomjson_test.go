package vrpio

import (
	"github.com/tongpei/tongpei/dispatch/vrp"

	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// flatMatrix is a MatrixFunc for tests: 100 km per degree of Manhattan
// distance, at 10 m/s.
func flatMatrix(locs []Coordinates) ([]int64, []int64, error) {
	n := len(locs)
	dist, dur := make([]int64, n*n), make([]int64, n*n)
	for i := range n {
		for j := range n {
			d := int64(math.Round((math.Abs(locs[i][0]-locs[j][0]) + math.Abs(locs[i][1]-locs[j][1])) * 100000))
			dist[i*n+j], dur[i*n+j] = d, d/10
		}
	}
	return dist, dur, nil
}

const smallVROOM = `{
  "vehicles": [
    {"id": 7, "start": [110.0, 30.0], "end": [110.0, 30.0], "capacity": [10, 4], "skills": [1],
     "time_window": [0, 100000], "costs": {"fixed": 50, "per_hour": 3600, "per_km": 100}},
    {"id": 8, "start": [110.0, 30.0], "end": [110.0, 30.0], "capacity": [10, 4], "skills": [1],
     "time_window": [0, 100000], "costs": {"fixed": 50, "per_hour": 3600, "per_km": 100}},
    {"id": 9, "description": "small", "start": [110.0, 30.0], "end": [110.0, 30.0], "capacity": [3, 1]}
  ],
  "jobs": [
    {"id": 101, "location": [110.01, 30.0], "delivery": [4, 1], "pickup": [2, 0], "service": 300},
    {"id": 102, "location": [110.02, 30.0], "delivery": [3, 0], "pickup": [5, 1], "service": 60,
     "time_windows": [[5000, 6000], [1000, 2000]], "skills": [1]},
    {"id": 103, "location": [110.0, 30.01], "delivery": [1, 0], "priority": 10}
  ]
}`

func TestVROOMRoundTrip(t *testing.T) {
	t.Parallel()
	v, err := ReadVROOM([]byte(smallVROOM), flatMatrix)
	if err != nil {
		t.Fatal(err)
	}
	in := v.Instance
	if len(in.VehicleTypes) != 2 || in.VehicleTypes[0].Count != 2 || in.Dims != 2 || len(v.Coords) != 4 {
		t.Fatalf("instance: %d types, dims %d, coords %d", len(in.VehicleTypes), in.Dims, len(v.Coords))
	}
	if w := in.Stops[1].TimeWindows; len(w) != 2 || w[0].Start != 1000 {
		t.Fatalf("windows not sorted: %v", w)
	}
	if in.VehicleTypes[0].TravelTimeCost != 10*3600 || in.VehicleTypes[0].DistanceCost != 3600 || in.VehicleTypes[1].TravelTimeCost != 36000 || in.VehicleTypes[0].TimeCost != 0 {
		t.Fatalf("costs %+v", in.VehicleTypes)
	}
	s := &vrp.Solution{Routes: []vrp.Route{{VehicleType: 0, Stops: []int{0, 1}}, {VehicleType: 1, Stops: []int{2}}}}
	if s.Cost, err = vrp.Evaluate(in, s); err != nil {
		t.Fatal(err)
	}
	out, err := v.Output(s, time.Millisecond, 2*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	var back VROOMOutput
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if back.Routes[0].Vehicle != 7 || back.Routes[1].Vehicle != 9 || len(back.Routes[0].Steps) != 4 {
		t.Fatalf("routes: %s", raw)
	}
	// Route 1: 1000 m out, 1000 m on, 2000 m back at 10 m/s; job 102 opens
	// at 1000 s, so the van leaves at 1000−100−300−100 = 500.
	r := back.Routes[0]
	if r.Steps[0].Arrival != 500 || r.Steps[2].Arrival != 1000 || r.Distance != 4000 || r.Duration != 400 || r.Steps[3].Arrival != 1260 {
		t.Errorf("schedule: %s", raw)
	}
	if got := fmt.Sprint(r.Steps[0].Load, r.Steps[1].Load, r.Steps[2].Load); got != "[7 1] [5 0] [7 1]" {
		t.Errorf("loads %s", got)
	}
	// VROOM's cost: 50 + 400 s of travel × 3600/h + 4 km × 100/km = 850; the
	// 360 s of service on the route are not priced.
	if r.Cost != 850 || back.Summary.Cost != r.Cost+back.Routes[1].Cost || back.Summary.Routes != 2 {
		t.Errorf("costs: route %d, summary %d", r.Cost, back.Summary.Cost)
	}
	again, err := v.Solution(&back)
	if err != nil {
		t.Fatal(err)
	}
	if again.Cost != s.Cost || fmt.Sprint(again.Routes) != fmt.Sprint(s.Routes) {
		t.Errorf("round trip: %+v, want %+v", again, s)
	}
}

func TestVROOMMatrixIndices(t *testing.T) {
	t.Parallel()
	body := `{"vehicles":[{"id":1,"start_index":2,"end_index":2}],
	  "jobs":[{"id":5,"location_index":0},{"id":6,"location_index":1}],
	  "matrices":{"car":{"durations":[[0,4,1],[4,0,2],[1,2,0]],"distances":[[0,40,10],[40,0,20],[10,20,0]]}}}`
	v, err := ReadVROOM([]byte(body), nil)
	if err != nil {
		t.Fatal(err)
	}
	in := v.Instance
	if in.Dist(0, 1) != 10 || in.Time(1, 2) != 4 || in.Dist(0, 2) != 20 {
		t.Fatalf("sub-matrix %v %v", in.Distance, in.Duration)
	}
}

func TestVROOMErrors(t *testing.T) {
	t.Parallel()
	veh := `"vehicles":[{"id":1,"start":[1,1],"end":[1,1]}]`
	cases := map[string]struct{ body, field string }{
		"syntax":      {`{"jobs": [}`, ""},
		"type":        {`{"jobs":[{"id":"x"}],` + veh + `}`, "jobs.id"},
		"shipments":   {`{"shipments":[{}],"jobs":[{"id":1,"location":[1,2]}],` + veh + `}`, "shipments[0].pickup.location"},
		"no jobs":     {`{` + veh + `}`, "jobs"},
		"duplicate":   {`{"jobs":[{"id":1,"location":[1,2]},{"id":1,"location":[1,2]}],` + veh + `}`, "jobs[1].id"},
		"dims":        {`{"jobs":[{"id":1,"location":[1,2],"delivery":[1,2]}],"vehicles":[{"id":1,"start":[1,1],"end":[1,1],"capacity":[3]}]}`, "vehicles[0].capacity"},
		"bad window":  {`{"jobs":[{"id":1,"location":[1,2],"time_windows":[[5,1]]}],` + veh + `}`, "jobs[0].time_windows[0]"},
		"no location": {`{"jobs":[{"id":1}],` + veh + `}`, "jobs[0].location"},
		"bad index":   {`{"jobs":[{"id":1,"location_index":3}],"vehicles":[{"id":1,"start_index":0,"end_index":0}],"matrix":[[0,1],[1,0]]}`, "durations"},
		"trailing":    {`{"jobs":[{"id":1,"location":[1,2]}],` + veh + `} {}`, ""},
	}
	many := make([]string, MaxVROOMJobs+1)
	for i := range many {
		many[i] = fmt.Sprintf(`{"id":%d,"location":[1,2]}`, i)
	}
	cases["too many"] = struct{ body, field string }{`{"jobs":[` + strings.Join(many, ",") + `],` + veh + `}`, "jobs"}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := ReadVROOM([]byte(c.body), flatMatrix)
			var ie *vrp.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("want *InputError, got %v", err)
			}
			if ie.Field != c.field || ie.Reason == "" {
				t.Errorf("field %q (%v), want %q", ie.Field, err, c.field)
			}
		})
	}
}

// FuzzReadVROOM: any body is an *InputError or a consistent instance.
func FuzzReadVROOM(f *testing.F) {
	f.Add([]byte(smallVROOM))
	f.Add([]byte(`{"vehicles":[{"id":1,"start_index":2,"end_index":2,"capacity":[1]}],"jobs":[{"id":5,"location_index":0,"delivery":[1]}],"matrix":[[0,4,1],[4,0,2],[1,2,0]]}`))
	f.Add([]byte(`{"vehicles":[{"id":1,"start_index":0,"end_index":0}],"jobs":[{"id":5,"location_index":1}],"matrices":{"car":{"distances":[[0,1],[1,0]]}}}`))
	f.Add([]byte(`{"vehicles":[{"id":1,"start_index":0,"capacity":[2],"max_tasks":3,"speed_factor":1.5,"breaks":[{"id":1,"service":5,"time_windows":[[10,40]],"max_load":[1]}],
	  "steps":[{"type":"pickup","id":2},{"type":"delivery","id":3}]}],
	  "jobs":[{"id":5,"location_index":1,"setup":3,"priority":7}],
	  "shipments":[{"amount":[1],"pickup":{"id":2,"location_index":1},"delivery":{"id":3,"location_index":2,"time_windows":[[0,99]]}}],
	  "matrix":[[0,4,1],[4,0,2],[1,2,0]]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		v, err := ReadVROOM(body, flatMatrix)
		if err != nil {
			var ie *vrp.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error is not an *InputError: %v", err)
			}
			return
		}
		in := v.Instance
		n := in.N()
		if len(in.Distance) != n*n || (in.Duration != nil && len(in.Duration) != n*n) || len(in.VehicleTypes) == 0 {
			t.Fatal("inconsistent instance")
		}
		s := &vrp.Solution{}
		for i := range in.Stops {
			s.Unassigned = append(s.Unassigned, vrp.Unassigned{Stop: i})
		}
		if _, err := v.Output(s, 0, 0); err != nil {
			t.Fatalf("all-unassigned output: %v", err)
		}
		if len(in.Stops) > 8 || len(in.VehicleTypes) > 4 {
			return
		}
		// the search takes it or refuses it with an *InputError, and
		// what it returns is valid
		sol, err := vrp.Solve(t.Context(), in, vrp.Options{MaxIterations: 3, Initial: v.Initial})
		if err != nil {
			var ie *vrp.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Solve: error is not an *InputError: %v", err)
			}
			return
		}
		if _, err := v.Output(sol, 0, 0); err != nil {
			t.Fatalf("output: %v", err)
		}
	})
}

func TestVROOMDurationsOnly(t *testing.T) {
	t.Parallel()
	body := `{"vehicles":[{"id":1,"start_index":0,"end_index":0,"costs":{"per_km":5}}],
	  "jobs":[{"id":5,"location_index":1}],
	  "matrix":[[0,40],[40,0]]}`
	if _, err := ReadVROOM([]byte(body), flatMatrix); err == nil || !strings.Contains(err.Error(), "distances matrix or coordinates") {
		t.Fatalf("per_km without distances: %v", err)
	}
	// With coordinates beside the indices, distances come from them.
	body = strings.Replace(body, `"start_index":0,"end_index":0`, `"start":[110,30],"end":[110,30],"start_index":0,"end_index":0`, 1)
	body = strings.Replace(body, `"location_index":1`, `"location":[110.01,30],"location_index":1`, 1)
	v, err := ReadVROOM([]byte(body), flatMatrix)
	if err != nil {
		t.Fatal(err)
	}
	if in := v.Instance; in.Dist(0, 1) != 1000 || in.Time(0, 1) != 40 {
		t.Errorf("distance %d, time %d", in.Dist(0, 1), in.Time(0, 1))
	}
}

// TestVROOMReloadSteps: a vehicle with max_trips (tongpei's addition) that
// cannot carry every delivery at once drives two trips; its route shows a
// reload step whose arrival, waiting, distance and load check out against
// a recomputation from the steps around it, and reading the output back
// gives the same routes and cost.
func TestVROOMReloadSteps(t *testing.T) {
	t.Parallel()
	body := `{"vehicles":[{"id":1,"start":[110,30],"end":[110,30],"capacity":[10],"max_trips":3,"reload_time":600}],
	 "jobs":[{"id":1,"location":[110.01,30],"delivery":[4],"service":60},{"id":2,"location":[110.02,30],"delivery":[4],"service":60},
	         {"id":3,"location":[110,30.01],"delivery":[4],"service":60},{"id":4,"location":[110,30.02],"delivery":[4],"service":60}]}`
	v, err := ReadVROOM([]byte(body), flatMatrix)
	if err != nil {
		t.Fatal(err)
	}
	if vt := v.Instance.VehicleTypes[0]; vt.MaxTrips != 3 || vt.ReloadTime != 600 {
		t.Fatalf("vehicle type %+v", vt)
	}
	sol, err := vrp.Solve(t.Context(), v.Instance, vrp.Options{Seed: 1, MaxIterations: 100})
	if err != nil {
		t.Fatal(err)
	}
	out, err := v.Output(sol, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Routes) != 1 || len(out.Unassigned) != 0 {
		t.Fatalf("output %+v", out)
	}
	steps := out.Routes[0].Steps
	reloads := 0
	for k, st := range steps {
		if st.Type != "reload" {
			continue
		}
		reloads++
		prev, next := steps[k-1], steps[k+1]
		leg := (prev.Location[0]-110+prev.Location[1]-30)*100000 + 0.5 // Manhattan metres back to the start
		if st.Distance != prev.Distance+int64(leg) || st.Arrival != prev.Arrival+prev.WaitingTime+prev.Service+int64(leg)/10 {
			t.Errorf("reload step %+v after %+v", st, prev)
		}
		if st.Service != 600 || st.Load[0] != 8 || next.Arrival < st.Arrival+st.Service+st.WaitingTime {
			t.Errorf("reload step %+v, next %+v", st, next)
		}
	}
	if reloads != 1 || out.Routes[0].Delivery[0] != 16 {
		t.Fatalf("%d reload steps, delivery %v: %+v", reloads, out.Routes[0].Delivery, steps)
	}
	back, err := v.Solution(out)
	if err != nil || back.Cost != sol.Cost || len(back.Routes[0].Reloads) != 1 {
		t.Fatalf("read back: %+v %v (solved %+v)", back, err, sol)
	}
}
