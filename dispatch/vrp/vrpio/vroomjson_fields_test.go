package vrpio

import (
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
		"steps":         {`, "steps": [{"type": "start"}]`, "vehicles[0].steps"},
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
