package vrp

import (
	"testing"
	"time"
)

// TestWarmStartNeverWorse solves each kind of instance well, removes a third
// of its stops from the solution's routes and hands what is left to a search
// of one iteration over the smaller instance: the answer is valid and costs
// no more than the routes it started from.
func TestWarmStartNeverWorse(t *testing.T) {
	t.Parallel()
	for _, k := range testKinds {
		in := randomInstance(k, 60, 11)
		full := solveChecked(t, in, Options{TimeLimit: 300 * time.Millisecond, Seed: 1})
		keep := map[int]int{} // stop of in → stop of sub
		sub := *in
		sub.Stops = nil
		for i := range in.Stops {
			if i%3 != 0 {
				keep[i] = len(sub.Stops)
				sub.Stops = append(sub.Stops, in.Stops[i])
			}
		}
		n, m := in.N(), sub.N()
		rows := []int{0}
		for i := range in.Stops {
			if _, ok := keep[i]; ok {
				rows = append(rows, i+1)
			}
		}
		sub.Distance = make([]int64, m*m)
		for a := range m {
			for b := range m {
				sub.Distance[a*m+b] = in.Distance[rows[a]*n+rows[b]]
			}
		}
		var initial []Route
		for _, r := range full.Routes {
			var trips [][]int // a multi-trip day keeps its trips
			for _, trip := range r.Trips() {
				var stops []int
				for _, s := range trip {
					if j, ok := keep[s]; ok {
						stops = append(stops, j)
					}
				}
				if len(stops) > 0 {
					trips = append(trips, stops)
				}
			}
			if len(trips) > 0 {
				initial = append(initial, dayRoute(r.VehicleType, trips))
			}
		}
		var left []Unassigned // what the fleet could not take stays out
		for _, u := range full.Unassigned {
			if j, ok := keep[u.Stop]; ok {
				left = append(left, Unassigned{Stop: j})
			}
		}
		start, err := Evaluate(&sub, &Solution{Routes: initial, Unassigned: left})
		if err != nil {
			t.Fatalf("%s: the restricted routes are not a solution: %v", k.name, err)
		}
		got := solveChecked(t, &sub, Options{Seed: 1, MaxIterations: 1, Initial: initial})
		if got.Cost > start {
			t.Errorf("%s: warm-started search returns cost %d, worse than its start %d", k.name, got.Cost, start)
		}
	}
}
