package vrpio

import (
	"github.com/tongpei/tongpei/dispatch/vrp"

	"encoding/json"
	"fmt"
	"strconv"
)

// VROOMBreak is a vehicle's break (docs/API.md of VROOM-Project/vroom,
// "Breaks"): it happens once in the route, starting within one of its time
// windows, lasting service, with at most max_load on board.
type VROOMBreak struct {
	ID          uint64     `json:"id"`
	TimeWindows [][2]int64 `json:"time_windows,omitempty"`
	Service     int64      `json:"service,omitempty"`
	Description string     `json:"description,omitempty"`
	MaxLoad     []int64    `json:"max_load,omitempty"`
}

// breaksKey tells vehicles with the same breaks apart from others (they
// may then share a vehicle type).
func breaksKey(bs []VROOMBreak) string {
	if len(bs) == 0 {
		return ""
	}
	b, _ := json.Marshal(bs)
	return string(b)
}

// breaks converts a vehicle's breaks: ids unique within the vehicle
// (VROOM's rule), windows sorted and merged, max_load on the problem's
// dimensions.
func breaks(field string, bs []VROOMBreak, in *vrp.Instance) ([]vrp.Break, error) {
	if len(bs) > maxVROOMBreaks {
		return nil, fieldErr(field, "%d breaks, at most %d per vehicle", len(bs), maxVROOMBreaks)
	}
	var out []vrp.Break
	seen := map[uint64]bool{}
	for k, b := range bs {
		f := fmt.Sprintf("%s[%d]", field, k)
		if seen[b.ID] {
			return nil, fieldErr(f+".id", "id %d is used by two breaks of this vehicle; ids must be unique", b.ID)
		}
		seen[b.ID] = true
		if b.Service < 0 || b.Service > maxVROOMValue {
			return nil, fieldErr(f+".service", "must be between 0 and %d seconds", int64(maxVROOMValue))
		}
		ws, err := windows(f+".time_windows", b.TimeWindows)
		if err != nil {
			return nil, err
		}
		br := vrp.Break{ID: strconv.FormatUint(b.ID, 10), TimeWindows: ws, Service: b.Service}
		if len(b.MaxLoad) > 0 {
			if br.MaxLoad, err = amount(f+".max_load", b.MaxLoad, in); err != nil {
				return nil, err
			}
			br.LimitLoad = true
		}
		out = append(out, br)
	}
	return out, nil
}

// maxVROOMBreaks bounds a vehicle's breaks (the model's limit).
const maxVROOMBreaks = 8

// breakSteps appends the break steps taken after k stops of r; travel is
// the travel time driven so far.
func (v *VROOM) breakSteps(route *VROOMRoute, r vrp.Route, tl *vrp.Timeline, k int, travel int64) {
	vt := &v.Instance.VehicleTypes[r.VehicleType]
	dims := v.Instance.Dims
	for i, b := range r.Breaks {
		if b.After != k {
			continue
		}
		br := &vt.Breaks[b.Break]
		bt := tl.Breaks[i]
		id, _ := strconv.ParseUint(br.ID, 10, 64)
		dist := int64(0)
		if k > 0 {
			dist = tl.Steps[k-1].Distance
		}
		load := bt.Load
		route.Steps = append(route.Steps, VROOMStep{
			Type: "break", ID: &id, Arrival: bt.Arrival, Duration: travel, Service: br.Service,
			WaitingTime: bt.Waiting, Distance: dist, Load: load[:dims:dims],
		})
		route.Service += br.Service
	}
}

// breakOf finds the break of vehicle type t with id, for routes[k].
func (v *VROOM) breakOf(k, t int, id *uint64) (int, error) {
	if id == nil {
		return 0, fieldErr(fmt.Sprintf("routes[%d].steps", k), "a break step has no id")
	}
	for b, br := range v.Instance.VehicleTypes[t].Breaks {
		if br.ID == strconv.FormatUint(*id, 10) {
			return b, nil
		}
	}
	return 0, fieldErr(fmt.Sprintf("routes[%d].steps", k), "break %d is not one of the vehicle's", *id)
}
