package vrpio

// VROOM's vehicle and task fields beyond the basic ones (docs/API.md of
// VROOM-Project/vroom): speed_factor, setup, priority. max_tasks and
// max_travel_time are read with the vehicle (vroomjson_fleet.go).

import (
	"fmt"
	"math"
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
