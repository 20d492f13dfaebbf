package vrp

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// breakInstance is randomInstance of kind k (windows) on a fleet of vans
// that each take a lunch break of 300 in [3000, 3600] and a short one of
// 60 any time, the lunch with at most maxLoad on board (0: no limit).
func breakInstance(k kind, n int, vans int, maxLoad int64, seed uint64) *Instance {
	in := randomInstance(k, n, seed)
	for t := range in.VehicleTypes {
		vt := &in.VehicleTypes[t]
		if vt.Count == Unlimited {
			vt.Count = vans
		}
		vt.Breaks = []Break{
			{ID: "lunch" + strconv.Itoa(t), Service: 300, TimeWindows: []TimeWindow{{3000, 3600}}, MaxLoad: Amount{maxLoad, maxLoad}, LimitLoad: maxLoad > 0},
			{ID: "coffee", Service: 60},
		}
	}
	return in
}

var breakKinds = []kind{
	{name: "vrptw-breaks", windows: true},
	{name: "rich-breaks", pickups: true, windows: true, fleet: true},
	{name: "open-breaks", windows: true, ends: 2},
}

// TestBreakSegmentsAgainstTimeline: the segment of a route with break
// visits, built from the left, from the right or split anywhere, has the
// duration, time warp and load excess that the validator's schedule says
// (feasible routes: same duration; infeasible: some excess).
func TestBreakSegmentsAgainstTimeline(t *testing.T) {
	t.Parallel()
	for _, k := range breakKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			in := breakInstance(k, 12, 3, 40, 2)
			sub, nb := withBreaks(in)
			p := newParamsReload(sub, defaultConfig(), len(in.Stops)+nb)
			rng := rand.New(rand.NewPCG(1, 2))
			feasible, infeasible := 0, 0
			for range 400 {
				vtIdx := rng.IntN(len(in.VehicleTypes))
				perm := rng.Perm(len(in.Stops))[:1+rng.IntN(5)]
				var nodes []int
				for _, s := range perm {
					nodes = append(nodes, s+1)
				}
				// this type's slot 0 break visits, at random places
				route := Route{VehicleType: vtIdx}
				for i, o := range p.brk.owners {
					if o.vt == vtIdx && o.slot == 0 {
						at := rng.IntN(len(nodes) + 1)
						nodes = slices.Insert(nodes, at, p.brk.first+i)
					}
				}
				for _, c := range nodes {
					if p.isBreak(c) {
						route.Breaks = append(route.Breaks, BreakAt{Break: p.brk.owners[c-p.brk.first].brk, After: len(route.Stops)})
					} else {
						route.Stops = append(route.Stops, c-1)
					}
				}
				seg := p.routeSegment(nodes, vtIdx)
				for cut := 0; cut <= len(nodes); cut++ { // split anywhere: same segment
					l := p.depotFrom[vtIdx]
					for _, c := range nodes[:cut] {
						var x segment
						p.join(&l, &p.single[c], &x)
						l = x
					}
					r := p.depotTo[vtIdx]
					for i := len(nodes) - 1; i >= cut; i-- {
						var x segment
						p.join(&p.single[nodes[i]], &r, &x)
						r = x
					}
					var whole segment
					p.join(&l, &r, &whole)
					if whole.dur != seg.dur || whole.tw != seg.tw || whole.dist != seg.dist || whole.r.midEx != seg.r.midEx {
						t.Fatalf("route %v cut at %d: dur %d tw %d dist %d ex %v; from the left %d %d %d %v",
							nodes, cut, whole.dur, whole.tw, whole.dist, whole.r.midEx, seg.dur, seg.tw, seg.dist, seg.r.midEx)
					}
				}
				ev := p.evaluate(&seg, vtIdx)
				tl, err := RouteTimeline(in, route)
				switch {
				case err == nil:
					feasible++
					if !ev.feasible() || seg.dur != tl.Duration || seg.dist != tl.Distance {
						t.Fatalf("route %+v: validator duration %d distance %d, segment %d %d, eval %+v", route, tl.Duration, tl.Distance, seg.dur, seg.dist, ev)
					}
				case strings.Contains(err.Error(), "skills"):
				default:
					infeasible++
					if ev.feasible() {
						t.Fatalf("route %+v: validator says %v, the segment finds it feasible", route, err)
					}
				}
			}
			if feasible == 0 || infeasible == 0 {
				t.Fatalf("%d feasible, %d infeasible routes: the test does not exercise both", feasible, infeasible)
			}
		})
	}
}

// TestBreakMovesAgainstRecomputation: every move on instances with breaks
// lowers the recomputed cost when applied, keeps each break visit in its
// slot's route, changes nothing when rejected, and relocateBreak finds
// the best place of a break in its route.
func TestBreakMovesAgainstRecomputation(t *testing.T) {
	t.Parallel()
	for _, k := range breakKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			in := breakInstance(k, 30, 4, 40, 3)
			sub, nb := withBreaks(in)
			p := newParamsReload(sub, defaultConfig(), len(in.Stops)+nb)
			rng := rand.New(rand.NewPCG(7, 8))
			ls := newLocalSearch(p, rng)
			sp := newSplitter(p)
			moves := []struct {
				name string
				f    func(u, v *lsNode) bool
			}{
				{"relocate", ls.relocate}, {"relocatePair", ls.relocatePair}, {"swap", ls.swap},
				{"swapPairs", ls.swapPairs}, {"twoOpt", ls.twoOpt}, {"twoOptStarTails", ls.twoOptStarTails},
				{"relocateBreak", func(u, _ *lsNode) bool { return ls.relocateBreak(u) }},
			}
			applied := map[string]int{}
			ind := newIndividual(p)
			for trial := range 100 {
				randomStart(ls, sp, ind, rng, trial)
				ls.repairBreaks()
				checkLSConsistent(t, p, ls)
				checkBreakSlots(t, ls)
				for range 80 {
					m := moves[rng.IntN(len(moves))]
					u := &ls.clients[1+rng.IntN(p.nbClients)]
					v := &ls.clients[1+rng.IntN(p.nbClients)]
					if m.name == "relocateBreak" {
						u = &ls.clients[p.brk.first+rng.IntN(nb)]
					}
					if u == v {
						continue
					}
					before := lsRoutesOf(ls)
					costBefore := totalCost(p, ls, before)
					var brute float64
					if m.name == "relocateBreak" {
						brute = bruteBreak(p, ls, before, u)
					}
					got := m.f(u, v)
					after := lsRoutesOf(ls)
					checkLSConsistent(t, p, ls)
					checkBreakSlots(t, ls)
					costAfter := totalCost(p, ls, after)
					if got {
						applied[m.name]++
						if costAfter >= costBefore-1e-9 {
							t.Fatalf("%s(%d,%d) applied: cost %.3f → %.3f", m.name, u.cour, v.cour, costBefore, costAfter)
						}
						if m.name == "relocateBreak" && costAfter > brute+1e-6 {
							t.Fatalf("relocateBreak(%d): cost %.3f, the best place costs %.3f", u.cour, costAfter, brute)
						}
						continue
					}
					if !slices.EqualFunc(after, before, slices.Equal) {
						t.Fatalf("%s(%d,%d) rejected but changed the routes", m.name, u.cour, v.cour)
					}
					if m.name == "relocateBreak" && brute < costBefore-1e-3 {
						t.Fatalf("relocateBreak(%d) rejected an improvement %.3f → %.3f in %v", u.cour, costBefore, brute, before[u.route.index])
					}
				}
			}
			if applied["relocateBreak"] == 0 || len(applied) < len(moves)-2 {
				t.Errorf("moves applied %v: the test does not exercise them", applied)
			}
		})
	}
}

// checkBreakSlots: every break visit is in its slot's route.
func checkBreakSlots(t *testing.T, ls *localSearch) {
	t.Helper()
	p := ls.p
	for i := range p.brk.owners {
		n := &ls.clients[p.brk.first+i]
		if n.route.index != ls.breakRoute[i] {
			t.Fatalf("break visit %d in route %d, its slot's route is %d", n.cour, n.route.index, ls.breakRoute[i])
		}
	}
}

// bruteBreak is the lowest total cost of moving break visit u anywhere in
// its route.
func bruteBreak(p *params, ls *localSearch, routes [][]int, u *lsNode) float64 {
	r := u.route.index
	base := cloneRoutes(routes)
	base[r] = slices.DeleteFunc(base[r], func(c int) bool { return c == u.cour })
	best := totalCost(p, ls, routes)
	for j := 0; j <= len(base[r]); j++ {
		trial := cloneRoutes(base)
		trial[r] = slices.Insert(trial[r], j, u.cour)
		best = min(best, totalCost(p, ls, trial))
	}
	return best
}

// TestSolveBreaks solves instances with breaks: every route takes each of
// its type's breaks once within its window and max_load (the validator
// checks), and the cost is exact.
func TestSolveBreaks(t *testing.T) {
	t.Parallel()
	for _, k := range breakKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			in := breakInstance(k, 40, 6, 50, 5)
			sol := solveChecked(t, in, Options{Seed: 1, MaxIterations: 120})
			for _, r := range sol.Routes {
				if len(r.Breaks) != 2 {
					t.Fatalf("route %+v: %d breaks, want 2", r, len(r.Breaks))
				}
			}
		})
	}
}

// TestBreakRules: the validator refuses a route without its break, with
// a break outside its window or above its max_load.
func TestBreakRules(t *testing.T) {
	t.Parallel()
	in := pdLine(3)
	in.VehicleTypes[0].Count = 1
	in.Stops[0].Delivery = Amount{5}
	in.VehicleTypes[0].Breaks = []Break{{ID: "b", Service: 30, TimeWindows: []TimeWindow{{15, 20}}, MaxLoad: Amount{3}, LimitLoad: true}}
	ok := Route{Stops: []int{0, 1, 2}, Breaks: []BreakAt{{0, 1}}} // after stop 0 (at 10, load 0)
	tl, err := RouteTimeline(in, ok)
	if err != nil {
		t.Fatal(err)
	}
	// leaves at 5 (as late as it can), stop 0 at 15, the break from 15 to
	// 45, stop 1 at 55, back at 95
	if b := tl.Breaks[0]; b.Arrival != 15 || b.Start != 15 || tl.Steps[1].Arrival != 55 || tl.Duration != 90 || tl.Distance != 60 {
		t.Fatalf("break %+v, stop 1 at %d, duration %d, distance %d; want 15, 15, 55, 90, 60", b, tl.Steps[1].Arrival, tl.Duration, tl.Distance)
	}
	for _, c := range []struct {
		r    Route
		want string
	}{
		{Route{Stops: []int{0, 1, 2}}, "takes 0 breaks"},
		{Route{Stops: []int{0, 1, 2}, Breaks: []BreakAt{{0, 0}}}, "max_load"},
		{Route{Stops: []int{0, 1, 2}, Breaks: []BreakAt{{0, 3}}}, "time window"},
		{Route{Stops: []int{0, 1, 2}, Breaks: []BreakAt{{0, 1}, {0, 2}}}, "breaks"},
	} {
		if _, err := RouteTimeline(in, c.r); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.r, err, c.want)
		}
	}
	sol := solveChecked(t, in, Options{Seed: 1, MaxIterations: 50})
	if len(sol.Routes) != 1 || len(sol.Routes[0].Breaks) != 1 {
		t.Fatalf("solution %+v", sol)
	}
}

// TestBreaksBesideTypesWithout: types without breaks still exchange
// routes (the vehicle type phase), the type with breaks keeps its own.
func TestBreaksBesideTypesWithout(t *testing.T) {
	t.Parallel()
	in := breakInstance(kind{name: "mixed", pickups: true, windows: true, fleet: true}, 30, 4, 0, 6)
	in.VehicleTypes[0].Breaks, in.VehicleTypes[1].Breaks = nil, nil
	sub, nb := withBreaks(in)
	p := newParamsReload(sub, defaultConfig(), len(in.Stops)+nb)
	ls := newLocalSearch(p, rand.New(rand.NewPCG(4, 4)))
	ind := newIndividual(p)
	w := penalties{load: 10, time: 1, dist: 1}
	exchanged := 0
	for trial := range 30 {
		ind.giantTour = ind.giantTour[:0]
		for c := 1; c <= p.nbClients; c++ {
			ind.giantTour = append(ind.giantTour, c)
		}
		rng := rand.New(rand.NewPCG(uint64(trial), 1))
		rng.Shuffle(len(ind.giantTour), func(i, j int) { ind.giantTour[i], ind.giantTour[j] = ind.giantTour[j], ind.giantTour[i] })
		newSplitter(p).split(ind, &w)
		ls.w = w
		ls.prepareRoutes(ind)
		ls.repairBreaks()
		if ls.vehicleTypePhase() {
			exchanged++
		}
		checkLSConsistent(t, p, ls)
		checkBreakSlots(t, ls)
		for _, r := range ls.routes[:ls.nbRoutes] {
			if !ls.routeBreaksHold(r) {
				t.Fatalf("route %d of type %d holds another slot's break", r.index, r.vt)
			}
		}
	}
	if exchanged == 0 {
		t.Error("no type exchange: the test does not exercise it")
	}
	solveChecked(t, in, Options{Seed: 2, MaxIterations: 80})
}
