package vrp

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestBalanceMovesAgainstRecomputation: with the balance cost on, and
// with max stops, max travel time and setups (vroomfields.go), every
// applied move lowers the recomputed cost and the incremental route data
// match a recomputation.
func TestBalanceMovesAgainstRecomputation(t *testing.T) {
	t.Parallel()
	for _, variant := range []string{"balance", "limits"} {
		t.Run(variant, func(t *testing.T) {
			t.Parallel()
			movesOnVariant(t, variant)
		})
	}
}

func movesOnVariant(t *testing.T, variant string) {
	in := randomInstance(kind{name: "balance", windows: true}, 40, 6)
	if variant == "balance" {
		in.BalanceTarget, in.BalanceCost = 2000, 5
	} else {
		in.VehicleTypes[0].MaxStops, in.VehicleTypes[0].MaxTravelTime = 6, 2500
		for i := range in.Stops {
			in.Stops[i].Setup = 25
		}
	}
	p := newParams(in, defaultConfig())
	rng := rand.New(rand.NewPCG(2, 9))
	ls := newLocalSearch(p, rng)
	sp := newSplitter(p)
	moves := []func(u, v *lsNode) bool{ls.relocate, ls.relocatePair, ls.swap, ls.swapPairs, ls.twoOpt, ls.twoOptStarTails}
	ind := newIndividual(p)
	applied := 0
	for trial := range 60 {
		randomStart(ls, sp, ind, rng, trial)
		for range 80 {
			u, v := &ls.clients[1+rng.IntN(p.nbClients)], &ls.clients[1+rng.IntN(p.nbClients)]
			if u == v {
				continue
			}
			before := lsRoutesOf(ls)
			cb := totalCost(p, ls, before)
			got := moves[rng.IntN(len(moves))](u, v)
			after := lsRoutesOf(ls)
			checkLSConsistent(t, p, ls)
			if got {
				applied++
				if totalCost(p, ls, after) >= cb-1e-9 {
					t.Fatalf("applied move raised the cost")
				}
			} else if !slices.EqualFunc(after, before, slices.Equal) {
				t.Fatal("rejected move changed the routes")
			}
		}
	}
	if applied == 0 {
		t.Fatal("no move applied")
	}
}

// TestBalanceSpreadsTheWork: three vans; the plain plan loads some far
// beyond the fair share (total duration over the vans); with the balance
// cost at that share the work beyond it shrinks, and the validator's cost
// includes it (solveChecked compares).
func TestBalanceSpreadsTheWork(t *testing.T) {
	t.Parallel()
	in := randomInstance(kind{name: "balance", windows: true}, 30, 11)
	in.VehicleTypes[0].Count, in.VehicleTypes[0].Capacity = 3, Amount{1000}
	durations := func(sol *Solution) []int64 {
		var ds []int64
		for _, r := range sol.Routes {
			tl, _ := RouteTimeline(in, r)
			ds = append(ds, tl.Duration)
		}
		return ds
	}
	over := func(ds []int64, target int64) (ex int64) {
		for _, d := range ds {
			ex += max(0, d-target)
		}
		return ex
	}
	plain := durations(solveChecked(t, in, Options{Seed: 1, MaxIterations: 200}))
	var total int64
	for _, d := range plain {
		total += d
	}
	share := total / 3
	in.BalanceTarget, in.BalanceCost = share, 20
	balanced := durations(solveChecked(t, in, Options{Seed: 1, MaxIterations: 200}))
	if over(balanced, share) >= over(plain, share) {
		t.Fatalf("work beyond the share %d: %v → %v", share, plain, balanced)
	}
	t.Logf("durations %v → %v (share %d)", plain, balanced, share)
}
