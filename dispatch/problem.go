package dispatch

import (
	"fmt"
	"slices"
	"time"

	"github.com/tongpei/tongpei/dispatch/geo"
	"github.com/tongpei/tongpei/dispatch/vrp"
)

// The optimiser's three capacity dimensions for the county.
const (
	dimWeight  = 0 // grams
	dimVolume  = 1 // cm³ (millilitres)
	dimParcels = 2 // count
)

// Service time at a stop: parking and the keeper's signature, then a few
// seconds per parcel handed over or taken on.
const (
	stopServiceS      = 300
	perParcelServiceS = 15
)

// costScale turns fen into the optimiser's integer cost unit (milli-fen), so
// that a cost per km in fen is exactly a cost per metre.
const costScale = 1000

// chunkShare is the share of the largest van one stop may load: a station
// with more is split into several stops, so a peak day at a big village is
// served by two vans instead of being left out.
const chunkShare = 0.6

// stopGroup is one stop of the problem: a station and the parcels handled
// there on this visit.
type stopGroup struct {
	Station          Station
	Drop, Collect    []parcelRow
	Delivery, Pickup vrp.Amount
	// Release is when everything it drops is at the hub (seconds after
	// the service day's midnight).
	Release int64
}

// problem is a routing problem built from the data, and what is needed to
// read its solution back.
type problem struct {
	Date       time.Time // local midnight of the service day
	Hub        Station
	Groups     []stopGroup // Groups[i] is vrp stop i
	Fleet      []fleetRow  // Fleet[t] is vrp vehicle type t
	Instance   *vrp.Instance
	Unassigned []UnassignedStop // left out before solving
}

func amountOf(p parcelRow) vrp.Amount {
	return vrp.Amount{dimWeight: p.WeightG, dimVolume: p.VolumeCm3, dimParcels: 1}
}

func capacityOf(t VehicleType) vrp.Amount {
	return vrp.Amount{dimWeight: int64(t.CapacityKg) * 1000, dimVolume: int64(t.CapacityL) * 1000, dimParcels: int64(t.CapacityParcels)}
}

// groupParcels gathers parcels into stops per station and arrival wave
// (see waves), splitting a station whose load exceeds chunkShare of the
// largest van. A stop's release is the latest hub arrival of the parcels
// it drops, so the overnight parcels of a village can leave on the
// morning run while those of the noon trunk wait for the afternoon; the
// parcels it collects join the station's earliest stop. Parcels for a
// station that is unknown, inactive, the hub itself, or unreachable are
// returned as unassigned with the reason.
func groupParcels(parcels []parcelRow, set *stationSet, maxCap vrp.Amount, unreachable map[string]string) ([]stopGroup, []UnassignedStop) {
	type key struct {
		station string
		wave    int
	}
	wave := waves(parcels)
	first := map[string]int{} // station → its earliest wave of down parcels
	for _, p := range parcels {
		if w, ok := first[p.Station]; p.Direction == "down" && (!ok || wave[p.Release] < w) {
			first[p.Station] = wave[p.Release]
		}
	}
	byStation := map[key]*stopGroup{}
	var order []key
	var out []stopGroup
	var unassigned []UnassignedStop
	bad := map[string]int{} // station → index in unassigned
	limit := vrp.Amount{}
	for d := range vrp.MaxDims {
		limit[d] = int64(float64(maxCap[d]) * chunkShare)
	}
	for _, p := range parcels {
		st, ok := set.byCode[p.Station]
		code, reason := "", ""
		switch {
		case !ok:
			code, reason = "station_inactive", fmt.Sprintf("station %s is unknown or inactive; reactivate it or re-route its parcels", p.Station)
		case st.Code == set.hub.Code:
			code, reason = "at_hub", "the parcel's station is the hub itself; hand it over at the hub"
		case unreachable[st.Code] != "":
			code, reason = "unreachable", unreachable[st.Code]
		}
		if code != "" {
			k, seen := bad[p.Station]
			if !seen {
				k = len(unassigned)
				bad[p.Station] = k
				us := UnassignedStop{Station: p.Station, Code: code, Reason: reason}
				if ok {
					us.Location = place(st).Location
				}
				unassigned = append(unassigned, us)
			}
			addRef(&unassigned[k].Drop, &unassigned[k].Collect, p)
			continue
		}
		k := key{p.Station, first[p.Station]}
		if p.Direction == "down" {
			k.wave = wave[p.Release]
		}
		g := byStation[k]
		a := amountOf(p)
		if g == nil || exceeds(g.Delivery, g.Pickup, a, p.Direction, limit) {
			if g != nil {
				out = append(out, *g)
			}
			g = &stopGroup{Station: st}
			byStation[k] = g
			order = append(order, k)
		}
		for d := range vrp.MaxDims {
			if p.Direction == "down" {
				g.Delivery[d] += a[d]
			} else {
				g.Pickup[d] += a[d]
			}
		}
		if p.Direction == "down" {
			g.Drop = append(g.Drop, p)
			g.Release = max(g.Release, p.Release)
		} else {
			g.Collect = append(g.Collect, p)
		}
	}
	for _, k := range order {
		if g := byStation[k]; g != nil {
			out = append(out, *g)
			byStation[k] = nil
		}
	}
	return out, unassigned
}

// waveGapS separates arrival waves: hub arrivals closer than this come on
// the same trunk (a truck's unloading takes a while to scan).
const waveGapS = 30 * 60

// waves numbers the hub arrival waves of the down parcels: their release
// times sorted, a new wave wherever two consecutive ones are more than
// waveGapS apart. It maps each release time to its wave (0 first).
func waves(parcels []parcelRow) map[int64]int {
	var rs []int64
	for _, p := range parcels {
		if p.Direction == "down" {
			rs = append(rs, p.Release)
		}
	}
	slices.Sort(rs)
	rs = slices.Compact(rs)
	out := make(map[int64]int, len(rs)+1)
	out[0] = 0
	w := 0
	for i, r := range rs {
		if i > 0 && r-rs[i-1] > waveGapS {
			w++
		}
		out[r] = w
	}
	return out
}

// exceeds reports whether adding a to a stop's delivery or pickup would pass
// the chunk limit on any dimension (a stop with nothing yet always fits).
func exceeds(del, pick, a vrp.Amount, dir string, limit vrp.Amount) bool {
	cur := del
	if dir == "up" {
		cur = pick
	}
	if cur[dimParcels] == 0 {
		return false
	}
	for d := range vrp.MaxDims {
		if cur[d]+a[d] > limit[d] {
			return true
		}
	}
	return false
}

// buildInstance makes the vrp.Instance over groups: matrix node 0 is the hub,
// node i+1 is groups[i], and stIndex maps a station code to its row in m
// (the station matrix, hub at row 0). fleet gives one vehicle type per row;
// unlimited makes every row unlimited (the counterfactual); day says how
// many trips a van drives and how long it reloads between them.
func buildInstance(name string, groups []stopGroup, fleet []fleetRow, m *geo.CachedMatrix, stIndex map[string]int, unlimited bool, day dayModel) *vrp.Instance {
	in := &vrp.Instance{Name: name, Dims: 3, Stops: make([]vrp.Stop, len(groups))}
	ns := len(stIndex)
	n := len(groups) + 1
	in.Distance, in.Duration = make([]int64, n*n), make([]int64, n*n)
	row := make([]int, n)
	for i, g := range groups {
		row[i+1] = stIndex[g.Station.Code]
		handled := int64(len(g.Drop) + len(g.Collect))
		in.Stops[i] = vrp.Stop{ID: g.Station.Code, Delivery: g.Delivery, Pickup: g.Pickup, Service: stopServiceS + perParcelServiceS*handled, Release: g.Release}
	}
	for i := range n {
		for j := range n {
			in.Distance[i*n+j] = m.Distances[row[i]*ns+row[j]]
			in.Duration[i*n+j] = m.Durations[row[i]*ns+row[j]]
		}
	}
	in.DepotWindow = vrp.TimeWindow{Start: 0, End: 24 * 3600}
	for _, f := range fleet {
		t := f.Type
		start, _ := parseClock(t.Shift.Start)
		end, _ := parseClock(t.Shift.End)
		count := f.Count
		if unlimited {
			count = vrp.Unlimited
		}
		in.VehicleTypes = append(in.VehicleTypes, vrp.VehicleType{
			Name: t.Code, Count: count, Capacity: capacityOf(t),
			FixedCost: t.FixedCostFen * costScale, DistanceCost: t.CostPerKmFen, TimeCost: t.CostPerHourFen * costScale / 3600,
			ShiftStart: int64(start) * 60, ShiftEnd: int64(end) * 60, MaxDistance: int64(day.rangeOf(f)) * 1000,
			MaxTrips: day.trips(), ReloadTime: int64(day.Reload / time.Second),
		})
	}
	return in
}

// dayModel is how a van's day runs: the county's vans drive a morning run
// with the overnight parcels and, back at the hub, reload the noon trunk's
// parcels for an afternoon run (MaxTrips 2); 1 plans one trip a van.
type dayModel struct {
	MaxTrips int           // 0: DefaultTrips
	Reload   time.Duration // at the hub between two trips; 0: none
	// Model's EVRangeKm replaces the range of every van that has one.
	Model PlanModel
}

// rangeOf is the range in km of f's vans on this day (0: no limit): their
// own or their type's, or the plan's EV range for vans with one.
func (d dayModel) rangeOf(f fleetRow) int {
	own := f.RangeKm
	if own == 0 {
		own = f.Type.MaxKm
	}
	return d.Model.rangeOf(own)
}

// The county day's defaults: two runs, half an hour at the hub between
// them to hand in what the morning collected and load the noon parcels.
const (
	DefaultTrips  = 2
	DefaultReload = 30 * time.Minute
	MaxTrips      = 6
)

func (d dayModel) trips() int {
	if d.MaxTrips <= 0 {
		return DefaultTrips
	}
	return d.MaxTrips
}

// addRef files a parcel under drop or collect by its direction.
func addRef(drop, collect *[]ParcelRef, p parcelRow) {
	r := ParcelRef{ID: p.ID, Carrier: p.Carrier, TrackingNo: p.TrackingNo, WeightG: p.WeightG, VolumeCm3: p.VolumeCm3}
	if p.Direction == "down" {
		*drop = append(*drop, r)
	} else {
		*collect = append(*collect, r)
	}
}
