package stations

import (
	"slices"
	"strings"
)

// States of a parcel, which are also the kinds of the scans that lead to
// them (DESIGN.md, "Parcel life"). A parcel starts as registered.
const (
	Registered      = "registered"
	HubInbound      = "hub_inbound"
	Sorted          = "sorted"
	Loaded          = "loaded"
	StationArrival  = "station_arrival" // waiting on the shelf with a pickup code
	PickedUp        = "picked_up"
	Returned        = "returned"
	Accepted        = "accepted"
	HandedToCarrier = "handed_to_carrier"
	// Problem is 问题件: damaged, mislabelled, refused or lost on the way.
	// It stops the parcel until it is inbound at the hub again (or, for an up
	// parcel, accepted again at its station) or returned.
	Problem = "problem"
)

// Waiting is the shelf's name for parcels in StationArrival.
const Waiting = "waiting"

// next lists, per direction and state, the scans that may follow. A scan
// that is not listed is refused with transition_not_allowed.
var next = map[string]map[string][]string{
	Down: {
		Registered:     {HubInbound, Problem},
		HubInbound:     {Sorted, Problem},
		Sorted:         {Loaded, Problem},
		Loaded:         {StationArrival, Problem},
		StationArrival: {PickedUp, Returned, Problem},
		Problem:        {HubInbound, Returned},
	},
	Up: {
		Registered: {Accepted, Problem},
		Accepted:   {Loaded, Problem},
		Loaded:     {HubInbound, Problem},
		HubInbound: {HandedToCarrier, Problem},
		Problem:    {Accepted, HubInbound, Returned},
	},
}

// ScanKinds are the kinds a scan may carry.
var ScanKinds = []string{HubInbound, Sorted, Loaded, StationArrival, PickedUp, Returned, Accepted, HandedToCarrier, Problem}

// States are every state a parcel can be in.
var States = []string{Registered, HubInbound, Sorted, Loaded, StationArrival, PickedUp, Returned, Accepted, HandedToCarrier, Problem}

// Allowed reports whether a scan of kind may follow state for a parcel going
// in direction.
func Allowed(direction, state, kind string) bool {
	return slices.Contains(next[direction][state], kind)
}

// nextKinds says what may follow, for the reason of a refusal.
func nextKinds(direction, state string) string {
	ks := next[direction][state]
	if len(ks) == 0 {
		return "nothing (it is finished)"
	}
	return strings.Join(ks, " or ")
}

// Where a scan must be made.
const (
	atHub    = "hub"    // a county_hub station
	atOwn    = "own"    // the parcel's own station
	atOwnHub = "ownhub" // either
	atRoute  = "route"  // the hub or a township, where routes load
	atAny    = "any"    // anywhere: a problem is found where it is found
)

// where says where each kind of scan belongs, per direction.
var where = map[string]map[string]string{
	Down: {
		HubInbound: atHub, Sorted: atHub, Loaded: atRoute,
		StationArrival: atOwn, PickedUp: atOwn, Returned: atOwnHub, Problem: atAny,
	},
	Up: {
		Accepted: atOwn, Loaded: atOwn, HubInbound: atHub,
		HandedToCarrier: atHub, Returned: atOwnHub, Problem: atAny,
	},
}

// stationFits reports whether a scan of kind made at station (of tier) fits a
// parcel whose own station is own.
func stationFits(direction, kind, station, tier, own string) bool {
	switch where[direction][kind] {
	case atHub:
		return tier == string(CountyHub)
	case atOwn:
		return station == own
	case atOwnHub:
		return station == own || tier == string(CountyHub)
	case atRoute:
		return tier == string(CountyHub) || tier == string(Township)
	case atAny:
		return true
	}
	return false
}
