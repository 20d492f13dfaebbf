package vrpio

import (
	"github.com/tongpei/tongpei/dispatch/vrp"

	"encoding/json"
	"fmt"
	"time"
)

// VROOMOutput is VROOM's solution format. Times are in the input's unit
// (seconds), distances in metres, costs in the input's cost unit.
type VROOMOutput struct {
	Code       int               `json:"code"` // 0: solved
	Error      string            `json:"error,omitempty"`
	Summary    VROOMSummary      `json:"summary"`
	Unassigned []VROOMUnassigned `json:"unassigned"`
	Routes     []VROOMRoute      `json:"routes"`
}

// VROOMSummary totals the routes. As in VROOM, Duration is travel time.
type VROOMSummary struct {
	Cost           int64               `json:"cost"`
	Routes         int                 `json:"routes"`
	Unassigned     int                 `json:"unassigned"`
	Delivery       []int64             `json:"delivery"`
	Pickup         []int64             `json:"pickup"`
	Setup          int64               `json:"setup"`
	Service        int64               `json:"service"`
	Duration       int64               `json:"duration"`
	WaitingTime    int64               `json:"waiting_time"`
	Priority       int64               `json:"priority"`
	Distance       int64               `json:"distance"`
	ComputingTimes VROOMComputingTimes `json:"computing_times"`
}

// VROOMComputingTimes are in milliseconds.
type VROOMComputingTimes struct {
	Loading int64 `json:"loading"`
	Solving int64 `json:"solving"`
	Routing int64 `json:"routing"`
}

// VROOMRoute is one vehicle's route. Geometry, when set, is a GeoJSON
// LineString of the stops' coordinates in visiting order (VROOM itself sends
// an encoded polyline of the road path; tongpei has no road path yet).
type VROOMRoute struct {
	Vehicle     uint64          `json:"vehicle"`
	Cost        int64           `json:"cost"`
	Steps       []VROOMStep     `json:"steps"`
	Delivery    []int64         `json:"delivery"`
	Pickup      []int64         `json:"pickup"`
	Setup       int64           `json:"setup"`
	Service     int64           `json:"service"`
	Duration    int64           `json:"duration"`
	WaitingTime int64           `json:"waiting_time"`
	Priority    int64           `json:"priority"`
	Distance    int64           `json:"distance"`
	Description string          `json:"description,omitempty"`
	Geometry    json.RawMessage `json:"geometry,omitempty"`
}

// VROOMStep is a start, a job, a reload (tongpei's addition: a multi-trip
// vehicle back at its start between two trips, Service being the reload
// time and WaitingTime the wait for the next trip's release) or the end of a
// route. Duration is the travel time accumulated on arrival, Distance the
// distance; Load is what is on board after the step.
type VROOMStep struct {
	Type          string       `json:"type"` // start | job | reload | end
	ID            *uint64      `json:"id,omitempty"`
	Description   string       `json:"description,omitempty"`
	Location      *Coordinates `json:"location,omitempty"`
	LocationIndex *int         `json:"location_index,omitempty"`
	Arrival       int64        `json:"arrival"`
	Duration      int64        `json:"duration"`
	Setup         int64        `json:"setup"`
	Service       int64        `json:"service"`
	WaitingTime   int64        `json:"waiting_time"`
	Distance      int64        `json:"distance"`
	Load          []int64      `json:"load"`
}

// VROOMUnassigned is a job left out; Reason and ReasonCode (tongpei's
// additions) say why.
type VROOMUnassigned struct {
	ID            uint64       `json:"id"`
	Type          string       `json:"type"`
	Description   string       `json:"description,omitempty"`
	Location      *Coordinates `json:"location,omitempty"`
	LocationIndex *int         `json:"location_index,omitempty"`
	ReasonCode    string       `json:"reason_code,omitempty"`
	Reason        string       `json:"reason,omitempty"`
}

// Output validates s and writes it in VROOM's format: routes numbered by the
// vehicles of their type in input order, schedules from RouteTimeline (the
// departure is as late as possible), costs divided by VROOMCostScale and
// rounded. The cost is VROOM's: fixed + per_hour × travel time + per_km ×
// distance, service and waiting not priced (the problem maps per_hour to
// TravelTimeCost, so RouteTimeline's Cost is exactly that). An invalid
// s is an error (a bug in the search, not bad input).
func (v *VROOM) Output(s *vrp.Solution, loading, solving time.Duration) (*VROOMOutput, error) {
	if err := vrp.Validate(v.Instance, s); err != nil {
		return nil, fmt.Errorf("the optimiser returned an invalid solution: %w", err)
	}
	in := v.Instance
	out := &VROOMOutput{Routes: []VROOMRoute{}, Unassigned: []VROOMUnassigned{}}
	sum := &out.Summary
	sum.Delivery, sum.Pickup = make([]int64, in.Dims), make([]int64, in.Dims)
	next := make([]int, len(in.VehicleTypes))
	var total int64
	for _, r := range s.Routes {
		if len(r.Stops) == 0 {
			continue
		}
		tl, err := vrp.RouteTimeline(in, r)
		if err != nil {
			return nil, err
		}
		if next[r.VehicleType] >= len(v.VehicleIDs[r.VehicleType]) {
			return nil, fmt.Errorf("more routes of vehicle type %d than vehicles", r.VehicleType)
		}
		vid := v.VehicleIDs[r.VehicleType][next[r.VehicleType]]
		next[r.VehicleType]++
		route := v.route(vid, r, tl)
		total += tl.Cost
		out.Routes = append(out.Routes, route)
		sum.Service += route.Service
		sum.Setup += route.Setup
		sum.Duration += route.Duration
		sum.WaitingTime += route.WaitingTime
		sum.Distance += route.Distance
		sum.Priority += route.Priority
		for d := range in.Dims {
			sum.Delivery[d] += route.Delivery[d]
			sum.Pickup[d] += route.Pickup[d]
		}
	}
	sum.Cost = roundDiv(total, VROOMCostScale)
	sum.Routes = len(out.Routes)
	for _, u := range s.Unassigned {
		j := &v.tasks[u.Stop]
		out.Unassigned = append(out.Unassigned, VROOMUnassigned{
			ID: j.ID, Type: j.kind, Description: j.Description, Location: j.Location,
			LocationIndex: j.LocationIndex, ReasonCode: u.Code, Reason: u.Reason,
		})
	}
	sum.Unassigned = len(out.Unassigned)
	sum.ComputingTimes = VROOMComputingTimes{Loading: loading.Milliseconds(), Solving: solving.Milliseconds()}
	return out, nil
}

func (v *VROOM) route(vid uint64, r vrp.Route, tl *vrp.Timeline) VROOMRoute {
	in := v.Instance
	dims := in.Dims
	veh := v.vehicle(vid)
	route := VROOMRoute{
		Vehicle: vid, Cost: roundDiv(tl.Cost, VROOMCostScale), Description: veh.Description,
		Delivery: tl.StartLoad[:dims:dims], Pickup: make([]int64, dims),
		Duration: tl.Travel, WaitingTime: tl.Waiting, Distance: tl.Distance,
	}
	vt := &in.VehicleTypes[r.VehicleType]
	if vt.Start != vrp.NoPlace { // no start: the route begins at its first job
		start := VROOMStep{Type: "start", Location: veh.Start, LocationIndex: veh.StartIndex,
			Arrival: tl.Departure, Load: tl.StartLoad[:dims:dims]}
		route.Steps = append(route.Steps, start)
	}
	travel, prev := int64(0), vt.Start
	trip := 0
	for k, st := range r.Stops {
		v.breakSteps(&route, r, tl, k, travel)
		if trip+1 < len(tl.Trips) && tl.Trips[trip+1].First == k {
			// back at the depot, reload, leave for the next trip
			travel += in.Time(prev, 0)
			back := tl.Trips[trip]
			next := tl.Trips[trip+1]
			reload := in.VehicleTypes[r.VehicleType].ReloadTime
			dist := tl.Steps[k-1].Distance + in.Dist(prev, 0)
			load := next.StartLoad
			route.Steps = append(route.Steps, VROOMStep{
				Type: "reload", Location: veh.Start, LocationIndex: veh.StartIndex,
				Arrival: back.Return, Duration: travel, Service: reload,
				WaitingTime: next.Departure - back.Return - reload, Distance: dist, Load: load[:dims:dims],
			})
			route.Delivery = addAmount(route.Delivery, next.StartLoad, dims)
			prev = 0
			trip++
		}
		j := &v.tasks[st]
		step := tl.Steps[k]
		if prev != vrp.NoPlace {
			travel += in.Time(prev, st+1)
		}
		prev = st + 1
		id := j.ID
		load := step.Load
		route.Steps = append(route.Steps, VROOMStep{
			Type: j.kind, ID: &id, Description: j.Description, Location: j.Location,
			LocationIndex: j.LocationIndex, Arrival: step.Arrival, Duration: travel,
			Setup: step.Setup, Service: j.Service, WaitingTime: step.Waiting,
			Distance: step.Distance, Load: load[:dims:dims],
		})
		route.Setup += step.Setup
		route.Service += j.Service
		route.Priority += int64(j.Priority)
		for d := range dims {
			route.Pickup[d] += in.Stops[st].Pickup[d]
			if j.kind == taskDelivery { // a job's delivery is in the start load
				route.Delivery[d] += in.Stops[st].Delivery[d]
			}
		}
	}
	v.breakSteps(&route, r, tl, len(r.Stops), travel)
	if vt.End != vrp.NoPlace { // no end: the route finishes at its last job
		last := tl.Steps[len(tl.Steps)-1].Load
		route.Steps = append(route.Steps, VROOMStep{
			Type: "end", Location: veh.End, LocationIndex: veh.EndIndex, Arrival: tl.Return,
			Duration: tl.Travel, Distance: tl.Distance, Load: last[:dims:dims],
		})
	}
	return route
}

// addAmount is a + b on the first dims dimensions, in a new slice.
func addAmount(a []int64, b vrp.Amount, dims int) []int64 {
	out := make([]int64, dims)
	for d := range dims {
		out[d] = a[d] + b[d]
	}
	return out
}

func (v *VROOM) vehicle(id uint64) *VROOMVehicle {
	for i := range v.Problem.Vehicles {
		if v.Problem.Vehicles[i].ID == id {
			return &v.Problem.Vehicles[i]
		}
	}
	return &VROOMVehicle{}
}

// roundDiv is a/b rounded to the nearest integer, for a ≥ 0, b > 0.
func roundDiv(a, b int64) int64 { return (a + b/2) / b }

// Solution reads a VROOM output (tongpei's or VROOM's own) back into a
// Solution of this problem: routes by vehicle id and job ids, jobs listed
// as unassigned kept with their reason. Cost is recomputed with Evaluate, so
// an infeasible output is an error.
func (v *VROOM) Solution(out *VROOMOutput) (*vrp.Solution, error) {
	typeOf := map[uint64]int{}
	for t, ids := range v.VehicleIDs {
		for _, id := range ids {
			typeOf[id] = t
		}
	}
	type key struct {
		kind string
		id   uint64
	}
	stopOf := map[key]int{}
	for i, t := range v.tasks {
		stopOf[key{t.kind, t.ID}] = i
	}
	s := &vrp.Solution{}
	for k, r := range out.Routes {
		t, ok := typeOf[r.Vehicle]
		if !ok {
			return nil, fieldErr(fmt.Sprintf("routes[%d].vehicle", k), "vehicle %d is not in the problem", r.Vehicle)
		}
		route := vrp.Route{VehicleType: t}
		for _, st := range r.Steps {
			if st.Type == "break" {
				b, err := v.breakOf(k, t, st.ID)
				if err != nil {
					return nil, err
				}
				route.Breaks = append(route.Breaks, vrp.BreakAt{Break: b, After: len(route.Stops)})
				continue
			}
			if st.Type == "reload" && len(route.Stops) > 0 {
				route.Reloads = append(route.Reloads, len(route.Stops))
			}
			if st.Type != taskJob && st.Type != taskPickup && st.Type != taskDelivery {
				continue
			}
			if st.ID == nil {
				return nil, fieldErr(fmt.Sprintf("routes[%d].steps", k), "a job step has no id")
			}
			i, ok := stopOf[key{st.Type, *st.ID}]
			if !ok {
				return nil, fieldErr(fmt.Sprintf("routes[%d].steps", k), "%s %d is not in the problem", st.Type, *st.ID)
			}
			route.Stops = append(route.Stops, i)
		}
		s.Routes = append(s.Routes, route)
	}
	for k, u := range out.Unassigned {
		kind := u.Type
		if kind == "" {
			kind = taskJob
		}
		i, ok := stopOf[key{kind, u.ID}]
		if !ok {
			return nil, fieldErr(fmt.Sprintf("unassigned[%d].id", k), "job %d is not in the problem", u.ID)
		}
		s.Unassigned = append(s.Unassigned, vrp.Unassigned{Stop: i, Code: u.ReasonCode, Reason: u.Reason})
	}
	cost, err := vrp.Evaluate(v.Instance, s)
	if err != nil {
		return nil, err
	}
	s.Cost = cost
	return s, nil
}
