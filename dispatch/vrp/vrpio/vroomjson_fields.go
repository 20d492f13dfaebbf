package vrpio

// VROOM's vehicle and task fields beyond the basic ones (docs/API.md of
// VROOM-Project/vroom): speed_factor, setup, priority. max_tasks and
// max_travel_time are read with the vehicle (vroomjson_fleet.go).

import (
	"github.com/tongpei/tongpei/dispatch/vrp"

	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// applySpeedFactor scales the durations by the vehicles' speed_factor
// (VROOM: "used to scale all vehicle travel times", in (0, 5], two
// digits): a duration d becomes round(d / factor). The model has one
// durations matrix, so every vehicle must have the same factor; different
// ones are refused by name.
func (v *VROOM) applySpeedFactor() error {
	f := 1.0
	for i, veh := range v.Problem.Vehicles {
		g := 1.0
		if veh.SpeedFactor != nil {
			g = *veh.SpeedFactor
		}
		field := fmt.Sprintf("vehicles[%d].speed_factor", i)
		if !(g > 0 && g <= 5) {
			return fieldErr(field, "%v must be in (0, 5]", g)
		}
		g = math.Round(g*100) / 100
		if i == 0 {
			f = g
		} else if g != f {
			return fieldErr(field, "%v differs from vehicles[0]'s %v: vehicles with different speed factors are not supported; give them one factor or solve them apart", g, f)
		}
	}
	if f == 1 || v.Instance.Duration == nil {
		return nil
	}
	for k, d := range v.Instance.Duration {
		v.Instance.Duration[k] = int64(math.Round(float64(d) / f))
	}
	return nil
}

// siteOf numbers the places of tasks for setup (vrp.Stop.Site): tasks at
// the same location index, or the same coordinates when there is none,
// share a site.
type siteOf map[string]int

func (s siteOf) of(j *VROOMJob) int {
	var key string
	switch {
	case j.LocationIndex != nil:
		key = fmt.Sprintf("i%d", *j.LocationIndex)
	case j.Location != nil:
		key = fmt.Sprintf("c%v,%v", j.Location[0], j.Location[1])
	default:
		return 0
	}
	if n, ok := s[key]; ok {
		return n
	}
	s[key] = len(s) + 1
	return s[key]
}

// perType refuses the per-vehicle-type setup and service of a task: the
// model has one service per stop.
func perType(field string, j *VROOMJob) error {
	for name, raw := range map[string]json.RawMessage{"setup_per_type": j.SetupPerType, "service_per_type": j.ServicePerType} {
		if len(raw) > 0 && string(raw) != "null" && string(raw) != "{}" {
			return fieldErr(field+"."+name, "per-vehicle-type %s is not supported; give one value in %s", strings.TrimSuffix(name, "_per_type"), strings.TrimSuffix(name, "_per_type"))
		}
	}
	return nil
}

// VROOMVehicleStep is a step of a vehicle's custom route.
type VROOMVehicleStep struct {
	Type          string  `json:"type"`
	ID            *uint64 `json:"id,omitempty"`
	ServiceAt     *int64  `json:"service_at,omitempty"`
	ServiceAfter  *int64  `json:"service_after,omitempty"`
	ServiceBefore *int64  `json:"service_before,omitempty"`
}

// buildSteps reads the vehicles' steps as VROOM's solving mode does
// (docs/API.md, "In solving mode"): the job, pickup and delivery steps give
// each vehicle's starting route, which the search starts from (Initial,
// vrp.Options.Initial: a warm start); the service_* keys are not used
// there, as in VROOM, and breaks are placed by the search. A task in two
// routes or not in the problem is an error.
func (v *VROOM) buildSteps() error {
	index := map[string]int{}
	for i, t := range v.tasks {
		index[t.kind+":"+strconv.FormatUint(t.ID, 10)] = i
	}
	used := map[int]bool{}
	for i, veh := range v.Problem.Vehicles {
		var route vrp.Route
		for s, st := range veh.Steps {
			field := fmt.Sprintf("vehicles[%d].steps[%d]", i, s)
			switch st.Type {
			case "start", "end", "break":
				continue
			case taskJob, taskPickup, taskDelivery:
			default:
				return fieldErr(field+".type", "%q is not start, job, pickup, delivery, break or end", st.Type)
			}
			if st.ID == nil {
				return fieldErr(field+".id", "a %s step needs the id of its task", st.Type)
			}
			stop, ok := index[st.Type+":"+strconv.FormatUint(*st.ID, 10)]
			if !ok {
				return fieldErr(field+".id", "%s %d is not in the problem", st.Type, *st.ID)
			}
			if used[stop] {
				return fieldErr(field+".id", "%s %d is in two vehicles' steps", st.Type, *st.ID)
			}
			used[stop] = true
			route.Stops = append(route.Stops, stop)
		}
		if len(route.Stops) == 0 {
			continue
		}
		// the route's vehicle is the type's; Output hands the type's
		// routes to its vehicles in input order
		route.VehicleType = v.typeOf(veh.ID)
		v.Initial = append(v.Initial, route)
	}
	return nil
}

// typeOf is the vehicle type of vehicle id.
func (v *VROOM) typeOf(id uint64) int {
	for t, ids := range v.VehicleIDs {
		if slices.Contains(ids, id) {
			return t
		}
	}
	return 0
}
