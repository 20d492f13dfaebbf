package vrp

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// locate finds the route and position of node n in routes (position −1 for
// a route's depot).
func locate(routes [][]int, n *lsNode) (int, int) {
	if n.isDepot {
		return n.route.index, -1
	}
	for r, route := range routes {
		if k := slices.Index(route, n.cour); k >= 0 {
			return r, k
		}
	}
	panic("node not found")
}

func cloneRoutes(routes [][]int) [][]int {
	out := make([][]int, len(routes))
	for i, r := range routes {
		out[i] = slices.Clone(r)
	}
	return out
}

// emulate applies a move to plain slices; ok is false where the move is not
// defined (adjacent nodes, missing successor…).
func emulate(name string, routes [][]int, u, v *lsNode) ([][]int, bool) {
	out := cloneRoutes(routes)
	ru, iu := locate(routes, u)
	rv, iv := locate(routes, v)
	next := func(r, i int) int { // client after position i, or 0
		if i+1 < len(routes[r]) {
			return routes[r][i+1]
		}
		return 0
	}
	insertAfter := func(r int, after int, nodes ...int) { // after: a client or 0 for the depot
		k := 0
		if after != 0 {
			k = slices.Index(out[r], after) + 1
		}
		out[r] = slices.Insert(out[r], k, nodes...)
	}
	vAnchor := 0
	if !v.isDepot {
		vAnchor = v.cour
	}
	switch name {
	case "relocate":
		if next(rv, iv) == u.cour {
			return nil, false
		}
		out[ru] = slices.Delete(out[ru], iu, iu+1)
		insertAfter(rv, vAnchor, u.cour)
	case "relocatePair", "relocatePairReversed":
		x := next(ru, iu)
		if x == 0 || x == v.cour && !v.isDepot || next(rv, iv) == u.cour {
			return nil, false
		}
		out[ru] = slices.Delete(out[ru], iu, iu+2)
		if name == "relocatePair" {
			insertAfter(rv, vAnchor, u.cour, x)
		} else {
			insertAfter(rv, vAnchor, x, u.cour)
		}
	case "swap":
		if v.isDepot || ru == rv && (iu == iv+1 || iv == iu+1) {
			return nil, false
		}
		out[ru][iu], out[rv][iv] = v.cour, u.cour
	case "twoOptStarTails":
		if ru == rv {
			return nil, false
		}
		out[ru] = append(slices.Clone(routes[ru][:iu+1]), routes[rv][iv+1:]...)
		out[rv] = append(slices.Clone(routes[rv][:iv+1]), routes[ru][iu+1:]...)
	case "twoOpt":
		if ru != rv || v.isDepot || iu+1 >= iv {
			return nil, false
		}
		slices.Reverse(out[ru][iu+1 : iv+1])
	default:
		return nil, false
	}
	return out, true
}

// TestMovesDeltaAgainstRecomputation checks every move of the local search
// against a full recomputation of the routes it changes: an applied move
// lowers the recomputed penalised cost, the incremental route data equals
// the recomputed data, a rejected move changes nothing, and (for moves that
// can be replayed on plain slices) an improving move is never rejected and
// the applied result is exactly the move.
func TestMovesDeltaAgainstRecomputation(t *testing.T) {
	t.Parallel()
	for _, k := range append(append(slices.Clone(testKinds), travelKinds...), openKinds...) {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			in := randomInstance(k, 40, 3)
			if k.trips { // with reload copies the moves place (reload.go)
				in = withReloads(in, reloadCopies(in))
			}
			p := newParamsReload(in, defaultConfig(), 40)
			rng := rand.New(rand.NewPCG(11, 13))
			ls := newLocalSearch(p, rng)
			sp := newSplitter(p)
			moves := []struct {
				name  string
				f     func(u, v *lsNode) bool
				depot bool // accepts a depot as v
			}{
				{"relocate", ls.relocate, true},
				{"relocatePair", ls.relocatePair, true},
				{"relocatePairReversed", ls.relocatePairReversed, true},
				{"swap", ls.swap, false},
				{"swapPairSingle", ls.swapPairSingle, false},
				{"swapPairs", ls.swapPairs, false},
				{"twoOpt", ls.twoOpt, false},
				{"twoOptStarTails", ls.twoOptStarTails, true},
				{"twoOptStarHeads", ls.twoOptStarHeads, true},
			}
			applied := map[string]int{}
			ind := newIndividual(p)
			trials := 150
			if k.ends > 0 { // 2-opt seldom pays on these: more tries to see it applied
				trials = 400
			}
			for trial := range trials {
				randomStart(ls, sp, ind, rng, trial)
				for range 60 {
					m := moves[rng.IntN(len(moves))]
					u := &ls.clients[1+rng.IntN(p.nbClients)]
					v := &ls.clients[1+rng.IntN(p.nbClients)]
					if m.depot && rng.IntN(4) == 0 {
						v = ls.routes[rng.IntN(ls.nbRoutes)].depot
					}
					if u == v {
						continue
					}
					before := lsRoutesOf(ls)
					costBefore := totalCost(p, ls, before)
					want, defined := emulate(m.name, before, u, v)
					got := m.f(u, v)
					after := lsRoutesOf(ls)
					checkLSConsistent(t, p, ls)
					costAfter := totalCost(p, ls, after)
					if got {
						applied[m.name]++
						if costAfter >= costBefore-1e-9 {
							t.Fatalf("%s(%d,%d) applied: cost %.3f → %.3f", m.name, u.cour, v.cour, costBefore, costAfter)
						}
						if defined && !slices.EqualFunc(after, want, slices.Equal) {
							t.Fatalf("%s(%d,%d): routes %v, want %v", m.name, u.cour, v.cour, after, want)
						}
						continue
					}
					if !slices.EqualFunc(after, before, slices.Equal) {
						t.Fatalf("%s(%d,%d) rejected but changed the routes", m.name, u.cour, v.cour)
					}
					if defined {
						if c := totalCost(p, ls, want); c < costBefore-1e-3 {
							t.Fatalf("%s(%d,%d) rejected an improvement %.3f → %.3f\n%v\n%v", m.name, u.cour, v.cour, costBefore, c, before, want)
						}
					}
				}
			}
			for _, m := range moves {
				if applied[m.name] == 0 && !(m.name == "twoOptStarHeads" && !p.orderFree) {
					t.Errorf("%s was never applied; the test does not exercise it", m.name)
				}
			}
		})
	}
}

// TestSwapStarAndTypes checks SWAP* and the vehicle-type moves the same way.
func TestSwapStarAndTypes(t *testing.T) {
	t.Parallel()
	for _, k := range append(append(slices.Clone(testKinds), travelKinds...), openKinds...) {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			in := randomInstance(k, 40, 5)
			p := newParams(in, defaultConfig())
			rng := rand.New(rand.NewPCG(3, 4))
			ls := newLocalSearch(p, rng)
			sp := newSplitter(p)
			ind := newIndividual(p)
			improved := 0
			for trial := range 40 {
				w := penalties{load: float64(1 + trial%10), time: 1, dist: 1}
				ind.giantTour = ind.giantTour[:0]
				for c := 1; c <= p.nbClients; c++ {
					ind.giantTour = append(ind.giantTour, c)
				}
				rng.Shuffle(len(ind.giantTour), func(i, j int) {
					ind.giantTour[i], ind.giantTour[j] = ind.giantTour[j], ind.giantTour[i]
				})
				sp.split(ind, &w)
				ls.w = w
				ls.prepareRoutes(ind)
				ls.loopID = 0
				for range 3 {
					before := totalCost(p, ls, lsRoutesOf(ls))
					moved := ls.swapStarPhase()
					if len(p.types) > 1 {
						moved = ls.vehicleTypePhase() || moved
					}
					checkLSConsistent(t, p, ls)
					after := totalCost(p, ls, lsRoutesOf(ls))
					if moved {
						improved++
						if after >= before-1e-9 {
							t.Fatalf("SWAP*/type phase worsened %.3f → %.3f", before, after)
						}
					} else if after != before {
						t.Fatalf("no move reported but cost changed %.3f → %.3f", before, after)
					}
				}
			}
			if improved == 0 {
				t.Errorf("SWAP* never improved: the test does not exercise it")
			}
		})
	}
}
