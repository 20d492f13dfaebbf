package dispatch

// The cost game of a published plan. Its players are the carriers whose
// parcels rode on the plan; the value of a coalition is the cost of the
// joint fleet serving only that coalition's parcels, found by the plan's own
// optimiser (dispatch/vrp) on the same matrices and the same vans. Every
// coalition's search is warm-started from the grand coalition's routes with
// the other carriers' parcels taken off (a feasible solution, since dropping
// stops never makes a van later or fuller), and the value is the best of:
//   - that warm start as it stands,
//   - the search's answer,
//   - two disjoint coalitions S∖{i} and {i} each running its own routes, when
//     the fleet has the vans for both (the subadditive cover, which keeps
//     the search's noise from making a carrier's marginal cost exceed its
//     stand-alone cost).
// The grand coalition's value is the published plan's cost itself.

import (
	"context"
	"fmt"
	"time"

	"github.com/tongpei/tongpei/dispatch/geo"
	"github.com/tongpei/tongpei/dispatch/vrp"
	"github.com/tongpei/tongpei/internal/errs"
)

// gameStop is one stop of the plan and the parcels handled there.
type gameStop struct {
	station Station
	parcels []parcelRow
	players coalition // carriers with a parcel here
}

// coalitionValue is what serving a coalition costs and how it was found.
type coalitionValue struct {
	fen      int64
	vehicles []int  // vans used, per fleet row
	how      string // "search", "warm_start" or "union"
}

// shareGame is the cost game of one plan, its coalitions solved on demand.
type shareGame struct {
	ctx       context.Context
	players   []string // carrier codes, sorted; player i is bit i
	date      time.Time
	stops     []gameStop
	routes    [][]int // the plan's routes as indices into stops
	routeType []int   // fleet row of each route
	fleet     []fleetRow
	m         *geo.CachedMatrix
	stIndex   map[string]int
	grandFen  int64
	seed      int64
	limit     func(coalition) time.Duration
	// capPerStop bounds a coalition's search by the time per stop the plan
	// itself was given (0: no bound): a few players must not spend the
	// whole budget on two coalitions.
	capPerStop time.Duration
	// valued, when set, hears how many coalitions are valued (progress).
	valued func(int)

	values    map[coalition]coalitionValue
	solves    int
	solveTime time.Duration
	err       error
}

func (g *shareGame) grand() coalition { return coalition(1<<len(g.players) - 1) }

// stopCount is how many of the plan's stops a coalition's parcels need.
func (g *shareGame) stopCount(s coalition) int {
	n := 0
	for _, st := range g.stops {
		if st.players&s != 0 {
			n++
		}
	}
	return n
}

// value is the game's value function; after an error it returns 0 and
// g.err says why.
func (g *shareGame) value(s coalition) int64 {
	switch {
	case s == 0:
		return 0
	case s == g.grand():
		return g.grandFen
	}
	if v, ok := g.values[s]; ok {
		return v.fen
	}
	if g.err != nil {
		return 0
	}
	v, err := g.solve(s)
	if err != nil {
		g.err = err
		return 0
	}
	g.cover(s, &v)
	g.values[s] = v
	if g.valued != nil {
		g.valued(len(g.values))
	}
	return v.fen
}

// solve finds the coalition's routes: the warm start, then the search.
func (g *shareGame) solve(s coalition) (coalitionValue, error) {
	var groups []stopGroup
	index := make([]int, len(g.stops)) // plan stop → instance stop, −1 if not needed
	for k, st := range g.stops {
		index[k] = -1
		if st.players&s == 0 {
			continue
		}
		grp := stopGroup{Station: st.station}
		for _, p := range st.parcels {
			if !s.has(g.player(p.Carrier)) {
				continue
			}
			a := amountOf(p)
			if p.Direction == "down" {
				grp.Drop = append(grp.Drop, p)
				grp.Delivery = addAmount(grp.Delivery, a)
			} else {
				grp.Collect = append(grp.Collect, p)
				grp.Pickup = addAmount(grp.Pickup, a)
			}
		}
		index[k] = len(groups)
		groups = append(groups, grp)
	}
	// The game still prices coalitions with one run a van and no release
	// times (the plan's parcel refs carry no hub arrival).
	in := buildInstance(fmt.Sprintf("coalition %b", s), groups, g.fleet, g.m, g.stIndex, false, dayModel{MaxTrips: 1})
	var warm []vrp.Route
	for r, route := range g.routes {
		var stops []int
		for _, k := range route {
			if index[k] >= 0 {
				stops = append(stops, index[k])
			}
		}
		if len(stops) > 0 {
			warm = append(warm, vrp.Route{VehicleType: g.routeType[r], Stops: stops})
		}
	}
	// With travel times that break the triangle inequality (an uploaded
	// matrix may), dropping stops can make a route longer than a van may
	// go: then the search starts cold.
	best, err := g.priced(in, &vrp.Solution{Routes: warm}, "warm_start")
	if err != nil {
		warm, best = nil, coalitionValue{fen: -1}
	}
	started := time.Now()
	sol, err := vrp.Solve(g.ctx, in, vrp.Options{TimeLimit: g.limit(s), Seed: g.seed, Initial: warm})
	g.solves++
	g.solveTime += time.Since(started)
	if err != nil {
		if g.ctx.Err() != nil {
			return coalitionValue{}, caused(errs.E(errs.Unavailable, "cost sharing was cancelled: %s", g.ctx.Err()), g.ctx.Err())
		}
		return coalitionValue{}, errs.Wrap(err, "the optimiser failed on %s", g.names(s))
	}
	if len(sol.Unassigned) == 0 {
		if found, err := g.priced(in, sol, "search"); err == nil && (best.fen < 0 || found.fen < best.fen) {
			best = found
		}
	}
	if best.fen < 0 {
		return coalitionValue{}, errs.E(errs.Conflict, "the joint fleet cannot serve %v's parcels alone on today's matrices (%d stops left over); check the travel matrix", g.names(s), len(sol.Unassigned))
	}
	return best, nil
}

// priced is a solution's cost in fen as plans count it (each route rounded
// to the fen) and the vans it uses; it fails when the validator rejects it.
func (g *shareGame) priced(in *vrp.Instance, sol *vrp.Solution, how string) (coalitionValue, error) {
	if err := vrp.Validate(in, sol); err != nil {
		return coalitionValue{}, err
	}
	v := coalitionValue{vehicles: make([]int, len(g.fleet)), how: how}
	for _, r := range sol.Routes {
		if len(r.Stops) == 0 {
			continue
		}
		tl, err := vrp.RouteTimeline(in, r)
		if err != nil {
			return coalitionValue{}, err
		}
		v.fen += (tl.Cost + costScale/2) / costScale
		v.vehicles[r.VehicleType]++
	}
	return v, nil
}

// cover replaces v by S∖{i} and {i} running side by side when that is
// cheaper and the fleet has the vans.
func (g *shareGame) cover(s coalition, v *coalitionValue) {
	if s.size() < 2 {
		return
	}
	for i := range g.players {
		if !s.has(i) {
			continue
		}
		a, okA := g.values[1<<i]
		b, okB := g.values[s&^(1<<i)]
		if !okA || !okB || a.fen+b.fen >= v.fen {
			continue
		}
		used := make([]int, len(g.fleet))
		fits := true
		for t := range used {
			used[t] = a.vehicles[t] + b.vehicles[t]
			fits = fits && used[t] <= g.fleet[t].Count
		}
		if fits {
			*v = coalitionValue{fen: a.fen + b.fen, vehicles: used, how: "union"}
		}
	}
}

func (g *shareGame) player(carrier string) int {
	for i, c := range g.players {
		if c == carrier {
			return i
		}
	}
	return -1
}

// names lists a coalition's carriers.
func (g *shareGame) names(s coalition) []string {
	var out []string
	for i, c := range g.players {
		if s.has(i) {
			out = append(out, c)
		}
	}
	return out
}

func addAmount(a, b vrp.Amount) vrp.Amount {
	for d := range vrp.MaxDims {
		a[d] += b[d]
	}
	return a
}
