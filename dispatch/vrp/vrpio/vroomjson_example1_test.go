package vrpio

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/tongpei/tongpei/dispatch/vrp"
)

// example1Places are the coordinates of docs/example_1.json of
// VROOM-Project/vroom (commit 004faa4b89d769f51cb1f0227cd53be41f5d4586):
// the vehicles' start, jobs 1, 2, 5 and 6, then shipment 4 → 3.
var example1Places = [][2]float64{
	{2.35044, 48.71764},
	{1.98935, 48.701}, {2.03655, 48.61128}, {2.28325, 48.5958}, {2.89357, 48.90736},
	{2.41808, 49.22619}, {2.39719, 49.07611},
}

// example1Matrices is a fixed travel model over example1Places: distances
// in metres on an equirectangular projection, durations at 15 m/s.
func example1Matrices() (dist, dur [][]int64) {
	n := len(example1Places)
	dist, dur = make([][]int64, n), make([][]int64, n)
	for i, a := range example1Places {
		dist[i], dur[i] = make([]int64, n), make([]int64, n)
		for j, b := range example1Places {
			x := (b[0] - a[0]) * math.Cos((a[1]+b[1])/2*math.Pi/180) * 111320
			y := (b[1] - a[1]) * 110574
			dist[i][j] = int64(math.Round(math.Hypot(x, y)))
			dur[i][j] = int64(math.Round(float64(dist[i][j]) / 15))
		}
	}
	return dist, dur
}

// example1 is docs/example_1.json with location indices into
// example1Matrices and times relative to its first vehicle's shift start
// (1600416000); withBreak keeps vehicle 2's break.
func example1(withBreak bool) string {
	dist, dur := example1Matrices()
	m, _ := json.Marshal(map[string]any{"car": map[string]any{"durations": dur, "distances": dist}})
	brk := ""
	if withBreak {
		brk = `, "breaks": [{"id": 2, "service": 300, "time_windows": [[7200, 9000]]}]`
	}
	return `{
  "vehicles": [
    {"id": 1, "start_index": 0, "end_index": 0, "capacity": [4], "skills": [1, 14], "time_window": [0, 14400]},
    {"id": 2, "start_index": 0, "end_index": 0, "capacity": [4], "skills": [2, 14], "time_window": [0, 14400]` + brk + `}
  ],
  "jobs": [
    {"id": 1, "service": 300, "delivery": [1], "location_index": 1, "skills": [1], "time_windows": [[3600, 7200]]},
    {"id": 2, "service": 300, "pickup": [1], "location_index": 2, "skills": [1]},
    {"id": 5, "service": 300, "delivery": [1], "location_index": 3, "skills": [14]},
    {"id": 6, "service": 300, "delivery": [1], "location_index": 4, "skills": [14]}
  ],
  "shipments": [
    {"amount": [1], "skills": [2],
     "pickup": {"id": 4, "service": 300, "location_index": 5},
     "delivery": {"id": 3, "service": 300, "location_index": 6}}
  ],
  "matrices": ` + string(m) + `
}`
}

// recheckVROOM recomputes every step of out from the problem's JSON alone:
// arrival = the previous step's end + the leg's duration, waiting up to the
// first window that is still open, setup when the place changes, service;
// the load from the route's start load (its jobs' deliveries) through each
// job (− delivery + pickup), pickup (+ amount), delivery (− amount); the
// cumulated travel and distance; breaks on the spot. It also checks each
// shipment on one route, pickup first, every load within capacity and
// every break within a window and its max_load.
func recheckVROOM(t *testing.T, body string, out *VROOMOutput) {
	t.Helper()
	var p VROOMProblem
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatal(err)
	}
	var dist, dur [][]int64
	for _, g := range p.Matrices {
		dist, dur = g.Distances, g.Durations
	}
	type taskInfo struct {
		job   VROOMJob
		delta []int64 // load change
		del   []int64 // load at the start
	}
	tasks := map[string]taskInfo{}
	key := func(kind string, id uint64) string { return kind + ":" + jsonString(id) }
	for _, j := range p.Jobs {
		ti := taskInfo{job: j, delta: make([]int64, 1), del: make([]int64, 1)}
		if len(j.Delivery) > 0 {
			ti.del[0] = j.Delivery[0]
			ti.delta[0] -= j.Delivery[0]
		}
		if len(j.Pickup) > 0 {
			ti.delta[0] += j.Pickup[0]
		}
		tasks[key(taskJob, j.ID)] = ti
	}
	shipOf := map[string]int{}
	for k, s := range p.Shipments {
		for h, st := range [2]VROOMShipmentStep{s.Pickup, s.Delivery} {
			j := VROOMJob{ID: st.ID, LocationIndex: st.LocationIndex, Setup: st.Setup, Service: st.Service, TimeWindows: st.TimeWindows}
			sign := int64(1 - 2*h)
			kind := [2]string{taskPickup, taskDelivery}[h]
			tasks[key(kind, st.ID)] = taskInfo{job: j, delta: []int64{sign * s.Amount[0]}, del: []int64{0}}
			shipOf[key(kind, st.ID)] = k
		}
	}
	served := map[int][]string{}
	for _, r := range out.Routes {
		var veh *VROOMVehicle
		for i := range p.Vehicles {
			if p.Vehicles[i].ID == r.Vehicle {
				veh = &p.Vehicles[i]
			}
		}
		var load int64
		for _, s := range r.Steps {
			if s.Type == taskJob {
				load += tasks[key(taskJob, *s.ID)].del[0]
			}
		}
		prev := -1
		var clock, travel, distance int64
		breaks := 0
		for k, s := range r.Steps {
			where := r.Vehicle
			_ = where
			switch s.Type {
			case "start":
				prev, clock = *veh.StartIndex, s.Arrival
				if veh.TimeWindow != nil && clock < veh.TimeWindow[0] {
					t.Errorf("vehicle %d leaves at %d, before its shift", r.Vehicle, clock)
				}
			case "break":
				var b *VROOMBreak
				for i := range veh.Breaks {
					if veh.Breaks[i].ID == *s.ID {
						b = &veh.Breaks[i]
					}
				}
				if b == nil {
					t.Fatalf("vehicle %d: break %d is not its own", r.Vehicle, *s.ID)
				}
				breaks++
				start, ok := firstOpen(b.TimeWindows, clock)
				if s.Arrival != clock || !ok || s.WaitingTime != start-clock || s.Service != b.Service {
					t.Errorf("vehicle %d step %d (break %d): arrival %d waiting %d service %d; recomputed %d, %d (window ok %v), %d",
						r.Vehicle, k, b.ID, s.Arrival, s.WaitingTime, s.Service, clock, start-clock, ok, b.Service)
				}
				if len(b.MaxLoad) > 0 && load > b.MaxLoad[0] {
					t.Errorf("vehicle %d: load %d during break %d exceeds max_load %d", r.Vehicle, load, b.ID, b.MaxLoad[0])
				}
				clock = start + b.Service
			case "end":
				idx := *veh.EndIndex
				clock += dur[prev][idx]
				travel += dur[prev][idx]
				distance += dist[prev][idx]
				if s.Arrival != clock || s.Duration != travel || s.Distance != distance {
					t.Errorf("vehicle %d end: arrival %d duration %d distance %d; recomputed %d %d %d", r.Vehicle, s.Arrival, s.Duration, s.Distance, clock, travel, distance)
				}
				if veh.TimeWindow != nil && clock > veh.TimeWindow[1] {
					t.Errorf("vehicle %d is back at %d, after its shift", r.Vehicle, clock)
				}
			default:
				ti, ok := tasks[key(s.Type, *s.ID)]
				if !ok {
					t.Fatalf("step %s %d is not in the problem", s.Type, *s.ID)
				}
				idx := *ti.job.LocationIndex
				setup := ti.job.Setup
				if prev == idx {
					setup = 0 // same place: no setup (API.md, "Task setup times")
				}
				if prev >= 0 {
					clock += dur[prev][idx]
					travel += dur[prev][idx]
					distance += dist[prev][idx]
				}
				start, ok := firstOpen(ti.job.TimeWindows, clock)
				load += ti.delta[0]
				if s.Arrival != clock || !ok || s.WaitingTime != start-clock || s.Duration != travel || s.Distance != distance ||
					s.Setup != setup || s.Service != ti.job.Service || len(s.Load) != 1 || s.Load[0] != load {
					t.Errorf("vehicle %d step %d (%s %d): arrival %d waiting %d duration %d distance %d setup %d service %d load %v; recomputed %d %d (window ok %v) %d %d %d %d %d",
						r.Vehicle, k, s.Type, *s.ID, s.Arrival, s.WaitingTime, s.Duration, s.Distance, s.Setup, s.Service, s.Load,
						clock, start-clock, ok, travel, distance, setup, ti.job.Service, load)
				}
				if load < 0 || len(veh.Capacity) > 0 && load > veh.Capacity[0] {
					t.Errorf("vehicle %d: load %d after %s %d outside 0..%d", r.Vehicle, load, s.Type, *s.ID, veh.Capacity[0])
				}
				if sh, ok := shipOf[key(s.Type, *s.ID)]; ok {
					served[sh] = append(served[sh], jsonString(r.Vehicle)+":"+s.Type)
				}
				clock = start + setup + s.Service
				prev = idx
			}
		}
		if breaks != len(veh.Breaks) {
			t.Errorf("vehicle %d takes %d breaks, has %d", r.Vehicle, breaks, len(veh.Breaks))
		}
		if r.Duration != travel || r.Distance != distance {
			t.Errorf("vehicle %d: duration %d distance %d, recomputed %d %d", r.Vehicle, r.Duration, r.Distance, travel, distance)
		}
	}
	for k, sides := range served {
		if len(sides) != 2 || !strings.HasSuffix(sides[0], ":pickup") || !strings.HasSuffix(sides[1], ":delivery") ||
			strings.Split(sides[0], ":")[0] != strings.Split(sides[1], ":")[0] {
			t.Errorf("shipment %d served as %v", k, sides)
		}
	}
}

// firstOpen is the earliest time ≥ at in one of ws (at itself without
// windows).
func firstOpen(ws [][2]int64, at int64) (int64, bool) {
	if len(ws) == 0 {
		return at, true
	}
	best, ok := int64(0), false
	for _, w := range ws {
		if at <= w[1] {
			if c := max(at, w[0]); !ok || c < best {
				best, ok = c, true
			}
		}
	}
	return best, ok
}

// TestVROOMExample1Shipment solves example 1 without its break: the
// shipment rides vehicle 2 (skill 2), pickup 4 before delivery 3, and
// every step checks out.
func TestVROOMExample1Shipment(t *testing.T) {
	t.Parallel()
	body := example1(false)
	_, out := solveVROOM(t, body)
	if len(out.Unassigned) != 0 {
		t.Fatalf("unassigned %v", out.Unassigned)
	}
	found := false
	for _, r := range out.Routes {
		var kinds []string
		for _, s := range r.Steps {
			kinds = append(kinds, s.Type)
		}
		if strings.Contains(strings.Join(kinds, " "), "pickup") {
			found = true
			if r.Vehicle != 2 {
				t.Errorf("the shipment rides vehicle %d, only 2 has its skill", r.Vehicle)
			}
		}
	}
	if !found {
		t.Fatal("no pickup step")
	}
	recheckVROOM(t, body, out)
}

// TestVROOMExample1 solves example 1 whole: vehicle 2 takes its break
// (id 2, 300 s in [7200, 9000]) once, the shipment rides it too, and every
// step's arrival, waiting, load and distance checks out.
func TestVROOMExample1(t *testing.T) {
	t.Parallel()
	body := example1(true)
	v, out := solveVROOM(t, body)
	if len(out.Unassigned) != 0 {
		t.Fatalf("unassigned %v", out.Unassigned)
	}
	breaks := 0
	for _, r := range out.Routes {
		for _, s := range r.Steps {
			if s.Type == "break" {
				breaks++
				if r.Vehicle != 2 || *s.ID != 2 {
					t.Errorf("break %d on vehicle %d", *s.ID, r.Vehicle)
				}
			}
		}
	}
	if breaks != 1 {
		t.Fatalf("%d break steps, want 1", breaks)
	}
	recheckVROOM(t, body, out)
	// the output reads back into the same solution
	back, err := v.Solution(out)
	if err != nil {
		t.Fatal(err)
	}
	if roundDiv(back.Cost, VROOMCostScale) != out.Summary.Cost {
		t.Errorf("read back: cost %d, output says %d", roundDiv(back.Cost, VROOMCostScale), out.Summary.Cost)
	}
}

// TestVROOMBreakErrors: bad breaks are refused naming the field.
func TestVROOMBreakErrors(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct{ breaks, field string }{
		"twice":   {`[{"id": 1}, {"id": 1}]`, "vehicles[1].breaks[1].id"},
		"window":  {`[{"id": 1, "time_windows": [[9, 3]]}]`, "vehicles[1].breaks[0].time_windows[0]"},
		"service": {`[{"id": 1, "service": -5}]`, "vehicles[1].breaks[0].service"},
		"load":    {`[{"id": 1, "max_load": [-1]}]`, "vehicles[1].breaks[0].max_load[0]"},
	} {
		body := strings.Replace(example1(false), `"time_window": [0, 14400]}
  ],`, `"time_window": [0, 14400], "breaks": `+c.breaks+`}
  ],`, 1)
		_, err := ReadVROOM([]byte(body), nil)
		ie, ok := err.(*vrp.InputError)
		if !ok || ie.Field != c.field {
			t.Errorf("%s: error %v, want one on %s", name, err, c.field)
		}
	}
}
