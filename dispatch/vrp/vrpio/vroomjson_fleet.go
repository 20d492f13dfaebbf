package vrpio

import (
	"github.com/tongpei/tongpei/dispatch/vrp"

	"fmt"
	"slices"
)

// buildFleet turns vehicles into vehicle types: vehicles identical in
// everything but id and description share a type. A vehicle's start and end
// may differ or be absent (vroomjson_ends.go).
//
// Mapping: capacity → Capacity; skills → Skills; time_window → ShiftStart,
// ShiftEnd; costs → FixedCost, TravelTimeCost, DistanceCost (×VROOMCostScale,
// see there): VROOM's per_hour prices travel time only, not service or
// waiting (docs/API.md of VROOM-Project/vroom; its documented examples report
// a cost equal to the travel time with the default per_hour 3600, service
// aside), so it becomes TravelTimeCost, never TimeCost; max_distance →
// MaxDistance; max_travel_time → MaxTravelTime (travel alone); max_tasks →
// MaxStops; speed_factor scales the durations (vroomjson_fields.go).
func (v *VROOM) buildFleet(skills map[uint64]uint) error {
	in := v.Instance
	// vehicles identical in type, profile and breaks share a type
	// (VehicleType holds a slice: the key is its printed form)
	type key string
	index := map[key]int{}
	seen := map[uint64]bool{}
	if err := v.findDepot(); err != nil {
		return err
	}
	var profile string
	var open, multi []int // vehicles with other ends than the depot; vehicles that reload
	for i := range v.Problem.Vehicles {
		veh := &v.Problem.Vehicles[i]
		field := fmt.Sprintf("vehicles[%d]", i)
		if seen[veh.ID] {
			return fieldErr(field+".id", "id %d is used by two vehicles; ids must be unique", veh.ID)
		}
		seen[veh.ID] = true
		if c := veh.Costs; c != nil && c.PerTaskHour != nil && *c.PerTaskHour != 0 {
			return fieldErr(field+".costs.per_task_hour", "a cost of task time is not supported; remove it or set 0")
		}
		p := veh.Profile
		if p == "" {
			p = "car"
		}
		if i == 0 {
			profile = p
		} else if p != profile {
			return fieldErr(field+".profile", "%q differs from %q: all vehicles must share one profile", p, profile)
		}
		vt, err := vehicleType(field, veh, in, skills)
		if err != nil {
			return err
		}
		if vt.Breaks, err = breaks(field+".breaks", veh.Breaks, in); err != nil {
			return err
		}
		vt.Start = v.ends.node(veh.Start, veh.StartIndex)
		vt.End = v.ends.node(veh.End, veh.EndIndex)
		if vt.Start != 0 || vt.End != 0 {
			open = append(open, i)
		}
		if vt.Trips() > 1 {
			multi = append(multi, i)
		}
		kvt := vt
		kvt.Breaks = nil
		k := key(fmt.Sprintf("%#v|%s|%s", kvt, p, breaksKey(veh.Breaks)))
		t, ok := index[k]
		if !ok {
			t = len(in.VehicleTypes)
			index[k] = t
			in.VehicleTypes = append(in.VehicleTypes, vt)
			v.VehicleIDs = append(v.VehicleIDs, nil)
		}
		in.VehicleTypes[t].Count++
		v.VehicleIDs[t] = append(v.VehicleIDs[t], veh.ID)
	}
	for t := range in.VehicleTypes {
		in.VehicleTypes[t].Name = fmt.Sprintf("vehicle %d", v.VehicleIDs[t][0])
	}
	in.Places = len(v.ends.places) - 1
	if len(multi) > 0 && len(open) > 0 {
		// the model reloads at one depot, where every route starts and ends
		return fieldErr(fmt.Sprintf("vehicles[%d].max_trips", multi[0]),
			"vehicles that reload need every vehicle to start and end at the first start given; vehicles[%d] does not", open[0])
	}
	return v.checkDims()
}

// checkDims requires every non-empty amount to have the same length.
func (v *VROOM) checkDims() error {
	dims := v.Instance.Dims
	check := func(field string, a []int64) error {
		if len(a) > 0 && len(a) != dims {
			return fieldErr(field, "has %d dimensions where others have %d; use the same number everywhere", len(a), dims)
		}
		return nil
	}
	for i, veh := range v.Problem.Vehicles {
		for k, b := range veh.Breaks {
			if err := check(fmt.Sprintf("vehicles[%d].breaks[%d].max_load", i, k), b.MaxLoad); err != nil {
				return err
			}
		}
	}
	for i, j := range v.Problem.Jobs {
		for k, a := range [][]int64{j.Delivery, j.Pickup, j.Amount} {
			name := [...]string{"delivery", "pickup", "amount"}[k]
			if err := check(fmt.Sprintf("jobs[%d].%s", i, name), a); err != nil {
				return err
			}
		}
	}
	for i, s := range v.Problem.Shipments {
		if err := check(fmt.Sprintf("shipments[%d].amount", i), s.Amount); err != nil {
			return err
		}
	}
	for i, veh := range v.Problem.Vehicles {
		if err := check(fmt.Sprintf("vehicles[%d].capacity", i), veh.Capacity); err != nil {
			return err
		}
	}
	return nil
}

func vehicleType(field string, veh *VROOMVehicle, in *vrp.Instance, skills map[uint64]uint) (vrp.VehicleType, error) {
	vt := vrp.VehicleType{ShiftEnd: vrp.Horizon}
	var err error
	if vt.Capacity, err = amount(field+".capacity", veh.Capacity, in); err != nil {
		return vt, err
	}
	if len(veh.Capacity) == 0 {
		for d := range vrp.MaxDims {
			vt.Capacity[d] = maxVROOMValue * MaxVROOMJobs // no capacity: no limit
		}
	}
	if vt.Skills, err = skillBits(field+".skills", veh.Skills, skills); err != nil {
		return vt, err
	}
	if w := veh.TimeWindow; w != nil {
		if w[0] < 0 || w[0] > w[1] || w[1] > maxVROOMValue {
			return vt, fieldErr(field+".time_window", "[%d, %d] must satisfy 0 ≤ start ≤ end ≤ %d", w[0], w[1], int64(maxVROOMValue))
		}
		vt.ShiftStart, vt.ShiftEnd = w[0], w[1]
	}
	fixed, perHour, perKm := int64(0), int64(3600), int64(0)
	if c := veh.Costs; c != nil {
		if c.Fixed != nil {
			fixed = *c.Fixed
		}
		if c.PerHour != nil {
			perHour = *c.PerHour
		}
		if c.PerKm != nil {
			perKm = *c.PerKm
		}
	}
	if fixed < 0 || fixed > 1e9 || perHour < 0 || perHour > 1e7 || perKm < 0 || perKm > 1e7 {
		return vt, fieldErr(field+".costs", "fixed must be in 0..1e9, per_hour and per_km in 0..1e7")
	}
	vt.FixedCost, vt.TravelTimeCost, vt.DistanceCost = fixed*VROOMCostScale, perHour*VROOMCostScale/3600, perKm*VROOMCostScale/1000
	if m := veh.MaxTravelTime; m != nil {
		if *m <= 0 || *m > maxVROOMValue {
			return vt, fieldErr(field+".max_travel_time", "must be between 1 and %d seconds", int64(maxVROOMValue))
		}
		vt.MaxTravelTime = *m // travel alone, as VROOM counts it
	}
	if m := veh.MaxTasks; m != nil {
		if *m < 1 || *m > MaxVROOMJobs {
			return vt, fieldErr(field+".max_tasks", "%d must be between 1 and %d (remove a vehicle that may serve nothing)", *m, MaxVROOMJobs)
		}
		vt.MaxStops = *m
	}
	if m := veh.MaxTrips; m != nil {
		if *m < -1 || *m == 0 || *m > 1000 {
			return vt, fieldErr(field+".max_trips", "%d must be -1 (no limit) or between 1 and 1000", *m)
		}
		vt.MaxTrips = *m
		if *m == -1 {
			vt.MaxTrips = vrp.Unlimited
		}
	}
	if veh.ReloadTime < 0 || veh.ReloadTime > maxVROOMValue {
		return vt, fieldErr(field+".reload_time", "must be between 0 and %d seconds", int64(maxVROOMValue))
	}
	vt.ReloadTime = veh.ReloadTime
	if m := veh.MaxDistance; m != nil {
		if *m <= 0 || *m > maxVROOMValue {
			return vt, fieldErr(field+".max_distance", "must be between 1 and %d metres", int64(maxVROOMValue))
		}
		vt.MaxDistance = *m
	}
	return vt, nil
}

// buildMatrices fills the instance's Distance and Duration from the input
// matrices or from the coordinates.
func (v *VROOM) buildMatrices(matrix MatrixFunc) (err error) {
	p, in := &v.Problem, v.Instance
	var durations, distances [][]int64
	switch {
	case len(p.Matrices) > 1:
		return fieldErr("matrices", "%d profiles; send the matrices of the one profile the vehicles use", len(p.Matrices))
	case len(p.Matrices) == 1:
		for name, g := range p.Matrices {
			prof := p.Vehicles[0].Profile
			if prof == "" {
				prof = "car"
			}
			if name != prof {
				return fieldErr("matrices", "profile %q has matrices but the vehicles use %q", name, prof)
			}
			durations, distances = g.Durations, g.Distances
			if len(g.Costs) > 0 {
				return fieldErr("matrices."+name+".costs", "custom cost matrices are not supported; use vehicle costs")
			}
		}
	default:
		durations, distances = p.Matrix, p.Distances
	}
	n := in.N()
	if durations == nil && distances == nil {
		if err := v.coordinateMatrices(matrix); err != nil {
			return err
		}
		return v.applySpeedFactor()
	}
	defer func() {
		if err == nil {
			err = v.applySpeedFactor()
		}
	}()
	v.Index = make([]int, n)
	for i := range v.tasks {
		v.Index[i+1] = -1
		if v.tasks[i].LocationIndex != nil {
			v.Index[i+1] = *v.tasks[i].LocationIndex
		}
	}
	for k, e := range v.ends.places {
		v.Index[v.ends.nodeOf(k)] = e.index
	}
	v.knownCoords()
	if durations == nil {
		durations = distances // travel time equals distance
	}
	if in.Duration, err = subMatrix("durations", durations, v.Index, v.tasks); err != nil {
		return err
	}
	if distances == nil {
		if v.Coords != nil && matrix != nil {
			// Distances from the coordinates, durations as given.
			if in.Distance, _, err = matrix(v.Coords); err == nil && len(in.Distance) == len(in.Duration) {
				return nil
			}
		}
		in.Distance = slices.Clone(in.Duration)
		for t, vt := range in.VehicleTypes {
			if vt.DistanceCost > 0 || vt.MaxDistance > 0 {
				return fieldErr("matrices", "vehicle %d has per_km or max_distance: send a distances matrix or coordinates", v.VehicleIDs[t][0])
			}
		}
		return nil
	}
	in.Distance, err = subMatrix("distances", distances, v.Index, v.tasks)
	return err
}

// subMatrix picks the rows and columns idx of a square input matrix.
func subMatrix(field string, m [][]int64, idx []int, tasks []task) ([]int64, error) {
	size := len(m)
	for r, row := range m {
		if len(row) != size {
			return nil, fieldErr(fmt.Sprintf("%s[%d]", field, r), "has %d entries; the matrix must be square (%d×%d)", len(row), size, size)
		}
	}
	for k, i := range idx {
		if i < 0 || i >= size {
			what := "a vehicle's start_index or end_index"
			if k > 0 && k <= len(tasks) {
				what = tasks[k-1].field + ".location_index"
			}
			return nil, fieldErr(field, "%s is missing or outside the %d×%d matrix", what, size, size)
		}
	}
	n := len(idx)
	out := make([]int64, n*n)
	for a, i := range idx {
		for b, j := range idx {
			x := m[i][j]
			if x < 0 || x > maxVROOMValue {
				return nil, fieldErr(fmt.Sprintf("%s[%d][%d]", field, i, j), "%d must be between 0 and %d", x, int64(maxVROOMValue))
			}
			out[a*n+b] = x
		}
	}
	return out, nil
}

// coordinateMatrices asks matrix for travel between the coordinates.
func (v *VROOM) coordinateMatrices(matrix MatrixFunc) error {
	in := v.Instance
	if matrix == nil {
		return fieldErr("matrices", "no matrices given and no way to compute them from coordinates; send matrices")
	}
	v.Coords = make([]Coordinates, in.N())
	for k, e := range v.ends.places {
		if e.coords == nil || !finite(*e.coords) {
			return fieldErr(e.field, "needs [lon, lat] coordinates when no matrices are given")
		}
		v.Coords[v.ends.nodeOf(k)] = *e.coords
	}
	for i := range v.tasks {
		if v.tasks[i].Location == nil || !finite(*v.tasks[i].Location) {
			return fieldErr(v.tasks[i].field+".location", "needs [lon, lat] coordinates when no matrices are given")
		}
		v.Coords[i+1] = *v.tasks[i].Location
	}
	dist, dur, err := matrix(v.Coords)
	if err != nil {
		e := fieldErr("matrices", "cannot compute travel from coordinates: %v", err)
		e.Cause = err
		return e
	}
	if len(dist) != in.N()*in.N() || len(dur) != in.N()*in.N() {
		return fieldErr("matrices", "the matrix function returned the wrong size")
	}
	in.Distance, in.Duration = dist, dur
	return nil
}

// knownCoords keeps the coordinates of every node when all are given beside
// matrix indices, for route geometries.
func (v *VROOM) knownCoords() {
	coords := make([]Coordinates, v.Instance.N())
	for k, e := range v.ends.places {
		if e.coords == nil || !finite(*e.coords) {
			return
		}
		coords[v.ends.nodeOf(k)] = *e.coords
	}
	for i, j := range v.tasks {
		if j.Location == nil || !finite(*j.Location) {
			return
		}
		coords[i+1] = *j.Location
	}
	v.Coords = coords
}
