package vrpio

import (
	"github.com/tongpei/tongpei/dispatch/vrp"

	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// fleetHF groups the HF dialect's vehicles into types: vehicles with the same
// capacity, fixed cost and unit distance cost are one type whose Count is how
// many the file lists. A file whose NAME contains "FSM" (fleet size and mix)
// has an unlimited fleet of each type. Missing cost sections mean a fixed cost
// of 0 and a unit distance cost of 100 (1.00 in the file's ×100 units).
func (f *vrplibFile) fleetHF(out *VRPLIB) error {
	in := out.Instance
	m64, err := f.headerInt("VEHICLES", -1)
	if err != nil {
		return err
	}
	if m64 < 1 || m64 > 100000 {
		return inputErr(f.headerLine["VEHICLES"], "VEHICLES", "the key is missing or out of range; add `VEHICLES : <number of vehicles>`")
	}
	m := int(m64)
	capRows, err := f.nodeTable("CAPACITY_SECTION", m, 1, true)
	if err != nil {
		return err
	}
	fixRows, err := f.nodeTable("VEHICLES_FIXED_COST_SECTION", m, 1, false)
	if err != nil {
		return err
	}
	unitRows, err := f.nodeTable("VEHICLES_UNIT_DISTANCE_COST_SECTION", m, 1, false)
	if err != nil {
		return err
	}
	unlimited := strings.Contains(strings.ToUpper(in.Name), "FSM")
	type key struct{ capacity, fixed, unit int64 }
	index := map[key]int{}
	for v := range m {
		k := key{unit: 100}
		if k.capacity, err = f.intCell("CAPACITY_SECTION", capRows[v], 0, v+1, 0); err != nil {
			return err
		}
		if fixRows != nil {
			if k.fixed, err = f.intCell("VEHICLES_FIXED_COST_SECTION", fixRows[v], 0, v+1, 0); err != nil {
				return err
			}
		}
		if unitRows != nil {
			if k.unit, err = f.intCell("VEHICLES_UNIT_DISTANCE_COST_SECTION", unitRows[v], 0, v+1, 0); err != nil {
				return err
			}
		}
		t, ok := index[k]
		if !ok {
			t = len(in.VehicleTypes)
			index[k] = t
			in.VehicleTypes = append(in.VehicleTypes, vrp.VehicleType{
				Name:     fmt.Sprintf("type %d (capacity %d)", t+1, k.capacity),
				Capacity: vrp.Amount{k.capacity}, FixedCost: k.fixed * HFDistanceScale,
				DistanceCost: k.unit, ShiftEnd: vrp.Horizon,
			})
			out.Vehicles = append(out.Vehicles, nil)
		}
		in.VehicleTypes[t].Count++
		out.Vehicles[t] = append(out.Vehicles[t], v+1)
	}
	if unlimited {
		for t := range in.VehicleTypes {
			in.VehicleTypes[t].Count = vrp.Unlimited
		}
	}
	return nil
}

// FormatCost prints a model cost in the file's units: an integer when
// CostDivisor is 1, two decimals for the HF dialect, and otherwise as many
// decimals as the divisor has zeros (one for DIMACS tenths, three for
// EXACT_2D's default SCALE 1000), so that no unit of the model is lost.
func (f *VRPLIB) FormatCost(cost int64) string {
	if f.CostDivisor <= 1 {
		return strconv.FormatInt(cost, 10)
	}
	decimals := 2
	if f.Dialect != DialectHF {
		decimals = 0
		for d := f.CostDivisor; d > 1; d /= 10 {
			decimals++
		}
	}
	return strconv.FormatFloat(float64(cost)/float64(f.CostDivisor), 'f', decimals, 64)
}

// WriteSolution writes s in the .sol format of the file's dialect. CVRP and
// VRPSPD: one line `Route #k: c1 c2 …` per non-empty route, customers
// numbered as in CVRPLIB (Stops[i] is customer i+1; the depot, 0, is left
// out; for a multi-trip route a 0 between two trips marks the reload), then
// `Cost N` with N = s.Cost. HF: one line per vehicle of the file,
// `Route #v:` being vehicle v (empty when unused), then `Cost: x` with x the
// cost in the file's units (s.Cost / CostDivisor, two decimals). Unassigned
// stops have no place in the format and are left out.
func (f *VRPLIB) WriteSolution(w io.Writer, s *vrp.Solution) error {
	bw := bufio.NewWriter(w)
	routeLine := func(k int, r vrp.Route) {
		fmt.Fprintf(bw, "Route #%d:", k)
		for j, trip := range r.Trips() {
			if j > 0 {
				bw.WriteString(" 0") // back to the depot to reload
			}
			for _, st := range trip {
				fmt.Fprintf(bw, " %d", st+1)
			}
		}
		bw.WriteString("\n")
	}
	if f.Dialect != DialectHF {
		k := 0
		for _, r := range s.Routes {
			if len(r.Stops) > 0 {
				k++
				routeLine(k, r)
			}
		}
		fmt.Fprintf(bw, "Cost %s\n", f.FormatCost(s.Cost))
		return bw.Flush()
	}
	byVehicle := map[int]vrp.Route{}
	next := make([]int, len(f.Vehicles))
	for _, r := range s.Routes {
		if len(r.Stops) == 0 {
			continue
		}
		t := r.VehicleType
		if t < 0 || t >= len(f.Vehicles) || next[t] >= len(f.Vehicles[t]) {
			return fmt.Errorf("write solution: more routes of vehicle type %d than the file has vehicles", t)
		}
		byVehicle[f.Vehicles[t][next[t]]] = r
		next[t]++
	}
	m := 0
	for _, vs := range f.Vehicles {
		m += len(vs)
	}
	for v := 1; v <= m; v++ {
		routeLine(v, byVehicle[v])
	}
	fmt.Fprintf(bw, "Cost: %s\n", f.FormatCost(s.Cost))
	return bw.Flush()
}

// ReadSolution reads a .sol file written for this instance (by
// WriteSolution, CVRPLIB or the HF benchmark). It returns the routes (empty
// ones dropped; for HF, route k is the type of vehicle k) and the file's Cost
// line as written, in the file's units; Solution.Cost is that cost in model
// units, rounded. An HF cost written without a decimal point (as some of the
// benchmark's .sol files do) is taken to be in model units, i.e. the file's
// cost × CostDivisor, which is PyVRP's convention. Lines other than `Route #…` and `Cost …` are ignored.
func (f *VRPLIB) ReadSolution(r io.Reader) (*vrp.Solution, float64, error) {
	typeOf := map[int]int{}
	for t, vs := range f.Vehicles {
		for _, v := range vs {
			typeOf[v] = t
		}
	}
	sol := &vrp.Solution{}
	cost, hasCost := 0.0, false
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	no := 0
	for sc.Scan() {
		no++
		text := strings.TrimSpace(sc.Text())
		low := strings.ToLower(text)
		switch {
		case strings.HasPrefix(low, "route"):
			head, body, ok := strings.Cut(text, ":")
			num := strings.TrimLeft(strings.TrimSpace(head[len("route"):]), "# ")
			k, err := strconv.Atoi(num)
			if !ok || err != nil || k < 1 {
				return nil, 0, inputErr(no, "Route", "want `Route #<k>: <customers>`, got %q", clip(text))
			}
			route := vrp.Route{}
			if f.Dialect == DialectHF {
				t, ok := typeOf[k]
				if !ok {
					return nil, 0, inputErr(no, "Route", "vehicle %d does not exist in the instance", k)
				}
				route.VehicleType = t
			}
			for _, c := range strings.Fields(body) {
				id, err := strconv.Atoi(c)
				if err == nil && id == 0 && f.Dialect == DialectMT {
					// A reload; one before the first stop, after the last or
					// right after another is an empty trip and is dropped.
					if k := len(route.Stops); k > 0 && (len(route.Reloads) == 0 || route.Reloads[len(route.Reloads)-1] < k) {
						route.Reloads = append(route.Reloads, k)
					}
					continue
				}
				if err != nil || id < 1 || id > len(f.Instance.Stops) {
					return nil, 0, inputErr(no, "Route", "customer %q is not in 1..%d", clip(c), len(f.Instance.Stops))
				}
				route.Stops = append(route.Stops, id-1)
			}
			if k := len(route.Reloads); k > 0 && route.Reloads[k-1] == len(route.Stops) {
				route.Reloads = route.Reloads[:k-1] // a trailing 0: the van just goes home
			}
			if len(route.Stops) > 0 {
				sol.Routes = append(sol.Routes, route)
			}
		case strings.HasPrefix(low, "cost"):
			v := strings.TrimSpace(strings.TrimPrefix(text[len("cost"):], ":"))
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1e12 {
				return nil, 0, inputErr(no, "Cost", "%q is not a number", clip(v))
			}
			if f.Dialect == DialectHF && !strings.ContainsAny(v, ".eE") {
				x /= float64(max(f.CostDivisor, 1)) // written in model units
			}
			cost, hasCost = x, true
		}
	}
	if err := sc.Err(); err != nil {
		e := inputErr(no+1, "", "cannot read the solution: %v", err)
		e.Cause = err
		return nil, 0, e
	}
	if !hasCost {
		return nil, 0, inputErr(no, "Cost", "the solution has no `Cost` line")
	}
	div := max(f.CostDivisor, 1)
	sol.Cost = int64(math.Round(cost * float64(div)))
	return sol, cost, nil
}
