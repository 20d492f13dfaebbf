package vrpio

import (
	"github.com/tongpei/tongpei/dispatch/vrp"

	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// VROOM's objective (docs/API.md of VROOM-Project/vroom, "costs": fixed,
// per_hour, per_km; route and summary "cost"; "duration" is "total travel
// time") prices travel time, not service or waiting. Its documented example
// docs/example_3.json with its solution docs/example_3_sol.json (commit
// 10786eee7f589ad947762ba5dc4b045bf998d82d) shows it: default costs
// (per_hour 3600), 300 s of service at each of six jobs, and
//
//	vehicle 1: jobs 1 2 5, cumulated travel 2328 3218 4813, end 6565,
//	           distances 32355 47016 68534, end 95605; cost 6565
//	vehicle 2: jobs 6 4 3, cumulated travel 2941 6757 8666, end 12146,
//	           distances 62696 131714 154582, end 216752; cost 12146
//	summary:   cost 18711 = duration 18711, service 1800.
//
// The example computes its matrices with a routing engine from coordinates;
// docExample rebuilds the legs those routes drive from the steps' cumulated
// durations and distances, every other leg prohibitively long, and drops the
// example's forced steps, capacities and windows (its solution breaks them
// on purpose: load, lead_time and delay violations).
type docLeg struct {
	from, to  int
	dur, dist int64
}

// Matrix nodes: 0 the depot, then jobs 1 2 5 6 4 3 at indices 1..6.
var docLegs = []docLeg{
	{0, 1, 2328, 32355}, {1, 2, 3218 - 2328, 47016 - 32355}, {2, 3, 4813 - 3218, 68534 - 47016}, {3, 0, 6565 - 4813, 95605 - 68534},
	{0, 4, 2941, 62696}, {4, 5, 6757 - 2941, 131714 - 62696}, {5, 6, 8666 - 6757, 154582 - 131714}, {6, 0, 12146 - 8666, 216752 - 154582},
}

var docJobIDs = []uint64{1, 2, 5, 6, 4, 3}

// docExample is the problem in VROOM JSON with the first jobs of
// docJobIDs, service at every job and the given vehicles' JSON.
func docExample(t *testing.T, jobs int, service int64, vehicles string) *VROOM {
	t.Helper()
	const far = 1_000_000
	n := jobs + 1
	dur, dist := make([][]int64, n), make([][]int64, n)
	for i := range n {
		dur[i], dist[i] = make([]int64, n), make([]int64, n)
		for j := range n {
			if i != j {
				dur[i][j], dist[i][j] = far, far
			}
		}
	}
	for _, l := range docLegs {
		if l.from < n && l.to < n {
			dur[l.from][l.to], dist[l.from][l.to] = l.dur, l.dist
		}
	}
	var js []map[string]any
	for k, id := range docJobIDs[:jobs] {
		js = append(js, map[string]any{"id": id, "location_index": k + 1, "service": service})
	}
	var veh []map[string]any
	if err := json.Unmarshal([]byte(vehicles), &veh); err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(map[string]any{
		"vehicles": veh, "jobs": js,
		"matrices": map[string]any{"car": map[string]any{"durations": dur, "distances": dist}},
	})
	if err != nil {
		t.Fatal(err)
	}
	v, err := ReadVROOM(raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

const docVehicles = `[{"id": 1, "start_index": 0, "end_index": 0}, {"id": 2, "start_index": 0, "end_index": 0}]`

// docRoutes are the example solution's routes as VROOM output.
func docRoutes() *VROOMOutput {
	job := func(id uint64) VROOMStep { return VROOMStep{Type: "job", ID: &id} }
	return &VROOMOutput{Routes: []VROOMRoute{
		{Vehicle: 1, Steps: []VROOMStep{{Type: "start"}, job(1), job(2), job(5), {Type: "end"}}},
		{Vehicle: 2, Steps: []VROOMStep{{Type: "start"}, job(6), job(4), job(3), {Type: "end"}}},
	}}
}

func TestVROOMDocumentedExampleCost(t *testing.T) {
	t.Parallel()
	for _, service := range []int64{300, 3000} { // the example's, and ten times it: not priced
		v := docExample(t, 6, service, docVehicles)
		sol, err := v.Solution(docRoutes())
		if err != nil {
			t.Fatal(err)
		}
		out, err := v.Output(sol, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := []struct{ cost, duration, distance int64 }{{6565, 6565, 95605}, {12146, 12146, 216752}}
		for k, r := range out.Routes {
			if r.Cost != want[k].cost || r.Duration != want[k].duration || r.Distance != want[k].distance || r.Service != 3*service {
				t.Errorf("service %d, vehicle %d: cost %d duration %d distance %d service %d, VROOM's solution has %+v",
					service, r.Vehicle, r.Cost, r.Duration, r.Distance, r.Service, want[k])
			}
		}
		if s := out.Summary; s.Cost != 18711 || s.Duration != 18711 || s.Service != 6*service {
			t.Errorf("service %d: summary cost %d duration %d service %d, VROOM's: 18711 18711 %d", service, s.Cost, s.Duration, s.Service, 6*service)
		}
	}
}

// TestVROOMSolveDocumentedExample solves vehicle 1's part of the example
// (jobs 1 2 5, one vehicle): the optimiser finds VROOM's route and reports
// VROOM's cost for it.
func TestVROOMSolveDocumentedExample(t *testing.T) {
	t.Parallel()
	v := docExample(t, 3, 300, `[{"id": 1, "start_index": 0, "end_index": 0}]`) // jobs 1 2 5
	sol, err := vrp.Solve(t.Context(), v.Instance, vrp.Options{Seed: 1, Threads: 1, MaxIterations: 300, TimeLimit: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	out, err := v.Output(sol, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Routes) != 1 || out.Summary.Cost != 6565 || fmt.Sprint(sol.Routes[0].Stops) != "[0 1 2]" {
		t.Fatalf("routes %+v, cost %d; VROOM's: jobs 1 2 5 at cost 6565", sol.Routes, out.Summary.Cost)
	}
}

// TestVROOMOutputCostRecomputed solves a problem with fixed, per_hour and
// per_km costs, service and time windows, and recomputes every route's cost
// from the input matrices by VROOM's definition: fixed + per_hour × travel
// time / 3600 + per_km × distance / 1000, travel and distance summed over
// the legs between the route's job locations.
func TestVROOMOutputCostRecomputed(t *testing.T) {
	t.Parallel()
	v, err := ReadVROOM([]byte(smallVROOM), flatMatrix)
	if err != nil {
		t.Fatal(err)
	}
	sol, err := vrp.Solve(t.Context(), v.Instance, vrp.Options{Seed: 1, Threads: 1, MaxIterations: 300, TimeLimit: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	out, err := v.Output(sol, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	locs := []Coordinates{*v.Problem.Vehicles[0].Start}
	index := map[uint64]int{}
	for i, j := range v.Problem.Jobs {
		locs = append(locs, *j.Location)
		index[j.ID] = i + 1
	}
	dist, dur, _ := flatMatrix(locs)
	n := len(locs)
	var total float64
	for _, r := range out.Routes {
		veh := v.vehicle(r.Vehicle)
		fixed, perHour, perKm := 0.0, 3600.0, 0.0
		if c := veh.Costs; c != nil {
			fixed, perHour, perKm = float64(*c.Fixed), float64(*c.PerHour), float64(*c.PerKm)
		}
		var travel, meters int64
		prev := 0
		for _, st := range r.Steps {
			next := 0
			if st.Type == "job" {
				next = index[*st.ID]
			} else if st.Type == "start" {
				continue
			}
			travel += dur[prev*n+next]
			meters += dist[prev*n+next]
			prev = next
		}
		cost := fixed + perHour*float64(travel)/3600 + perKm*float64(meters)/1000
		total += cost
		if r.Duration != travel || r.Distance != meters || float64(r.Cost) != roundHalfUp(cost) {
			t.Errorf("vehicle %d: cost %d duration %d distance %d; VROOM's definition gives %.2f from travel %d, distance %d",
				r.Vehicle, r.Cost, r.Duration, r.Distance, cost, travel, meters)
		}
	}
	if float64(out.Summary.Cost) != roundHalfUp(total) {
		t.Errorf("summary cost %d, recomputed %.2f", out.Summary.Cost, total)
	}
}

func roundHalfUp(x float64) float64 { return float64(int64(x + 0.5)) }
