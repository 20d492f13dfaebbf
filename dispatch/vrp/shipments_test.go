package vrp

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// shipmentInstance is randomInstance of kind k with nbPairs shipments
// added: each a pickup and a delivery at random places, 1..amount units.
func shipmentInstance(k kind, jobs, nbPairs int, amount int64, seed uint64) *Instance {
	in := randomInstance(k, jobs+2*nbPairs, seed)
	rng := rand.New(rand.NewPCG(seed, 99))
	for s := range nbPairs {
		p, d := jobs+2*s, jobs+2*s+1
		q := 1 + rng.Int64N(amount)
		in.Stops[p] = Stop{ID: "p" + strconv.Itoa(s), Kind: KindPickup, Partner: d, Pickup: Amount{q}, Service: in.Stops[p].Service}
		in.Stops[d] = Stop{ID: "d" + strconv.Itoa(s), Kind: KindDelivery, Partner: p, Delivery: Amount{q}, Service: in.Stops[d].Service}
		if k.windows && rng.IntN(2) == 0 {
			start := 3000 + rng.Int64N(3000)
			in.Stops[d].TimeWindows = []TimeWindow{{start, start + 1500}}
		}
	}
	return in
}

var shipmentKinds = []kind{
	{name: "pdp"},
	{name: "pdptw", windows: true},
	{name: "pdp-rich", pickups: true, windows: true, fleet: true},
	{name: "pdp-open", windows: true, ends: 2},
}

// lsPairsHold checks the invariant of shipments_search.go on every route.
func lsPairsHold(t *testing.T, p *params, routes [][]int) {
	t.Helper()
	for r, route := range routes {
		for k, c := range route {
			q := p.pair[c]
			if q == 0 {
				continue
			}
			j := slices.Index(route, q)
			if j < 0 || p.isPickup(c) != (k < j) {
				t.Fatalf("route %d %v: shipment %d–%d broken", r, route, c, q)
			}
		}
	}
}

// TestShipmentMovesAgainstRecomputation runs every move on instances with
// shipments: an applied move lowers the recomputed cost and keeps every
// pair on one route in order, a rejected one changes nothing, the
// incremental data equal a recomputation, and relocateShipment finds the
// best delivery place a brute force finds.
func TestShipmentMovesAgainstRecomputation(t *testing.T) {
	t.Parallel()
	for _, k := range shipmentKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			in := shipmentInstance(k, 16, 12, 25, 4)
			p := newParams(in, defaultConfig())
			rng := rand.New(rand.NewPCG(5, 6))
			ls := newLocalSearch(p, rng)
			sp := newSplitter(p)
			moves := []struct {
				name string
				f    func(u, v *lsNode) bool
			}{
				{"relocate", ls.relocate}, {"relocatePair", ls.relocatePair}, {"relocatePairReversed", ls.relocatePairReversed},
				{"swap", ls.swap}, {"swapPairSingle", ls.swapPairSingle}, {"swapPairs", ls.swapPairs},
				{"twoOpt", ls.twoOpt}, {"twoOptStarTails", ls.twoOptStarTails}, {"relocateShipment", ls.relocateShipment},
			}
			applied, rejectedPairs := map[string]int{}, 0
			ind := newIndividual(p)
			for trial := range 120 {
				randomStart(ls, sp, ind, rng, trial)
				ls.repairPairs()
				checkLSConsistent(t, p, ls)
				lsPairsHold(t, p, lsRoutesOf(ls))
				for range 80 {
					m := moves[rng.IntN(len(moves))]
					u := &ls.clients[1+rng.IntN(p.nbClients)]
					v := &ls.clients[1+rng.IntN(p.nbClients)]
					if rng.IntN(5) == 0 {
						v = ls.routes[rng.IntN(ls.nbRoutes)].depot
					}
					if u == v || v.isDepot && strings.HasPrefix(m.name, "swap") {
						continue
					}
					before := lsRoutesOf(ls)
					costBefore := totalCost(p, ls, before)
					var bestBrute float64
					if m.name == "relocateShipment" {
						bestBrute = bruteShipment(p, ls, before, u, v)
					}
					got := m.f(u, v)
					after := lsRoutesOf(ls)
					checkLSConsistent(t, p, ls)
					lsPairsHold(t, p, after)
					costAfter := totalCost(p, ls, after)
					if got {
						applied[m.name]++
						if costAfter >= costBefore-1e-9 {
							t.Fatalf("%s(%d,%d) applied: cost %.3f → %.3f", m.name, u.cour, v.cour, costBefore, costAfter)
						}
						if m.name == "relocateShipment" && math.Abs(costAfter-bestBrute) > 1e-6*math.Max(1, bestBrute) {
							t.Fatalf("relocateShipment(%d,%d): cost %.3f, the best placement costs %.3f", u.cour, v.cour, costAfter, bestBrute)
						}
						continue
					}
					if !slices.EqualFunc(after, before, slices.Equal) {
						t.Fatalf("%s(%d,%d) rejected but changed the routes", m.name, u.cour, v.cour)
					}
					if m.name == "relocateShipment" && !math.IsInf(bestBrute, 1) && bestBrute < costBefore-1e-3 {
						t.Fatalf("relocateShipment(%d,%d) rejected an improvement %.3f → %.3f", u.cour, v.cour, costBefore, bestBrute)
					}
					if p.pair[u.cour] != 0 || p.pair[v.cour] != 0 {
						rejectedPairs++
					}
				}
			}
			if applied["relocateShipment"] == 0 || len(applied) < len(moves)-3 {
				t.Errorf("moves applied %v: the test does not exercise them", applied)
			}
			if rejectedPairs == 0 {
				t.Error("no move on a shipment was ever rejected")
			}
		})
	}
}

// bruteShipment is the lowest total cost relocateShipment(u, v) can reach:
// u's pair removed, the pickup right after v, the delivery at every place
// after it (v's route may be u's); +Inf when the move does not apply.
func bruteShipment(p *params, ls *localSearch, routes [][]int, u, v *lsNode) float64 {
	if p.pair[u.cour] == 0 || v.cour == u.cour || v.cour == p.pair[u.cour] && !v.isDepot ||
		u.route == v.route && !p.isPickup(u.cour) { // inside a route: from the pickup only
		return math.Inf(1)
	}
	pk, dl := u.cour, p.pair[u.cour]
	if !p.isPickup(pk) {
		pk, dl = dl, pk
	}
	ru, rv := u.route.index, v.route.index
	base := cloneRoutes(routes)
	base[ru] = slices.DeleteFunc(base[ru], func(c int) bool { return c == pk || c == dl })
	k := 0
	if !v.isDepot {
		k = slices.Index(base[rv], v.cour) + 1
	}
	best := math.Inf(1)
	for j := k; j <= len(base[rv]); j++ {
		trial := cloneRoutes(base)
		trial[rv] = slices.Insert(trial[rv], j, dl)
		trial[rv] = slices.Insert(trial[rv], k, pk)
		best = min(best, totalCost(p, ls, trial))
	}
	return best
}

// TestSolveShipments solves instances with shipments and checks them with
// the validator, which requires each pair on one route, pickup first.
func TestSolveShipments(t *testing.T) {
	t.Parallel()
	for _, k := range shipmentKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			in := shipmentInstance(k, 15, 15, 30, 8)
			sol := solveChecked(t, in, Options{Seed: 1, MaxIterations: 120})
			pairs := 0
			for _, r := range sol.Routes {
				for _, s := range r.Stops {
					if in.Stops[s].Kind == KindPickup {
						pairs++
					}
				}
			}
			if pairs == 0 {
				t.Fatal("no shipment was routed")
			}
		})
	}
}

// TestShipmentLoadAlongRoute: two shipments of 6 on a van of 10 fit one
// after the other but not together, and the validator says which.
func TestShipmentLoadAlongRoute(t *testing.T) {
	t.Parallel()
	in := pdLine(4)
	in.VehicleTypes[0].Capacity = Amount{10}
	in.Stops[0] = Stop{ID: "p1", Kind: KindPickup, Partner: 1, Pickup: Amount{6}}
	in.Stops[1] = Stop{ID: "d1", Kind: KindDelivery, Partner: 0, Delivery: Amount{6}}
	in.Stops[2] = Stop{ID: "p2", Kind: KindPickup, Partner: 3, Pickup: Amount{6}}
	in.Stops[3] = Stop{ID: "d2", Kind: KindDelivery, Partner: 2, Delivery: Amount{6}}
	ok := &Solution{Routes: []Route{{Stops: []int{0, 1, 2, 3}}}}
	if err := Validate(in, ok); err != nil {
		t.Fatalf("sequential shipments rejected: %v", err)
	}
	tl, _ := RouteTimeline(in, ok.Routes[0])
	if tl.StartLoad[0] != 0 || tl.Steps[0].Load[0] != 6 || tl.Steps[1].Load[0] != 0 {
		t.Fatalf("loads %v then %v %v, want 0, 6, 0", tl.StartLoad, tl.Steps[0].Load, tl.Steps[1].Load)
	}
	for _, c := range []struct {
		stops []int
		want  string
	}{
		{[]int{0, 2, 1, 3}, "exceeds capacity"},
		{[]int{1, 0, 2, 3}, "comes before its pickup"},
	} {
		err := Validate(in, &Solution{Routes: []Route{{Stops: c.stops}}})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("route %v: error %v, want %q", c.stops, err, c.want)
		}
	}
	split := &Solution{Routes: []Route{{Stops: []int{0, 2, 3}}, {Stops: []int{1}}}}
	if err := Validate(in, split); err == nil || !strings.Contains(err.Error(), "not on this route") {
		t.Errorf("split pair: error %v", err)
	}
	half := &Solution{Routes: []Route{{Stops: []int{0, 1, 2}}}, Unassigned: []Unassigned{{Stop: 3}}}
	if err := Validate(in, half); err == nil {
		t.Error("half a shipment unassigned was accepted")
	}
	sol := solveChecked(t, in, Options{Seed: 1, MaxIterations: 50})
	if len(sol.Unassigned) != 0 {
		t.Fatalf("unassigned %v", sol.Unassigned)
	}
}

// TestShipmentModelChecks: mismatched halves are input errors naming the
// field.
func TestShipmentModelChecks(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		edit  func(in *Instance)
		field string
	}{
		{"self", func(in *Instance) { in.Stops[0].Partner = 0 }, "stops[0].partner"},
		{"not back", func(in *Instance) { in.Stops[1].Partner = 2 }, "stops[0].partner"},
		{"amounts", func(in *Instance) { in.Stops[1].Delivery = Amount{5} }, "stops[0].pickup"},
		{"release", func(in *Instance) { in.Stops[0].Release = 5 }, "stops[0].release"},
		{"trips", func(in *Instance) { in.VehicleTypes[0].MaxTrips = 2 }, "vehicle_types"},
	} {
		in := pdLine(3)
		in.Stops[0] = Stop{ID: "p", Kind: KindPickup, Partner: 1, Pickup: Amount{3}}
		in.Stops[1] = Stop{ID: "d", Kind: KindDelivery, Partner: 0, Delivery: Amount{3}}
		c.edit(in)
		_, err := Solve(t.Context(), in, Options{MaxIterations: 5})
		ie, ok := err.(*InputError)
		if !ok || ie.Field != c.field {
			t.Errorf("%s: error %v, want an InputError on %s", c.name, err, c.field)
		}
	}
}

// pdLine is n stops 10 apart on a line from the depot, one dimension,
// an unlimited fleet of vans of capacity 100 priced by distance.
func pdLine(n int) *Instance {
	in := &Instance{Name: "line", Dims: 1, DepotWindow: TimeWindow{0, Horizon}, Stops: make([]Stop, n)}
	for i := range in.Stops {
		in.Stops[i].ID = "s" + strconv.Itoa(i)
	}
	in.VehicleTypes = []VehicleType{{Name: "van", Count: Unlimited, Capacity: Amount{100}, DistanceCost: 1, ShiftEnd: Horizon}}
	m := n + 1
	in.Distance = make([]int64, m*m)
	for i := range m {
		for j := range m {
			in.Distance[i*m+j] = 10 * int64(max(i-j, j-i))
		}
	}
	return in
}

// TestFinaliseShedsPairsWhole: a route overloaded after a shipment's
// delivery must not be mended by shedding that shipment's pickup alone
// (the delivery would then seem to free room): the finaliser sheds both
// halves and the result is valid.
func TestFinaliseShedsPairsWhole(t *testing.T) {
	t.Parallel()
	in := pdLine(6)
	in.VehicleTypes[0].Capacity, in.VehicleTypes[0].Count = Amount{10}, 1
	pair := func(p, d int, q int64, prio int) {
		in.Stops[p] = Stop{ID: "p" + strconv.Itoa(p), Kind: KindPickup, Partner: d, Pickup: Amount{q}, Priority: prio}
		in.Stops[d] = Stop{ID: "d" + strconv.Itoa(d), Kind: KindDelivery, Partner: p, Delivery: Amount{q}, Priority: prio}
	}
	pair(0, 1, 5, 0) // the low priority the finaliser sheds first
	pair(2, 4, 6, 50)
	pair(3, 5, 6, 50)
	sol := finalise(in, []Route{{Stops: []int{0, 1, 2, 3, 4, 5}}}, nil) // 12 on board after stop 3
	if err := Validate(in, sol); err != nil {
		t.Fatalf("finalised solution invalid: %v\n%+v", err, sol)
	}
}
