package vrp

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestReloadSegments: a route with reload copies evaluated by segment
// concatenation agrees with the validator's RouteTimeline (feasibility,
// and the cost of feasible days), and joining any prefix with its suffix
// gives the same evaluation as building the route left to right.
func TestReloadSegments(t *testing.T) {
	t.Parallel()
	base := randomInstance(testKinds[6], 30, 5)
	base.VehicleTypes[0].TimeCost = 1 // duration priced too
	keep := make([]int, len(base.Stops))
	for i := range keep {
		keep[i] = i
	}
	nb := len(base.Stops)
	in := withReloads(base, 6)
	p := newParamsReload(in, defaultConfig(), nb)
	rng := rand.New(rand.NewPCG(3, 9))
	w := penalties{load: 1000, time: 1000, dist: 1000}
	feasible := 0
	for trial := range 3000 {
		perm := rng.Perm(nb)[:1+rng.IntN(10)]
		var nodes []int
		for _, s := range perm {
			nodes = append(nodes, s+1)
			if rng.IntN(4) == 0 {
				nodes = append(nodes, nb+1+rng.IntN(6)) // a reload, maybe twice
			}
		}
		if nodes[0] > nb {
			continue
		}
		seg := p.routeSegment(nodes, 0)
		ev := p.evaluate(&seg, 0)
		// every cut: prefix ⊕ suffix
		cut := rng.IntN(len(nodes) + 1)
		left := p.depotFrom[0]
		var next segment
		for _, c := range nodes[:cut] {
			p.join(&left, &p.single[c], &next)
			left = next
		}
		right := p.depotTo[0]
		for k := len(nodes) - 1; k >= cut; k-- {
			p.join(&p.single[nodes[k]], &right, &next)
			right = next
		}
		var whole segment
		p.join(&left, &right, &whole)
		ev2 := p.evaluate(&whole, 0)
		if math.Abs(p.penalised(&ev, &w)-p.penalised(&ev2, &w)) > 1e-6 {
			t.Fatalf("trial %d %v cut %d: %+v left to right, %+v by halves", trial, nodes, cut, ev, ev2)
		}
		route := reloadRoute(nodes, 0, keep, nb)
		tl, err := RouteTimeline(base, route)
		if (err == nil) != ev.feasible() {
			t.Fatalf("trial %d %v: validator %v, segments %+v", trial, nodes, err, ev)
		}
		if err == nil {
			feasible++
			if int64(ev.objective) != tl.Cost {
				t.Fatalf("trial %d %v: cost %v, validator %d", trial, nodes, ev.objective, tl.Cost)
			}
		}
	}
	if feasible < 100 {
		t.Errorf("only %d feasible days tried", feasible)
	}
}

// TestSolvePlansReloadsInSearch: seven vans that must reload; every
// solution is validated (capacity per trip, windows, release times).
func TestSolvePlansReloadsInSearch(t *testing.T) {
	t.Parallel()
	in := randomInstance(testKinds[6], 60, 21)
	sol := solveChecked(t, in, Options{Seed: 1, MaxIterations: 300})
	reloads := 0
	for _, r := range sol.Routes {
		reloads += len(r.Reloads)
	}
	if reloads == 0 || len(sol.Routes) > in.VehicleTypes[0].Count {
		t.Errorf("%d routes, %d reloads", len(sol.Routes), reloads)
	}
	t.Logf("%d routes, %d reloads, %d unassigned, cost %d", len(sol.Routes), reloads, len(sol.Unassigned), sol.Cost)
}

// TestPackAndMendDays: trips planned one van each are packed into the
// limited fleet's days and mended stop by stop; every step keeps the days
// feasible (capacity per trip, windows, release times, reloads) and mending
// never raises the cost.
func TestPackAndMendDays(t *testing.T) {
	t.Parallel()
	in := randomInstance(testKinds[6], 50, 21)
	trips := solveChecked(t, tripInstance(in), Options{Seed: 1, MaxIterations: 200})
	vans, lost := packBest(in, 0, trips.Routes)
	if len(vans) > in.VehicleTypes[0].Count {
		t.Fatalf("%d vans, the fleet has %d", len(vans), in.VehicleTypes[0].Count)
	}
	left := make([]Unassigned, 0, len(lost)+len(trips.Unassigned))
	for _, s := range lost {
		left = append(left, Unassigned{Stop: s})
	}
	left = append(left, trips.Unassigned...)
	before, err := Evaluate(in, &Solution{Routes: vans, Unassigned: left})
	if err != nil {
		t.Fatalf("packed days: %v", err)
	}
	improveDays(in, vans, time.Now().Add(5*time.Second))
	after, err := Evaluate(in, &Solution{Routes: vans, Unassigned: left})
	if err != nil {
		t.Fatalf("mended days: %v", err)
	}
	if after > before {
		t.Errorf("mending raised the cost from %d to %d", before, after)
	}
	reloads := 0
	for _, r := range vans {
		reloads += len(r.Reloads)
	}
	if reloads == 0 {
		t.Error("no van drives a second trip; the test instance should need some")
	}
	t.Logf("%d vans, %d reloads, %d stops lost, cost %d → %d", len(vans), reloads, len(lost), before, after)
}

// TestRelocateWithReloadDelta: the move that takes a stop to a new trip
// (multitrip_moves.go) is applied exactly when it improves: an applied move
// lowers the recomputed cost and leaves the routes it emulates, a
// rejected one changes nothing and neither of its two forms would have
// improved.
func TestRelocateWithReloadDelta(t *testing.T) {
	t.Parallel()
	for _, k := range []kind{testKinds[6], travelKinds[2]} {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			base := randomInstance(k, 40, 5)
			in := withReloads(base, reloadCopies(base))
			p := newParamsReload(in, defaultConfig(), len(base.Stops))
			rng := rand.New(rand.NewPCG(5, 17))
			ls, sp, ind := newLocalSearch(p, rng), newSplitter(p), newIndividual(p)
			applied := 0
			for trial := range 150 {
				randomStart(ls, sp, ind, rng, trial)
				for range 60 {
					u := &ls.clients[1+rng.IntN(p.nbReal)]
					v := &ls.clients[1+rng.IntN(p.nbReal)]
					if rng.IntN(4) == 0 {
						v = ls.routes[rng.IntN(ls.nbRoutes)].depot
					}
					r := ls.spareReload()
					if u == v || r == nil {
						continue
					}
					before := lsRoutesOf(ls)
					costBefore := totalCost(p, ls, before)
					wants := [][][]int{emulateReload(before, ls, u, v, r, true), emulateReload(before, ls, u, v, r, false)}
					got := ls.relocateWithReload(u, v)
					after := lsRoutesOf(ls)
					checkLSConsistent(t, p, ls)
					if got {
						applied++
						if c := totalCost(p, ls, after); c >= costBefore-1e-9 {
							t.Fatalf("(%d,%d) applied: cost %.3f → %.3f", u.cour, v.cour, costBefore, c)
						}
						if !slices.EqualFunc(after, wants[0], slices.Equal) && !slices.EqualFunc(after, wants[1], slices.Equal) {
							t.Fatalf("(%d,%d): routes %v, want %v or %v", u.cour, v.cour, after, wants[0], wants[1])
						}
						continue
					}
					if !slices.EqualFunc(after, before, slices.Equal) {
						t.Fatalf("(%d,%d) rejected but changed the routes", u.cour, v.cour)
					}
					for _, want := range wants {
						if want != nil && totalCost(p, ls, want) < costBefore-1e-3 {
							t.Fatalf("(%d,%d) rejected an improvement %v → %v", u.cour, v.cour, before, want)
						}
					}
				}
			}
			if applied == 0 {
				t.Error("the move was never applied; the test does not exercise it")
			}
		})
	}
}

// emulateReload is relocateWithReload on plain slices: u after v with the
// spare reload r before u (first) or after it; nil where the move is not
// defined.
func emulateReload(routes [][]int, ls *localSearch, u, v, r *lsNode, first bool) [][]int {
	p := ls.p
	y := v.next
	if p.isReload(u.cour) || p.isReload(v.cour) || first && v.isDepot ||
		!first && (y.isDepot || p.isReload(y.cour) || y == u) {
		return nil
	}
	out := cloneRoutes(routes)
	ru, iu := locate(out, u)
	out[ru] = slices.Delete(out[ru], iu, iu+1)
	rr, ir := locate(out, r)
	out[rr] = slices.Delete(out[rr], ir, ir+1)
	rv, k := v.route.index, 0
	if !v.isDepot {
		k = slices.Index(out[rv], v.cour) + 1
	}
	seq := []int{u.cour, r.cour}
	if first {
		seq = []int{r.cour, u.cour}
	}
	out[rv] = slices.Insert(out[rv], k, seq...)
	return out
}
