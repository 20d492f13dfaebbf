package vrpio

// VROOM's JSON problem format (https://github.com/VROOM-Project/vroom/blob/master/docs/API.md),
// the body of POST /v1/optimize and a `tongpei solve` input: the subset that
// fits the model (one depot for reloads, vehicles' own starts and ends or
// none, jobs with pickup and delivery, time windows, skills, a heterogeneous
// fleet), converted to an Instance and back.

import (
	"github.com/tongpei/tongpei/dispatch/vrp"

	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
)

// Limits on a VROOM problem.
const (
	MaxVROOMJobs     = 2000
	MaxVROOMVehicles = 1000
	maxVROOMValue    = 1 << 40 // amounts, times, matrix entries
)

// VROOMCostScale is how VROOM's costs become the model's integers: fixed
// costs, per_hour (per 3600 s) and per_km (per 1000 m) are multiplied by
// 36000, so FixedCost = 36000×fixed, TravelTimeCost = 10×per_hour per second and
// DistanceCost = 36×per_km per metre. Output costs are divided back.
const VROOMCostScale = 36000

// Coordinates is a [lon, lat] pair, VROOM's order.
type Coordinates [2]float64

// MatrixFunc builds travel matrices between coordinates: N×N row-major
// distances in metres and durations in seconds. dispatch/geo provides one.
type MatrixFunc func(locs []Coordinates) (distances, durations []int64, err error)

// VROOMProblem is the JSON input. Fields tongpei does not support are
// declared so that their presence is refused rather than ignored.
type VROOMProblem struct {
	Vehicles  []VROOMVehicle              `json:"vehicles"`
	Jobs      []VROOMJob                  `json:"jobs"`
	Shipments []VROOMShipment             `json:"shipments,omitempty"`
	Matrices  map[string]VROOMMatrixGroup `json:"matrices,omitempty"`
	// Matrix is the legacy durations matrix; Distances may come beside it.
	Matrix    [][]int64 `json:"matrix,omitempty"`
	Distances [][]int64 `json:"distances,omitempty"`
}

// VROOMMatrixGroup is one profile's matrices.
type VROOMMatrixGroup struct {
	Durations [][]int64 `json:"durations,omitempty"`
	Distances [][]int64 `json:"distances,omitempty"`
	Costs     [][]int64 `json:"costs,omitempty"`
}

// VROOMVehicle is a vehicle of the input.
type VROOMVehicle struct {
	ID            uint64       `json:"id"`
	Profile       string       `json:"profile,omitempty"`
	Description   string       `json:"description,omitempty"`
	Start         *Coordinates `json:"start,omitempty"`
	StartIndex    *int         `json:"start_index,omitempty"`
	End           *Coordinates `json:"end,omitempty"`
	EndIndex      *int         `json:"end_index,omitempty"`
	Capacity      []int64      `json:"capacity,omitempty"`
	Skills        []uint64     `json:"skills,omitempty"`
	TimeWindow    *[2]int64    `json:"time_window,omitempty"`
	Costs         *VROOMCosts  `json:"costs,omitempty"`
	MaxTravelTime *int64       `json:"max_travel_time,omitempty"`
	MaxDistance   *int64       `json:"max_distance,omitempty"`
	MaxTasks      *int         `json:"max_tasks,omitempty"`
	SpeedFactor   *float64     `json:"speed_factor,omitempty"`
	// MaxTrips and ReloadTime are tongpei's additions (VROOM has no
	// multi-trip vehicles): the vehicle may return to its start to reload
	// and leave again, up to MaxTrips trips (-1: as many as its time window
	// allows), spending ReloadTime seconds at each reload. Its routes then
	// hold "reload" steps.
	MaxTrips   *int               `json:"max_trips,omitempty"`
	ReloadTime int64              `json:"reload_time,omitempty"`
	Breaks     []VROOMBreak       `json:"breaks,omitempty"`
	Steps      []VROOMVehicleStep `json:"steps,omitempty"`
	// Type only labels the vehicle: the *_per_type task fields it would
	// select are refused (vroomjson_fields.go).
	Type string `json:"type,omitempty"`
}

// VROOMCosts are a vehicle's costs; VROOM's defaults are fixed 0, per_hour
// 3600 (so cost is seconds of travel) and per_km 0.
type VROOMCosts struct {
	Fixed       *int64 `json:"fixed,omitempty"`
	PerHour     *int64 `json:"per_hour,omitempty"`
	PerKm       *int64 `json:"per_km,omitempty"`
	PerTaskHour *int64 `json:"per_task_hour,omitempty"` // refused when not 0
}

// VROOMJob is a place to serve. Priority steers which jobs are left out
// when not all fit (vrp.Stop.Priority); setup is spent on arrival from
// another place (vrp.Stop.Setup).
type VROOMJob struct {
	ID            uint64       `json:"id"`
	Description   string       `json:"description,omitempty"`
	Location      *Coordinates `json:"location,omitempty"`
	LocationIndex *int         `json:"location_index,omitempty"`
	Setup         int64        `json:"setup,omitempty"`
	Service       int64        `json:"service,omitempty"`
	Delivery      []int64      `json:"delivery,omitempty"`
	Pickup        []int64      `json:"pickup,omitempty"`
	Amount        []int64      `json:"amount,omitempty"`
	Skills        []uint64     `json:"skills,omitempty"`
	Priority      int          `json:"priority,omitempty"`
	TimeWindows   [][2]int64   `json:"time_windows,omitempty"`
	// refused when present (vroomjson_fields.go)
	SetupPerType   json.RawMessage `json:"setup_per_type,omitempty"`
	ServicePerType json.RawMessage `json:"service_per_type,omitempty"`
}

// VROOM is a VROOM problem converted to the model, with what answering in
// VROOM's output format needs.
type VROOM struct {
	Problem  VROOMProblem
	Instance *vrp.Instance
	// VehicleIDs lists, for each vehicle type, the ids of its vehicles in
	// input order; the k-th route of a type is driven by its k-th vehicle.
	VehicleIDs [][]uint64
	// Coords holds each matrix node's coordinates (depot first), or nil
	// when the problem gives matrix indices only.
	Coords []Coordinates
	// Index holds each matrix node's index in the input matrices, or nil.
	Index []int
	ends  vehicleEnds
	// tasks are the stops as the input gave them: the jobs, then each
	// shipment's pickup and delivery (vroomjson_shipments.go).
	tasks []task
	// Initial holds the routes the vehicles' steps describe, for the
	// search to start from (VROOM's solving mode; vroomjson_fields.go).
	Initial []vrp.Route
}

// ReadVROOM parses a VROOM problem and converts it. Travel comes from the
// problem's matrices when it has them (`matrices` with one profile, or the
// legacy `matrix` of durations and `distances`), else from matrix applied to
// the coordinates (it may be nil when matrices are given). Bad input is an
// *InputError naming the JSON field; no input makes it panic.
func ReadVROOM(data []byte, matrix MatrixFunc) (*VROOM, error) {
	v := &VROOM{}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&v.Problem); err != nil {
		return nil, jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &vrp.InputError{Reason: "unexpected data after the JSON object; send one problem"}
	}
	if err := v.build(matrix); err != nil {
		return nil, err
	}
	return v, nil
}

func jsonError(err error) *vrp.InputError {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &vrp.InputError{Field: te.Field, Reason: fmt.Sprintf("want %s, got JSON %s", te.Type, te.Value), Cause: err}
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &vrp.InputError{Reason: fmt.Sprintf("invalid JSON at byte %d: %v", se.Offset, err), Cause: err}
	}
	return &vrp.InputError{Reason: "invalid JSON: " + err.Error(), Cause: err}
}

func fieldErr(field, format string, args ...any) *vrp.InputError {
	return &vrp.InputError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

func (v *VROOM) build(matrix MatrixFunc) error {
	p := &v.Problem
	switch {
	case len(p.Jobs)+len(p.Shipments) == 0:
		return fieldErr("jobs", "no jobs or shipments; send at least one")
	case len(p.Jobs)+2*len(p.Shipments) > MaxVROOMJobs:
		return fieldErr("jobs", "%d jobs and %d shipments (two stops each), more than the limit of %d stops; split the problem", len(p.Jobs), len(p.Shipments), MaxVROOMJobs)
	case len(p.Vehicles) == 0:
		return fieldErr("vehicles", "no vehicles; send at least one")
	case len(p.Vehicles) > MaxVROOMVehicles:
		return fieldErr("vehicles", "%d vehicles, more than the limit of %d", len(p.Vehicles), MaxVROOMVehicles)
	}
	if err := v.collectTasks(); err != nil {
		return err
	}
	in := &vrp.Instance{Name: "vroom", Dims: 1, DepotWindow: vrp.TimeWindow{Start: 0, End: vrp.Horizon}, Stops: make([]vrp.Stop, len(v.tasks))}
	v.Instance = in
	skills := map[uint64]uint{} // skill → bit
	if err := v.buildJobs(skills); err != nil {
		return err
	}
	if err := v.buildFleet(skills); err != nil {
		return err
	}
	if err := v.buildSteps(); err != nil {
		return err
	}
	return v.buildMatrices(matrix)
}

// skillBits maps VROOM's skill numbers to the model's bit set.
func skillBits(field string, list []uint64, skills map[uint64]uint) (uint64, error) {
	var bits uint64
	for _, s := range list {
		b, ok := skills[s]
		if !ok {
			if len(skills) == 64 {
				return 0, fieldErr(field, "more than 64 distinct skills in the problem")
			}
			b = uint(len(skills))
			skills[s] = b
		}
		bits |= 1 << b
	}
	return bits, nil
}

func (v *VROOM) buildJobs(skills map[uint64]uint) error {
	in := v.Instance
	sites := siteOf{}
	for i := range v.tasks {
		j := &v.tasks[i].VROOMJob
		field := v.tasks[i].field
		s := &in.Stops[i]
		s.ID = strconv.FormatUint(j.ID, 10)
		if j.Service < 0 || j.Setup < 0 || j.Service+j.Setup > maxVROOMValue {
			return fieldErr(field+".service", "must be between 0 and %d seconds", int64(maxVROOMValue))
		}
		if err := perType(field, j); err != nil {
			return err
		}
		s.Service, s.Setup, s.Site = j.Service, j.Setup, sites.of(j)
		if j.Priority < 0 || j.Priority > 100 {
			return fieldErr(field+".priority", "%d is outside 0..100", j.Priority)
		}
		s.Priority = j.Priority
		if v.tasks[i].kind != taskJob {
			if err := v.shipmentStop(i, &v.tasks[i]); err != nil {
				return err
			}
		}
		delivery := j.Delivery
		if len(j.Amount) > 0 {
			if len(delivery) > 0 {
				return fieldErr(field+".amount", "give delivery or the deprecated amount, not both")
			}
			delivery = j.Amount
		}
		var err error
		if v.tasks[i].kind == taskJob {
			if s.Delivery, err = amount(field+".delivery", delivery, in); err != nil {
				return err
			}
			if s.Pickup, err = amount(field+".pickup", j.Pickup, in); err != nil {
				return err
			}
		}
		if s.Skills, err = skillBits(field+".skills", j.Skills, skills); err != nil {
			return err
		}
		if s.TimeWindows, err = windows(field+".time_windows", j.TimeWindows); err != nil {
			return err
		}
	}
	return nil
}

// amount converts an amount array, widening the instance's Dims.
func amount(field string, a []int64, in *vrp.Instance) (vrp.Amount, error) {
	var out vrp.Amount
	if len(a) > vrp.MaxDims {
		return out, fieldErr(field, "%d dimensions, at most %d are supported", len(a), vrp.MaxDims)
	}
	for d, x := range a {
		if x < 0 || x > maxVROOMValue {
			return out, fieldErr(fmt.Sprintf("%s[%d]", field, d), "%d must be between 0 and %d", x, int64(maxVROOMValue))
		}
		out[d] = x
	}
	in.Dims = max(in.Dims, len(a))
	return out, nil
}

// windows sorts time windows and merges overlapping ones.
func windows(field string, ws [][2]int64) ([]vrp.TimeWindow, error) {
	out := make([]vrp.TimeWindow, 0, len(ws))
	for k, w := range ws {
		if w[0] < 0 || w[0] > w[1] || w[1] > maxVROOMValue {
			return nil, fieldErr(fmt.Sprintf("%s[%d]", field, k), "[%d, %d] must satisfy 0 ≤ start ≤ end ≤ %d", w[0], w[1], int64(maxVROOMValue))
		}
		out = append(out, vrp.TimeWindow{Start: w[0], End: w[1]})
	}
	slices.SortFunc(out, func(a, b vrp.TimeWindow) int { return int(sign(a.Start - b.Start)) })
	merged := out[:0]
	for _, w := range out {
		if n := len(merged); n > 0 && w.Start <= merged[n-1].End {
			merged[n-1].End = max(merged[n-1].End, w.End)
			continue
		}
		merged = append(merged, w)
	}
	if len(merged) == 0 {
		return nil, nil
	}
	return merged, nil
}

func sign(x int64) int64 {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

// finite reports whether c holds real coordinates on the globe.
func finite(c Coordinates) bool {
	return !math.IsNaN(c[0]) && !math.IsNaN(c[1]) && math.Abs(c[0]) <= 180 && math.Abs(c[1]) <= 90
}
