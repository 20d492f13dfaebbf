package vrpio

// The multi-trip VRP with time windows and release times (MTVRPTWR) of Yang
// (2023, Transportation Science 57(1)), in the VRPLIB form of PyVRP's
// instance collection: TYPE MTVRPTWR, RELEASE_TIME_SECTION and
// VEHICLES_RELOAD_DEPOT_SECTION on top of the VRPTW layout, with distances
// and times in the DIMACS convention.

import (
	"github.com/tongpei/tongpei/dispatch/vrp"

	"math"
	"strconv"
)

// DIMACSScale is how the DIMACS convention's distances, truncated to one
// decimal, become integers: Distance = ⌊DIMACSScale × Euclidean⌋, in tenths.
// Times (windows, service, release) are multiplied by it too, so that travel
// time equals distance; costs are in tenths, as the .sol files print them.
const DIMACSScale = 10

// dimacsDistances is the Euclidean matrix truncated to one decimal, in tenths.
func (f *vrplibFile) dimacsDistances(n int) ([]int64, error) {
	xy, err := f.coords(n)
	if err != nil {
		return nil, err
	}
	d := make([]int64, n*n)
	for i := range n {
		for j := range n {
			e := math.Hypot(xy[i][0]-xy[j][0], xy[i][1]-xy[j][1]) * DIMACSScale
			// The epsilon keeps an exact tenth that floating point computes
			// as 0.99999… below it from losing a tenth.
			d[i*n+j] = int64(math.Floor(e + 1e-9))
		}
	}
	return d, nil
}

// releases reads RELEASE_TIME_SECTION, when present, into Stop.Release. The
// depot's own entry must be 0.
func (f *vrplibFile) releases(in *vrp.Instance) error {
	const sect = "RELEASE_TIME_SECTION"
	rows, err := f.nodeTable(sect, in.N(), 1, false)
	if err != nil || rows == nil {
		return err
	}
	for i, row := range rows {
		v, err := f.intCell(sect, row, 0, i+1, 0)
		if err != nil {
			return err
		}
		if i == 0 {
			if v != 0 {
				return inputErr(f.lineOf(sect, 1), sect, "node 1 is the depot: its release time must be 0, not %d", v)
			}
			continue
		}
		in.Stops[i-1].Release = v
	}
	return nil
}

// reloads reads VEHICLES_RELOAD_DEPOT_SECTION: lines `vehicle depot…` naming
// the vehicles that may reload, and where. The one depot is node 1, so every
// depot listed must be 1; the vehicles listed may drive any number of trips.
// A fleet where only some vehicles may reload is refused: the file's routes
// do not say which vehicle drives them.
func (f *vrplibFile) reloads(in *vrp.Instance) error {
	const sect = "VEHICLES_RELOAD_DEPOT_SECTION"
	if _, ok := f.sectLine[sect]; !ok {
		return nil
	}
	vt := &in.VehicleTypes[0]
	if vt.Count == vrp.Unlimited {
		return inputErr(f.sectLine[sect], sect, "needs `VEHICLES : <number of vehicles>` to say which vehicles reload")
	}
	listed := make([]bool, vt.Count)
	for _, l := range f.sections[sect] {
		v, err := strconv.Atoi(l.f[0])
		if err != nil || v < 1 || v > vt.Count {
			return inputErr(l.no, sect, "vehicle %q is not in 1..%d (VEHICLES)", clip(l.f[0]), vt.Count)
		}
		if len(l.f) < 2 {
			return inputErr(l.no, sect, "vehicle %d: want `vehicle depot…`, the depot(s) it may reload at", v)
		}
		for _, dep := range l.f[1:] {
			if dep != "1" {
				return inputErr(l.no, sect, "vehicle %d: depot %q is not supported: the one depot is node 1", v, clip(dep))
			}
		}
		listed[v-1] = true
	}
	some, all := false, true
	for _, ok := range listed {
		some, all = some || ok, all && ok
	}
	switch {
	case all:
		vt.MaxTrips = vrp.Unlimited
	case some:
		return inputErr(f.sectLine[sect], sect, "only some vehicles may reload; list every vehicle or none")
	}
	return nil
}

// scaleTimes multiplies every time of the instance by factor (DIMACSScale,
// or SCALE), so that travel time stays equal to the scaled distance.
func scaleTimes(in *vrp.Instance, factor int64) {
	scale := func(t int64) int64 {
		if t >= vrp.Horizon/factor {
			return vrp.Horizon
		}
		return t * factor
	}
	in.DepotWindow = vrp.TimeWindow{Start: scale(in.DepotWindow.Start), End: scale(in.DepotWindow.End)}
	for i := range in.Stops {
		s := &in.Stops[i]
		s.Service, s.Release = scale(s.Service), scale(s.Release)
		for k, w := range s.TimeWindows {
			s.TimeWindows[k] = vrp.TimeWindow{Start: scale(w.Start), End: scale(w.End)}
		}
	}
	for t := range in.VehicleTypes {
		vt := &in.VehicleTypes[t]
		vt.ShiftStart, vt.ShiftEnd = scale(vt.ShiftStart), scale(vt.ShiftEnd)
		vt.MaxDuration, vt.ReloadTime = scale(vt.MaxDuration), scale(vt.ReloadTime)
		vt.MaxDistance = scale(vt.MaxDistance)
	}
}
