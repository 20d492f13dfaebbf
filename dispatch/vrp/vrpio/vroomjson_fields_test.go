package vrpio

import (
	"math"
	"strings"
	"testing"

	"github.com/tongpei/tongpei/dispatch/vrp"
)

// fieldsProblem is a line of four places (0 the depot) with jobs 1 and 2 at
// index 1 (one place: setup once), job 3 at 2 and job 4 at 3.
const fieldsProblem = `{
  "vehicles": [{"id": 7, "start_index": 0, "end_index": 0, "max_tasks": 3, "speed_factor": 2, "max_travel_time": 5000 VEH}],
  "jobs": [
    {"id": 1, "location_index": 1, "setup": 60, "service": 10, "priority": 5},
    {"id": 2, "location_index": 1, "setup": 60, "service": 10, "priority": 90},
    {"id": 3, "location_index": 2, "setup": 30, "service": 10, "priority": 80},
    {"id": 4, "location_index": 3, "setup": 30, "service": 10, "priority": 70}
  ],
  "matrices": {"car": {
    "durations": [[0, 1000, 2000, 3000], [1000, 0, 1000, 2000], [2000, 1000, 0, 1000], [3000, 2000, 1000, 0]],
    "distances": [[0, 10, 20, 30], [10, 0, 10, 20], [20, 10, 0, 10], [30, 20, 10, 0]]}}
}`

// TestVROOMFields: max_tasks 3 leaves out the lowest priority (job 1),
// speed_factor 2 halves the durations, setup is spent once per place, and
// every step checks out against a recomputation with halved durations.
func TestVROOMFields(t *testing.T) {
	t.Parallel()
	body := strings.Replace(fieldsProblem, " VEH", "", 1)
	v, out := solveVROOM(t, body)
	vt := v.Instance.VehicleTypes[0]
	if vt.MaxStops != 3 || vt.MaxTravelTime != 5000 || vt.MaxDuration != 0 || v.Instance.Time(0, 1) != 500 {
		t.Fatalf("max stops %d, max travel %d, max duration %d, time 0→1 %d; want 3, 5000, 0, 500", vt.MaxStops, vt.MaxTravelTime, vt.MaxDuration, v.Instance.Time(0, 1))
	}
	if len(out.Unassigned) != 1 || out.Unassigned[0].ID != 1 {
		t.Fatalf("unassigned %+v, want job 1 (priority 5)", out.Unassigned)
	}
	if out.Summary.Priority != 240 {
		t.Errorf("priority %d, want 240", out.Summary.Priority)
	}
	var setups []int64
	for _, s := range out.Routes[0].Steps {
		if s.Type == "job" {
			setups = append(setups, s.Setup)
		}
	}
	if out.Routes[0].Setup != 120 || len(setups) != 3 {
		t.Errorf("route setup %d, steps %v; want 120 over three jobs", out.Routes[0].Setup, setups)
	}
	halved := strings.NewReplacer("1000", "500", "2000", "1000", "3000", "1500").Replace(body)
	halved = strings.Replace(halved, `"speed_factor": 2`, `"speed_factor": 1`, 1)
	recheckVROOM(t, halved, out)
}

// TestVROOMFieldsRefused: a bad value or a speed factor that differs
// between vehicles is refused naming the field.
func TestVROOMFieldsRefused(t *testing.T) {
	t.Parallel()
	second := `}, {"id": 8, "start_index": 0, "speed_factor": 1.5`
	for name, c := range map[string]struct{ edit, field string }{
		"speed differs": {second, "vehicles[1].speed_factor"},
		"speed range":   {`, "speed_factor": 9`, "vehicles[0].speed_factor"},
		"tasks":         {`, "max_tasks": 0`, "vehicles[0].max_tasks"},
		"steps":         {`, "steps": [{"type": "start"}, {"type": "job", "id": 99}]`, "vehicles[0].steps[1].id"},
		"step type":     {`, "steps": [{"type": "lunch"}]`, "vehicles[0].steps[0].type"},
		"per task hour": {`, "costs": {"per_task_hour": 10}`, "vehicles[0].costs.per_task_hour"},
	} {
		body := strings.Replace(fieldsProblem, " VEH", c.edit, 1)
		if name == "speed range" || name == "tasks" {
			body = strings.Replace(strings.Replace(body, `"speed_factor": 2, `, "", 1), `"max_tasks": 3, `, "", 1)
		}
		_, err := ReadVROOM([]byte(body), nil)
		ie, ok := err.(*vrp.InputError)
		if !ok || ie.Field != c.field {
			t.Errorf("%s: error %v, want one on %s", name, err, c.field)
		}
	}
}

// TestVROOMPerTypeRefused: per-vehicle-type service and setup are refused.
func TestVROOMPerTypeRefused(t *testing.T) {
	t.Parallel()
	body := strings.Replace(strings.Replace(fieldsProblem, " VEH", "", 1), `"setup": 30, "service": 10, "priority": 80}`,
		`"setup": 30, "service": 10, "priority": 80, "service_per_type": {"van": 5}}`, 1)
	_, err := ReadVROOM([]byte(body), nil)
	if ie, ok := err.(*vrp.InputError); !ok || ie.Field != "jobs[2].service_per_type" {
		t.Errorf("error %v, want one on jobs[2].service_per_type", err)
	}
}

// planarMatrix is a MatrixFunc over coordinates: metres on an
// equirectangular projection, 15 m/s.
func planarMatrix(locs []Coordinates) (dist, dur []int64, err error) {
	n := len(locs)
	dist, dur = make([]int64, n*n), make([]int64, n*n)
	for i, a := range locs {
		for j, b := range locs {
			x := (b[0] - a[0]) * math.Cos((a[1]+b[1])/2*math.Pi/180) * 111320
			y := (b[1] - a[1]) * 110574
			dist[i*n+j] = int64(math.Round(math.Hypot(x, y)))
			dur[i*n+j] = int64(math.Round(float64(dist[i*n+j]) / 15))
		}
	}
	return dist, dur, nil
}

// vroomExample3 is docs/example_3.json of VROOM-Project/vroom (commit
// 004faa4b89d769f51cb1f0227cd53be41f5d4586): two vehicles whose steps
// give a starting solution.
const vroomExample3 = `{"vehicles":[
 {"start":[2.35044,48.71764],"capacity":[4],"end":[2.35044,48.71764],"id":1,
  "steps":[{"type":"start"},{"type":"job","id":1},{"type":"job","id":2},{"type":"job","id":5},{"type":"end"}],
  "time_window":[1600416000,1600426800]},
 {"start":[2.35044,48.71764],"capacity":[4],"end":[2.35044,48.71764],"id":2,
  "steps":[{"type":"start","service_after":1600415200},{"type":"job","id":6},{"type":"job","id":4},{"type":"job","id":3},{"type":"end"}],
  "time_window":[1600416000,1600426800]}],
 "jobs":[{"delivery":[2],"id":1,"service":300,"location":[1.98935,48.701]},
  {"delivery":[2],"id":2,"service":300,"location":[2.03655,48.61128]},
  {"delivery":[1],"id":3,"service":300,"location":[2.39719,49.07611],"time_windows":[[1600416000,1600423200]]},
  {"delivery":[1],"id":4,"service":300,"location":[2.41808,49.22619],"time_windows":[[1600416000,1600423200]]},
  {"delivery":[3],"id":5,"service":300,"location":[2.28325,48.5958]},
  {"delivery":[1],"id":6,"service":300,"location":[2.89357,48.90736],"time_windows":[[1600416000,1600423200]]}]}`

// TestVROOMExample3: the steps become the search's starting routes. They
// overload vehicle 1 (deliveries 7 on capacity 4: the example is meant for
// VROOM's plan mode, which reports violations, and VROOM's solving mode
// refuses it); tongpei starts from them anyway and the search repairs
// them: a valid solution (Output runs the validator). 10 units of
// deliveries meet 8 of capacity; the model does not yet maximise what is
// served when not all fits (VROOM does), so the bound here is the 6 units
// it reaches, not the 8 possible.
func TestVROOMExample3(t *testing.T) {
	t.Parallel()
	v, err := ReadVROOM([]byte(vroomExample3), planarMatrix)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Initial) != 2 || len(v.Initial[0].Stops) != 3 || v.Initial[1].Stops[0] != 5 {
		t.Fatalf("initial routes %+v", v.Initial)
	}
	sol, err := vrp.Solve(t.Context(), v.Instance, vrp.Options{Seed: 1, MaxIterations: 50, Initial: v.Initial})
	if err != nil {
		t.Fatal(err)
	}
	var served int64
	for _, r := range sol.Routes {
		for _, s := range r.Stops {
			served += v.Instance.Stops[s].Delivery[0]
		}
	}
	if served < 6 || len(sol.Routes) != 2 {
		t.Fatalf("%d routes deliver %d units; unassigned %v", len(sol.Routes), served, sol.Unassigned)
	}
	if _, err := v.Output(sol, 0, 0); err != nil {
		t.Fatal(err)
	}
}
