// Package vrp is tongpei's route optimiser: a pure library (standard library
// only, no I/O, no globals) that solves the county's rich vehicle routing
// problem — one depot, a heterogeneous fleet, simultaneous pickup and delivery
// in up to three capacity dimensions, time windows, skills, and routes that
// may start and end elsewhere than the depot or nowhere — and the
// classical CVRP benchmarks as special cases of it.
//
// The model is fixed here; the search and the independent validator speak
// it, and so do the file formats beside it (dispatch/vrp/vrpio: VRPLIB and
// VROOM JSON).
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
	// Release is when the stop's goods are at the depot: the trip that
	// carries them cannot leave before it (parcels that come in on the noon
	// trunk ride the afternoon run). 0: from the start of the day.
	Release int64
	// Kind and Partner make the stop one half of a shipment (VROOM's
	// shipments; shipments.go): a KindPickup stop loads its Pickup and
	// carries it to stop Partner, a KindDelivery stop unloads there its
	// Delivery (the same amount), loaded at Partner. Both halves ride the
	// same vehicle, pickup first; neither comes from nor goes to the depot.
	Kind    StopKind
	Partner int // index into Instance.Stops of the other half
	// Setup is spent on arrival before Service when the previous visit was
	// elsewhere: at the route's start, or at a stop of another Site (VROOM's
	// setup; vroomfields.go). Stops with the same Site > 0 share a place.
	Setup int64
	Site  int
	// Priority (0..100, VROOM's): when not every stop fits, the finaliser
	// gives up low priorities first and places high ones first.
	Priority int
}

// VehicleType is one kind of van in the fleet.
type VehicleType struct {
	Name     string
	Count    int // how many exist, or Unlimited
	Capacity Amount
	// Cost of a route = FixedCost + DistanceCost×distance + TimeCost×duration
	// + TravelTimeCost×travel time. Duration is the whole route (travel,
	// service, waiting and reloads), the county's objective; travel time is
	// the legs' driving time alone, VROOM's per_hour (docs/API.md of
	// VROOM-Project/vroom: "cost per hour of travel time").
	FixedCost      int64
	DistanceCost   int64
	TimeCost       int64
	TravelTimeCost int64
	// ShiftStart and ShiftEnd bound the route: it leaves the depot no earlier
	// than ShiftStart and is back no later than ShiftEnd.
	ShiftStart, ShiftEnd int64
	MaxDuration          int64 // 0: no limit beyond the shift
	MaxDistance          int64 // 0: no limit (electric vans' range)
	Skills               uint64
	// MaxTrips is how many trips one van may drive in its shift, returning
	// to the depot to reload between them; 0 or 1: a single trip; Unlimited:
	// as many as the shift allows. Capacity holds per trip; MaxDuration,
	// MaxDistance, the shift and the fixed cost hold for the van's whole day.
	MaxTrips int
	// ReloadTime is how long a van stays at the depot between two trips.
	ReloadTime int64
	// Start and End are the matrix nodes where the van's day begins and
	// ends: 0 (the default) is the depot, a larger node a stop's place or
	// one of the Instance's Places; NoPlace: none, the day begins at its
	// first stop or ends at its last (VROOM's vehicle without start or end,
	// docs/API.md of VROOM-Project/vroom). Reloads (MaxTrips > 1) need both
	// at the depot.
	Start, End int
	// MaxStops bounds the stops of a route (VROOM's max_tasks), 0: none.
	// MaxTravelTime bounds its legs' travel time alone (VROOM's
	// max_travel_time), 0: none.
	MaxStops      int
	MaxTravelTime int64
	// Breaks are the pauses every route of this type takes (breaks.go);
	// a type with breaks needs a Count.
	Breaks []Break
}

// NoPlace is VehicleType.Start or End when the route has no such end.
const NoPlace = -1

// closed reports whether a van of type t leaves from and returns to the depot.
func (vt *VehicleType) closed() bool { return vt.Start == 0 && vt.End == 0 }

// Trips is the most trips a van of type t may drive (at least 1).
func (vt *VehicleType) Trips() int {
	switch {
	case vt.MaxTrips == Unlimited:
		return math.MaxInt32
	case vt.MaxTrips < 1:
		return 1
	}
	return vt.MaxTrips
}

// Instance is one routing problem. Matrix index 0 is the depot, index i+1
// is Stops[i] and the Places nodes follow the stops.
type Instance struct {
	Name string
	Dims int // capacity dimensions in use, 1..MaxDims
	// DepotWindow is when the depot is open: routes leave and return inside it.
	DepotWindow TimeWindow
	Stops       []Stop
	// Places is how many matrix nodes follow the stops: places that are
	// not stops where vehicles start or end (VehicleType.Start, End).
	Places       int
	VehicleTypes []VehicleType
	// Distance and Duration are N×N row-major matrices with N =
	// len(Stops)+1+Places.
	// Duration may be nil, in which case travel time equals distance.
	Distance []int64
	Duration []int64
	// BalanceCost > 0 asks for balanced work (balance.go): every route pays
	// BalanceCost per time unit of duration beyond BalanceTarget.
	BalanceTarget, BalanceCost int64
	// breakOwners: the search's copy of an instance lists here the break
	// visits appended to its stops (breaks_search.go); nil otherwise.
	breakOwners []breakOwner
}

// N is the matrix size: the depot, every stop and the places.
func (in *Instance) N() int { return len(in.Stops) + 1 + in.Places }

// legDist is the distance from node i to node j where either may be
// NoPlace, an absent end of a route, to which every leg is free.
func (in *Instance) legDist(i, j int) int64 {
	if i < 0 || j < 0 {
		return 0
	}
	return in.Dist(i, j)
}

// legTime is Time with legDist's convention for NoPlace.
func (in *Instance) legTime(i, j int) int64 {
	if i < 0 || j < 0 {
		return 0
	}
	return in.Time(i, j)
}

// Dist is the distance from matrix node i to node j.
func (in *Instance) Dist(i, j int) int64 { return in.Distance[i*in.N()+j] }

// Time is the travel time from matrix node i to node j.
func (in *Instance) Time(i, j int) int64 {
	if in.Duration == nil {
		return in.Distance[i*in.N()+j]
	}
	return in.Duration[i*in.N()+j]
}

// Route is one vehicle's day: it leaves the depot, serves Stops (indices
// into Instance.Stops) in order and returns. A multi-trip van goes back to
// the depot to reload before each Stops[k] with k in Reloads (strictly
// increasing, each in 1..len(Stops)−1), so a route with Reloads [2] over
// stops a b c d drives the trips a b and c d.
type Route struct {
	VehicleType int
	Stops       []int
	Reloads     []int `json:",omitempty"`
	// Breaks places the vehicle type's breaks, in route order (breaks.go).
	Breaks []BreakAt `json:",omitempty"`
}

// Trips splits the route's stops at its reloads; the slices share Stops.
func (r *Route) Trips() [][]int {
	trips := make([][]int, 0, len(r.Reloads)+1)
	from := 0
	for _, k := range r.Reloads {
		if k <= from || k >= len(r.Stops) {
			continue // not a valid reload point; Validate reports it
		}
		trips = append(trips, r.Stops[from:k])
		from = k
	}
	return append(trips, r.Stops[from:])
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
