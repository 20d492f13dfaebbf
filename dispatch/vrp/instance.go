// Package vrp is tongpei's route optimiser: a pure library (standard library
// only, no I/O, no globals) that solves the county's rich vehicle routing
// problem — one depot, a heterogeneous fleet, simultaneous pickup and delivery
// in up to three capacity dimensions, time windows and skills — and the
// classical CVRP benchmarks as special cases of it.
//
// The model is fixed here; parsers (vrplib.go, vroomjson.go), the search and
// the independent validator all speak it.
package vrp

import "math"

// MaxDims is the number of capacity dimensions a problem may use (kg, litres,
// parcels for the county; one for CVRP).
const MaxDims = 3

// Unlimited marks a vehicle type with no limit on how many may be used.
const Unlimited = -1

// Horizon is the latest time anything may happen when a problem sets no
// limit; large enough for any day, small enough that sums never overflow.
const Horizon int64 = math.MaxInt64 / 8

// Amount is a quantity on each capacity dimension. Dimensions beyond
// Instance.Dims are zero.
type Amount [MaxDims]int64

// TimeWindow is a closed interval [Start, End] in the instance's time unit.
type TimeWindow struct {
	Start, End int64
}

// Stop is a place to serve: a village station for the county, a customer in
// CVRPLIB. Delivery is carried out from the depot, Pickup is carried back to
// it; both happen at the same visit (VRPSPD).
type Stop struct {
	ID       string // caller's identifier, echoed back in reasons and output
	Delivery Amount
	Pickup   Amount
	Service  int64 // service duration
	// TimeWindows lists when service may start; empty means any time. Windows
	// are sorted and disjoint.
	TimeWindows []TimeWindow
	// Skills is a bit set the serving vehicle type must hold entirely.
	Skills uint64
}

// VehicleType is one kind of van in the fleet.
type VehicleType struct {
	Name     string
	Count    int // how many exist, or Unlimited
	Capacity Amount
	// Cost of a route = FixedCost + DistanceCost×distance + TimeCost×duration.
	FixedCost    int64
	DistanceCost int64
	TimeCost     int64
	// ShiftStart and ShiftEnd bound the route: it leaves the depot no earlier
	// than ShiftStart and is back no later than ShiftEnd.
	ShiftStart, ShiftEnd int64
	MaxDuration          int64 // 0: no limit beyond the shift
	MaxDistance          int64 // 0: no limit (electric vans' range)
	Skills               uint64
}

// Instance is one routing problem. Matrix index 0 is the depot and index i+1
// is Stops[i].
type Instance struct {
	Name string
	Dims int // capacity dimensions in use, 1..MaxDims
	// DepotWindow is when the depot is open: routes leave and return inside it.
	DepotWindow  TimeWindow
	Stops        []Stop
	VehicleTypes []VehicleType
	// Distance and Duration are N×N row-major matrices with N = len(Stops)+1.
	// Duration may be nil, in which case travel time equals distance.
	Distance []int64
	Duration []int64
}

// N is the matrix size: the depot plus every stop.
func (in *Instance) N() int { return len(in.Stops) + 1 }

// Dist is the distance from matrix node i to node j.
func (in *Instance) Dist(i, j int) int64 { return in.Distance[i*in.N()+j] }

// Time is the travel time from matrix node i to node j.
func (in *Instance) Time(i, j int) int64 {
	if in.Duration == nil {
		return in.Distance[i*in.N()+j]
	}
	return in.Duration[i*in.N()+j]
}

// Route is one vehicle's tour: it leaves the depot, serves Stops (indices
// into Instance.Stops) in order and returns.
type Route struct {
	VehicleType int
	Stops       []int
}

// Unassigned is a stop the solution leaves out, with the reason a person can
// act on (for example "delivery 1400 kg exceeds every vehicle's capacity").
type Unassigned struct {
	Stop   int
	Code   string // stable: capacity, skills, time_window, distance, fleet
	Reason string
}

// Solution is what Solve returns: the routes, the stops it could not serve and
// the total cost under the instance's objective.
type Solution struct {
	Routes     []Route
	Unassigned []Unassigned
	Cost       int64
}
