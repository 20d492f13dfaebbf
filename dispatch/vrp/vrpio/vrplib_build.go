package vrpio

import (
	"github.com/tongpei/tongpei/dispatch/vrp"

	"math"
	"strconv"
	"strings"
)

// build turns the raw sections into an Instance.
func (f *vrplibFile) build() (*VRPLIB, error) {
	dimLine := f.headerLine["DIMENSION"]
	if _, ok := f.header["DIMENSION"]; !ok {
		return nil, inputErr(0, "DIMENSION", "the key is missing; add `DIMENSION : <nodes including the depot>`")
	}
	dim64, err := f.headerInt("DIMENSION", 0)
	if err != nil {
		return nil, err
	}
	if dim64 < 2 || dim64 > MaxDimension {
		return nil, inputErr(dimLine, "DIMENSION", "%d is out of range: want 2..%d nodes including the depot", dim64, MaxDimension)
	}
	n := int(dim64)
	out := &VRPLIB{Dialect: DialectCVRP, CostDivisor: 1}
	typ := strings.ToUpper(f.header["TYPE"])
	_, hasPD := f.sectLine["PICKUP_AND_DELIVERY_SECTION"]
	_, hasCapSect := f.sectLine["CAPACITY_SECTION"]
	switch {
	case typ == "HFVRP" || typ == "HVRP" || hasCapSect:
		out.Dialect = DialectHF
		out.CostDivisor = 100 * HFDistanceScale
	case typ == "VRPSPD" || hasPD:
		out.Dialect = DialectSPD
	case typ == "MTVRPTWR":
		out.Dialect = DialectMT
	case typ == "CVRP" || typ == "CVRPTW" || typ == "VRPTW" || typ == "":
	default:
		return nil, inputErr(f.headerLine["TYPE"], "TYPE", "%q is not supported; use CVRP, VRPTW, HFVRP, VRPSPD or MTVRPTWR", clip(typ))
	}
	in := &vrp.Instance{
		Name:        f.header["NAME"],
		Dims:        1,
		DepotWindow: vrp.TimeWindow{Start: 0, End: vrp.Horizon},
		Stops:       make([]vrp.Stop, n-1),
	}
	out.Instance = in
	for i := range in.Stops {
		in.Stops[i].ID = strconv.Itoa(i + 1)
	}
	if err := f.checkKeys(out.Dialect); err != nil {
		return nil, err
	}
	if err := f.checkDepot(); err != nil {
		return nil, err
	}
	kind := strings.ToUpper(f.header["EDGE_WEIGHT_TYPE"])
	dimacs := out.Dialect == DialectMT || f.rounding == RoundDIMACS
	if dimacs {
		switch {
		case out.Dialect != DialectMT && out.Dialect != DialectCVRP:
			return nil, inputErr(f.headerLine["TYPE"], "TYPE", "the DIMACS rounding applies to CVRP/VRPTW and MTVRPTWR files, not %s; read it with the file's own rounding", clip(f.header["TYPE"]))
		case kind != "EUC_2D" && out.Dialect == DialectMT:
			return nil, inputErr(f.headerLine["EDGE_WEIGHT_TYPE"], "EDGE_WEIGHT_TYPE", "MTVRPTWR needs EUC_2D (DIMACS distances), not %q", clip(kind))
		case kind != "EUC_2D":
			return nil, inputErr(f.headerLine["EDGE_WEIGHT_TYPE"], "EDGE_WEIGHT_TYPE", "the DIMACS convention needs EUC_2D coordinates, not %q", clip(kind))
		}
		if _, ok := f.header["SCALE"]; ok {
			return nil, inputErr(f.headerLine["SCALE"], "SCALE", "SCALE cannot be combined with the DIMACS convention (it fixes distances in tenths)")
		}
		in.Distance, err = f.dimacsDistances(n)
		out.Rounding = RoundDIMACS
		if out.Dialect != DialectMT {
			// MTVRPTWR's .sol files print tenths; VRPTW's (Gehring &
			// Homberger in CVRPLIB) print the distance with one decimal.
			out.CostDivisor = DIMACSScale
		}
	} else {
		scale := 1.0
		if out.Dialect == DialectHF {
			scale = HFDistanceScale
		}
		var fileScale int64
		if fileScale, err = f.scale(kind); err != nil {
			return nil, err
		}
		if fileScale > 1 {
			if out.Dialect == DialectHF {
				return nil, inputErr(f.headerLine["SCALE"], "SCALE", "the HF dialect fixes its own scale (×%d); remove SCALE", HFDistanceScale)
			}
			scale = float64(fileScale)
			out.CostDivisor = fileScale
		}
		in.Distance, err = f.distances(n, scale)
	}
	if err != nil {
		return nil, err
	}
	if err := f.amounts(in, out.Dialect); err != nil {
		return nil, err
	}
	if out.Dialect == DialectHF {
		err = f.fleetHF(out)
	} else {
		err = f.fleet(in)
	}
	if err != nil {
		return nil, err
	}
	if err := f.releases(in); err != nil {
		return nil, err
	}
	if err := f.reloads(in); err != nil {
		return nil, err
	}
	if dimacs {
		scaleTimes(in, DIMACSScale)
	} else if out.Dialect != DialectHF && out.CostDivisor > 1 {
		// SCALE multiplies distances, hence travel times: windows, service
		// times and duration limits are multiplied too, so that they stay
		// in the same units.
		scaleTimes(in, out.CostDivisor)
	}
	return out, nil
}

// checkDepot requires the one depot to be node 1.
func (f *vrplibFile) checkDepot() error {
	for _, l := range f.sections["DEPOT_SECTION"] {
		for _, v := range l.f {
			switch v {
			case "1", "-1":
			default:
				return inputErr(l.no, "DEPOT_SECTION", "depot %q is not supported: the one depot must be node 1", clip(v))
			}
		}
	}
	return nil
}

// distances builds the N×N distance matrix: nint(scale × Euclidean) for
// EUC_2D and EXACT_2D, its ceiling for CEIL_2D, the matrix as written for
// EXPLICIT.
func (f *vrplibFile) distances(n int, scale float64) ([]int64, error) {
	kind := strings.ToUpper(f.header["EDGE_WEIGHT_TYPE"])
	line := f.headerLine["EDGE_WEIGHT_TYPE"]
	switch kind {
	case "EUC_2D", "CEIL_2D", "EXACT_2D":
		xy, err := f.coords(n)
		if err != nil {
			return nil, err
		}
		d := make([]int64, n*n)
		for i := range n {
			for j := range n {
				e := math.Hypot(xy[i][0]-xy[j][0], xy[i][1]-xy[j][1]) * scale
				if kind == "CEIL_2D" {
					d[i*n+j] = int64(math.Ceil(e))
				} else {
					d[i*n+j] = int64(math.Round(e))
				}
			}
		}
		return d, nil
	case "EXPLICIT":
		return f.explicit(n)
	case "":
		return nil, inputErr(0, "EDGE_WEIGHT_TYPE", "the key is missing; add `EDGE_WEIGHT_TYPE : EUC_2D` or EXPLICIT")
	default:
		return nil, inputErr(line, "EDGE_WEIGHT_TYPE", "%q is not supported; use EUC_2D, CEIL_2D, EXACT_2D or EXPLICIT", clip(kind))
	}
}

// coords reads NODE_COORD_SECTION.
func (f *vrplibFile) coords(n int) ([][2]float64, error) {
	rows, err := f.nodeTable("NODE_COORD_SECTION", n, 2, true)
	if err != nil {
		return nil, err
	}
	xy := make([][2]float64, n)
	for i, row := range rows {
		for c := range 2 {
			v, err := strconv.ParseFloat(row[c], 64)
			if err != nil || math.IsNaN(v) || math.Abs(v) > 1e9 {
				return nil, inputErr(f.lineOf("NODE_COORD_SECTION", i+1), "NODE_COORD_SECTION", "node %d: coordinate %q must be a number within ±1e9", i+1, clip(row[c]))
			}
			xy[i][c] = v
		}
	}
	return xy, nil
}

// explicit reads EDGE_WEIGHT_SECTION in the layout EDGE_WEIGHT_FORMAT names.
func (f *vrplibFile) explicit(n int) ([]int64, error) {
	const sect = "EDGE_WEIGHT_SECTION"
	format := strings.ToUpper(f.header["EDGE_WEIGHT_FORMAT"])
	// lower: row i holds columns j < i (or ≤ i with the diagonal); upper:
	// columns j > i (or ≥ i). A column-wise layout of one triangle is the
	// row-wise layout of the other.
	var lower, diag bool
	want := n * n
	switch format {
	case "FULL_MATRIX":
	case "LOWER_ROW", "UPPER_COL":
		lower, want = true, n*(n-1)/2
	case "LOWER_DIAG_ROW", "UPPER_DIAG_COL":
		lower, diag, want = true, true, n*(n+1)/2
	case "UPPER_ROW", "LOWER_COL":
		want = n * (n - 1) / 2
	case "UPPER_DIAG_ROW", "LOWER_DIAG_COL":
		diag, want = true, n*(n+1)/2
	case "":
		return nil, inputErr(0, "EDGE_WEIGHT_FORMAT", "the key is missing; EXPLICIT needs FULL_MATRIX, LOWER_ROW, UPPER_ROW, LOWER_DIAG_ROW or UPPER_DIAG_ROW")
	default:
		return nil, inputErr(f.headerLine["EDGE_WEIGHT_FORMAT"], "EDGE_WEIGHT_FORMAT", "%q is not supported; use FULL_MATRIX, LOWER_ROW, UPPER_ROW, LOWER_DIAG_ROW or UPPER_DIAG_ROW", clip(format))
	}
	got := 0
	for _, l := range f.sections[sect] {
		got += len(l.f)
	}
	if got != want {
		return nil, inputErr(f.sectLine[sect], sect, "%d numbers, but %s of DIMENSION %d needs %d", got, format, n, want)
	}
	d := make([]int64, n*n)
	if format == "FULL_MATRIX" {
		k := 0
		for _, l := range f.sections[sect] {
			for _, v := range l.f {
				x, err := parseInt(v)
				if err != nil || x < 0 || x > 1<<40 {
					return nil, inputErr(l.no, sect, "%q must be a non-negative integer", clip(v))
				}
				d[k] = x
				k++
			}
		}
		return d, nil
	}
	// span is the first column of row i and one past its last.
	span := func(i int) (int, int) {
		switch {
		case lower && diag:
			return 0, i + 1
		case lower:
			return 0, i
		case diag:
			return i, n
		default:
			return i + 1, n
		}
	}
	i := 0
	j, stop := span(0)
	for _, l := range f.sections[sect] {
		for _, v := range l.f {
			for j >= stop { // next row with cells (some rows are empty)
				i++
				j, stop = span(i)
			}
			x, err := parseInt(v)
			if err != nil || x < 0 || x > 1<<40 {
				return nil, inputErr(l.no, sect, "%q must be a non-negative integer", clip(v))
			}
			d[i*n+j], d[j*n+i] = x, x
			j++
		}
	}
	return d, nil
}

// amounts reads demands, pickups, service times and time windows.
func (f *vrplibFile) amounts(in *vrp.Instance, dialect Dialect) error {
	n := in.N()
	if dialect == DialectSPD {
		const sect = "PICKUP_AND_DELIVERY_SECTION"
		rows, err := f.nodeTable(sect, n, 6, true)
		if err != nil {
			return err
		}
		for i, row := range rows {
			var v [6]int64
			for c := 1; c < 6; c++ {
				if v[c], err = f.intCell(sect, row, c, i+1, 0); err != nil {
					return err
				}
			}
			w := vrp.TimeWindow{Start: v[1], End: v[2]}
			if w.Start > w.End {
				return inputErr(f.lineOf(sect, i+1), sect, "node %d: earliest %d is after latest %d", i+1, w.Start, w.End)
			}
			if i == 0 {
				in.DepotWindow = w
				continue
			}
			s := &in.Stops[i-1]
			s.Service, s.Pickup[0], s.Delivery[0] = v[3], v[4], v[5]
			s.TimeWindows = []vrp.TimeWindow{w}
		}
	} else {
		rows, err := f.nodeTable("DEMAND_SECTION", n, 1, true)
		if err != nil {
			return err
		}
		for i := 1; i < n; i++ {
			if in.Stops[i-1].Delivery[0], err = f.intCell("DEMAND_SECTION", rows[i], 0, i+1, 0); err != nil {
				return err
			}
		}
		if err := f.windowsTW(in); err != nil {
			return err
		}
	}
	// A window that holds the whole depot window constrains nothing.
	for i := range in.Stops {
		s := &in.Stops[i]
		if len(s.TimeWindows) == 1 && s.TimeWindows[0].Start <= in.DepotWindow.Start && s.TimeWindows[0].End >= in.DepotWindow.End {
			s.TimeWindows = nil
		}
	}
	return nil
}

// windowsTW reads the optional VRPTW sections and the SERVICE_TIME key.
func (f *vrplibFile) windowsTW(in *vrp.Instance) error {
	n := in.N()
	service, err := f.headerInt("SERVICE_TIME", 0)
	if err != nil {
		return err
	}
	if service < 0 {
		return inputErr(f.headerLine["SERVICE_TIME"], "SERVICE_TIME", "must be ≥ 0")
	}
	for i := range in.Stops {
		in.Stops[i].Service = service
	}
	if rows, err := f.nodeTable("SERVICE_TIME_SECTION", n, 1, false); err != nil {
		return err
	} else if rows != nil {
		for i := 1; i < n; i++ {
			if in.Stops[i-1].Service, err = f.intCell("SERVICE_TIME_SECTION", rows[i], 0, i+1, 0); err != nil {
				return err
			}
		}
	}
	rows, err := f.nodeTable("TIME_WINDOW_SECTION", n, 2, false)
	if err != nil || rows == nil {
		return err
	}
	for i, row := range rows {
		var w vrp.TimeWindow
		if w.Start, err = f.intCell("TIME_WINDOW_SECTION", row, 0, i+1, 0); err != nil {
			return err
		}
		if w.End, err = f.intCell("TIME_WINDOW_SECTION", row, 1, i+1, 0); err != nil {
			return err
		}
		if w.Start > w.End {
			return inputErr(f.lineOf("TIME_WINDOW_SECTION", i+1), "TIME_WINDOW_SECTION", "node %d: window opens at %d after it closes at %d", i+1, w.Start, w.End)
		}
		if i == 0 {
			in.DepotWindow = w
		} else {
			in.Stops[i-1].TimeWindows = []vrp.TimeWindow{w}
		}
	}
	return nil
}

// fleet reads the one vehicle type of CVRP and VRPSPD files: CAPACITY, and
// VEHICLES (a limit when present) and DISTANCE (a route length limit, 0 for
// none; when stops have service times it limits travel plus service, i.e.
// MaxDuration, as in Christofides' instances).
func (f *vrplibFile) fleet(in *vrp.Instance) error {
	capacity, err := f.headerInt("CAPACITY", -1)
	if err != nil {
		return err
	}
	if capacity < 0 {
		return inputErr(f.headerLine["CAPACITY"], "CAPACITY", "the key is missing or negative; add `CAPACITY : <integer>`")
	}
	count, err := f.headerInt("VEHICLES", vrp.Unlimited)
	if err != nil {
		return err
	}
	if count < 1 && count != vrp.Unlimited || count > 1<<20 {
		return inputErr(f.headerLine["VEHICLES"], "VEHICLES", "%d is not a number of vehicles ≥ 1", count)
	}
	maxDist, err := f.headerInt("DISTANCE", 0)
	if err != nil {
		return err
	}
	if maxDist < 0 {
		return inputErr(f.headerLine["DISTANCE"], "DISTANCE", "must be ≥ 0 (0 means no limit)")
	}
	vt := vrp.VehicleType{
		Name: "vehicle", Count: int(count), Capacity: vrp.Amount{capacity},
		DistanceCost: 1, ShiftEnd: vrp.Horizon, MaxDistance: maxDist,
	}
	for _, s := range in.Stops {
		if s.Service > 0 && in.Duration == nil {
			// With service times (Christofides' instances) DISTANCE bounds
			// the route's length including service: its duration.
			vt.MaxDistance, vt.MaxDuration = 0, maxDist
			break
		}
	}
	in.VehicleTypes = []vrp.VehicleType{vt}
	return nil
}
