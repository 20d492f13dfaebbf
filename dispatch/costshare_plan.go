package dispatch

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/tongpei/tongpei/dispatch/geo"
	"github.com/tongpei/tongpei/internal/errs"
)

// ShareOptions bound the computation of a plan's cost shares.
type ShareOptions struct {
	// Budget is the time the coalitions' searches share; 0: DefaultShareBudget.
	Budget time.Duration
	// MinSolve is the least search one coalition gets; 0: DefaultMinSolve.
	// The split is exact when (2ⁿ − 2) × MinSolve fits in the budget.
	MinSolve time.Duration
	Seed     int64
	// Sample forces sampled orders even when exact would fit (for tests).
	Sample bool

	// progress, when set, hears how far the split is: its method, players,
	// the coalitions an exact split values (0 when sampled) and how many
	// are valued so far.
	progress func(method string, players, coalitions, valued int)
}

// DefaultShareBudget and DefaultMinSolve: up to nine carriers (510
// coalitions × 50 ms ≤ 30 s) are exact; the demonstration day's eight take
// about half a minute, which an HTTP request can wait for.
const (
	DefaultShareBudget = 30 * time.Second
	DefaultMinSolve    = 50 * time.Millisecond
)

func (o *ShareOptions) check() error {
	var f errs.Fields
	if o.Budget == 0 {
		o.Budget = DefaultShareBudget
	}
	if o.MinSolve == 0 {
		o.MinSolve = DefaultMinSolve
	}
	if o.Budget < 100*time.Millisecond || o.Budget > MaxTimeLimit {
		f.Add("budget", "must be from 100ms to 10m, not %s", o.Budget)
	}
	if o.MinSolve < time.Millisecond || o.MinSolve > o.Budget {
		f.Add("min_solve", "must be from 1ms to the budget, not %s", o.MinSolve)
	}
	return f.Err()
}

// newShareGame builds the game of plan over the given fleet and matrices
// (stIndex maps a station code to its row in m). Parcels are read from the
// plan itself, so the game is the same whatever has happened to them since.
func newShareGame(ctx context.Context, plan *Plan, fleet []fleetRow, m *geo.CachedMatrix, stIndex map[string]int, seed int64) (*shareGame, error) {
	day, err := time.ParseInLocation(time.DateOnly, plan.ServiceDate, County)
	if err != nil {
		return nil, errs.E(errs.Invalid, "plan %d has no service date", plan.ID)
	}
	g := &shareGame{ctx: ctx, date: day, fleet: fleet, m: m, stIndex: stIndex, grandFen: plan.Joint.CostFen,
		seed: seed, values: map[coalition]coalitionValue{}}
	if stops := planStops(plan); stops > 0 && plan.TimeLimitMs > 0 {
		g.capPerStop = time.Duration(plan.TimeLimitMs) * time.Millisecond / time.Duration(stops)
	}
	seen := map[string]bool{}
	for _, r := range plan.Routes {
		for _, st := range r.Stops {
			for _, p := range append(append([]ParcelRef{}, st.Drop...), st.Collect...) {
				if !seen[p.Carrier] {
					seen[p.Carrier] = true
					g.players = append(g.players, p.Carrier)
				}
			}
		}
	}
	slices.Sort(g.players)
	if len(g.players) > maxPlayers {
		return nil, errs.E(errs.Conflict, "plan %d carries parcels of %d companies; cost sharing handles at most %d", plan.ID, len(g.players), maxPlayers)
	}
	for _, r := range plan.Routes {
		t := fleetIndex(fleet, r.VehicleType, r.Operator)
		if t < 0 {
			return nil, errs.E(errs.Conflict, "plan %d uses van type %s of %s, which the fleet no longer has; restore the type to share the plan's cost", plan.ID, r.VehicleType, r.Operator)
		}
		var route []int
		for _, st := range r.Stops {
			gs := gameStop{station: Station{Code: st.Station.Code, Name: st.Station.Name, Location: pointOf(st.Station.Location)}}
			add := func(refs []ParcelRef, dir string) {
				for _, p := range refs {
					vol := p.VolumeCm3
					if vol <= 0 {
						vol = defaultVolumeCm3 // plans made before volumes were kept
					}
					gs.parcels = append(gs.parcels, parcelRow{ID: p.ID, Carrier: p.Carrier, TrackingNo: p.TrackingNo,
						Direction: dir, Station: st.Station.Code, WeightG: p.WeightG, VolumeCm3: vol})
					gs.players |= 1 << g.player(p.Carrier)
				}
			}
			add(st.Drop, "down")
			add(st.Collect, "up")
			route = append(route, len(g.stops))
			g.stops = append(g.stops, gs)
		}
		g.routes, g.routeType = append(g.routes, route), append(g.routeType, t)
	}
	return g, nil
}

func planStops(plan *Plan) int {
	n := 0
	for _, r := range plan.Routes {
		n += len(r.Stops)
	}
	return n
}

// fleetIndex is the fleet row of a van type and operator, or −1.
func fleetIndex(fleet []fleetRow, typ, operator string) int {
	for t, f := range fleet {
		if f.Type.Code == typ && (f.Operator == operator || operator == "") {
			return t
		}
	}
	return -1
}

// planFleet is the fleet the game may use: today's active vans, each row
// holding at least as many as the plan used of it.
func planFleet(plan *Plan, active []fleetRow) []fleetRow {
	fleet := slices.Clone(active)
	used := make([]int, len(fleet))
	for _, r := range plan.Routes {
		if t := fleetIndex(fleet, r.VehicleType, r.Operator); t >= 0 {
			used[t]++
		}
	}
	for t := range fleet {
		fleet[t].Count = max(fleet[t].Count, used[t])
	}
	return fleet
}

// planStations are the hub and the stations of the plan's stops, hub first.
func planStations(plan *Plan) ([]Station, map[string]int) {
	sts := []Station{{Code: plan.Hub.Code, Name: plan.Hub.Name, Location: pointOf(plan.Hub.Location)}}
	index := map[string]int{plan.Hub.Code: 0}
	for _, r := range plan.Routes {
		for _, st := range r.Stops {
			if _, ok := index[st.Station.Code]; !ok {
				index[st.Station.Code] = len(sts)
				sts = append(sts, Station{Code: st.Station.Code, Name: st.Station.Name, Location: pointOf(st.Station.Location)})
			}
		}
	}
	return sts, index
}

// shareGameOf assembles a plan's game from the database: the active fleet
// and the matrices the planner would use today.
func (s *Service) shareGameOf(ctx context.Context, plan *Plan, seed int64) (*shareGame, error) {
	active, err := s.fleet.active(ctx)
	if err != nil {
		return nil, err
	}
	sts, index := planStations(plan)
	m, err := s.matricesFor(ctx, sts)
	if err != nil {
		return nil, err
	}
	if len(m.Unreachable) > 0 {
		return nil, errs.E(errs.Conflict, "station %s of plan %d is no longer reachable on the road network: %s", m.Unreachable[0].Code, plan.ID, m.Unreachable[0].Reason)
	}
	return newShareGame(ctx, plan, planFleet(plan, active), m, index, seed)
}

// ComputeCostShares computes the split of a published plan's cost without
// storing it.
func (s *Service) ComputeCostShares(ctx context.Context, planID int64, opt ShareOptions) (*CostShares, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	plan, err := s.Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	if plan.Status != "published" {
		return nil, draftNotShared(planID)
	}
	g, err := s.shareGameOf(ctx, plan, opt.Seed)
	if err != nil {
		return nil, err
	}
	if opt.progress != nil {
		n := len(g.players)
		method, coalitions := "shapley_sampled", 0
		if exactFits(n, opt.Budget, opt.MinSolve, opt.Sample) {
			method, coalitions = "shapley_exact", max(1<<n-2, 0)
		}
		opt.progress(method, n, coalitions, 0)
		g.valued = func(valued int) { opt.progress(method, n, coalitions, valued) }
	}
	out, err := shapleyShares(g, opt.Budget, opt.MinSolve, opt.Sample)
	s.shareSolves.Add(int64(g.solves))
	if err != nil {
		return nil, err
	}
	out.PlanID, out.ServiceDate, out.ComputedAt = plan.ID, plan.ServiceDate, time.Now().UTC()
	return out, nil
}

// CostShares gives the split of a published plan's cost: the one stored
// when it was first computed, or a new computation, stored before it is
// returned. The first computation is what the ledger bills, so a stored
// split is never recomputed.
func (s *Service) CostShares(ctx context.Context, planID int64, opt ShareOptions) (*CostShares, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	cs, err := s.shares.get(ctx, planID)
	if err == nil || !errs.Is(err, errs.NotFound) {
		return cs, err
	}
	// Not under the plan's lock (shareStore.claim): holding a pooled
	// connection through the computation, which itself needs connections,
	// would let a few concurrent requests exhaust the pool. Only the
	// background worker, one per process, takes it.
	return s.storedOrCompute(ctx, planID, opt)
}

// storedOrCompute is CostShares once the options are checked: the stored
// split, or a new one stored.
func (s *Service) storedOrCompute(ctx context.Context, planID int64, opt ShareOptions) (*CostShares, error) {
	cs, err := s.shares.get(ctx, planID)
	if err == nil || !errs.Is(err, errs.NotFound) {
		return cs, err
	}
	cs, err = s.ComputeCostShares(ctx, planID, opt)
	if err != nil {
		return nil, err
	}
	// Two requests computing at once: the first stored wins and both
	// answer with it.
	if err := s.shares.insert(ctx, cs); err != nil {
		return nil, err
	}
	slog.InfoContext(ctx, "plan cost shared", "plan", planID, "method", cs.Method, "players", cs.Computation.Players,
		"solves", cs.Computation.Solves, "elapsed_ms", cs.Computation.ElapsedMs, "total_fen", cs.TotalFen,
		"individually_rational", cs.Checks.IndividuallyRational, "core_violations", len(cs.Checks.CoreViolations))
	return s.shares.get(ctx, planID)
}
