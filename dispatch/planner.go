package dispatch

import (
	"context"
	"log/slog"
	"time"

	"github.com/tongpei/tongpei/dispatch/geo"
	"github.com/tongpei/tongpei/dispatch/vrp"
	"github.com/tongpei/tongpei/internal/errs"
)

// PlanOptions say which day to plan and how long the optimiser may search.
type PlanOptions struct {
	ServiceDate string        // YYYY-MM-DD, a business day in Asia/Shanghai
	TimeLimit   time.Duration // for the joint plan and again for the counterfactual; 0: 30 s
	Seed        int64
	Threads     int // parallel searches (vrp.Options.Threads); 0 or 1: one
	// MaxTrips is how many runs a van may drive in its shift, reloading at
	// the hub between them (0: DefaultTrips, the county's morning and
	// afternoon runs; 1: one trip a van). The counterfactual gets the same.
	MaxTrips int
	// ReloadTime is how long a van stays at the hub between two runs
	// (0: DefaultReload).
	ReloadTime time.Duration
	// ByWave plans the day as the county runs it: every parcel that was at
	// the hub early on a morning run, the noon trunk's on the afternoon
	// runs; without it the optimiser may hold an overnight parcel for the
	// afternoon visit when that is cheaper. The counterfactual gets the
	// same.
	ByWave bool
	// PlanModel balances the vans' work and sets the electric vans'
	// range; the counterfactual gets the same.
	PlanModel
	// Progress, when set, hears each phase and each improvement.
	Progress func(PlanProgress)
}

// PlanProgress reports a running plan to a progress bar.
type PlanProgress struct {
	Phase     string // "joint" or "separate:<carrier>"
	Elapsed   time.Duration
	TimeLimit time.Duration
	BestCost  int64
}

// DefaultTimeLimit is what a plan request without time_limit gets.
const DefaultTimeLimit = 30 * time.Second

// MaxTimeLimit keeps an API call from holding a core for long.
const MaxTimeLimit = 10 * time.Minute

// County is where service dates and shifts are read.
var County = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone("CST", 8*3600) // China has no daylight saving
	}
	return loc
}

// day is the options' model of a van's day (after check has filled the
// defaults).
func (o *PlanOptions) day() dayModel {
	return dayModel{MaxTrips: o.MaxTrips, Reload: o.ReloadTime, Model: o.PlanModel}
}

func (o *PlanOptions) check() (time.Time, error) {
	var f errs.Fields
	day, err := time.ParseInLocation(time.DateOnly, o.ServiceDate, County)
	if err != nil {
		f.Add("service_date", "must be a date YYYY-MM-DD, not %q", o.ServiceDate)
	}
	if o.TimeLimit == 0 {
		o.TimeLimit = DefaultTimeLimit
	}
	if o.TimeLimit < 100*time.Millisecond || o.TimeLimit > MaxTimeLimit {
		f.Add("time_limit", "must be from 100ms to 10m, not %s", o.TimeLimit)
	}
	if o.MaxTrips == 0 {
		o.MaxTrips = DefaultTrips
	}
	if o.MaxTrips < 1 || o.MaxTrips > MaxTrips {
		f.Add("max_trips", "must be from 1 to %d runs a van, not %d", MaxTrips, o.MaxTrips)
	}
	if o.ReloadTime == 0 {
		o.ReloadTime = DefaultReload
	}
	if o.ReloadTime < time.Minute || o.ReloadTime > 4*time.Hour {
		f.Add("reload_minutes", "must be from 1 to 240 minutes at the hub between runs, not %s", o.ReloadTime)
	}
	o.PlanModel.check(&f)
	return day, f.Err()
}

// CreatePlan plans a day: it builds the problem from the parcels waiting at
// the hub and the stations, solves it with the optimiser, checks the result
// with the independent validator, solves the counterfactual, and stores the
// plan as the date's next version.
func (s *Service) CreatePlan(ctx context.Context, opt PlanOptions) (*Plan, error) {
	day, err := opt.check()
	if err != nil {
		return nil, err
	}
	set, err := s.loadStations(ctx)
	if err != nil {
		return nil, err
	}
	fleet, err := s.fleet.active(ctx)
	if err != nil {
		return nil, err
	}
	if len(fleet) == 0 {
		return nil, errs.E(errs.Conflict, "the joint fleet has no active vans; add them with POST /v1/fleet/vehicles")
	}
	parcels, err := s.county.waitingParcels(ctx)
	if err != nil {
		return nil, err
	}
	releaseOn(parcels, day)
	pr, m, stIndex, err := s.buildJoint(ctx, day, set, fleet, parcels, opt.day())
	if err != nil {
		return nil, err
	}
	started := time.Now()
	plan, err := solvePlan(ctx, pr, opt, "joint", true)
	if err != nil {
		return nil, err
	}
	plan.SolveMs = time.Since(started).Milliseconds()
	plan.ServiceDate, plan.TimeLimitMs, plan.MatrixSource = opt.ServiceDate, opt.TimeLimit.Milliseconds(), m.Source
	plan.Hub = place(set.hub)
	plan.MaxTrips, plan.ReloadMinutes, plan.ByWave = opt.MaxTrips, int(opt.ReloadTime/time.Minute), opt.ByWave
	plan.Balance, plan.EVRangeKm = opt.Balance, opt.EVRangeKm
	if err := separate(ctx, plan, pr, m, stIndex, opt); err != nil {
		return nil, err
	}
	// The optimiser answers its best so far when ctx ends; a cancelled
	// plan is still not one anybody asked to keep.
	if ctx.Err() != nil {
		return nil, errs.E(errs.Unavailable, "planning was cancelled before it finished; nothing was stored")
	}
	if err := s.savePlan(ctx, plan); err != nil {
		return nil, err
	}
	slog.InfoContext(ctx, "dispatch plan made", "plan", plan.ID, "date", plan.ServiceDate, "version", plan.Version,
		"routes", len(plan.Routes), "parcels", plan.Joint.Parcels, "unassigned_stations", len(plan.Unassigned),
		"cost_fen", plan.Joint.CostFen, "separate_cost_fen", plan.Separate.CostFen, "saving_pct", plan.SavingPct,
		"solve_ms", plan.SolveMs, "matrix", plan.MatrixSource)
	return plan, nil
}

// buildJoint makes the joint problem: matrices over the hub and every
// station with parcels, unreachable stations left out with their reason.
func (s *Service) buildJoint(ctx context.Context, day time.Time, set *stationSet, fleet []fleetRow, parcels []parcelRow, model dayModel) (*problem, *geo.CachedMatrix, map[string]int, error) {
	var maxCap vrp.Amount
	for _, f := range fleet {
		c := capacityOf(f.Type)
		for d := range vrp.MaxDims {
			maxCap[d] = max(maxCap[d], c[d])
		}
	}
	sts := []Station{set.hub}
	stIndex := map[string]int{set.hub.Code: 0}
	for _, p := range parcels {
		if st, ok := set.byCode[p.Station]; ok {
			if _, seen := stIndex[st.Code]; !seen {
				stIndex[st.Code] = len(sts)
				sts = append(sts, st)
			}
		}
	}
	m, err := s.matricesFor(ctx, sts)
	if err != nil {
		return nil, nil, nil, err
	}
	unreachable := map[string]string{}
	for _, u := range m.Unreachable {
		unreachable[u.Code] = u.Reason
	}
	groups, pre := groupParcels(parcels, set, maxCap, unreachable)
	pr := &problem{Date: day, Hub: set.hub, Groups: groups, Fleet: fleet, Unassigned: pre}
	pr.Instance = buildInstance("joint "+day.Format(time.DateOnly), groups, fleet, m, stIndex, false, model)
	return pr, m, stIndex, nil
}

// solvePlan runs the optimiser on pr, validates what it returns and reads
// it back as routes. Vans are assigned to routes by plate when assign is
// set (the joint plan); the counterfactual's vans are hypothetical.
func solvePlan(ctx context.Context, pr *problem, opt PlanOptions, phase string, assign bool) (*Plan, error) {
	in := pr.Instance
	plan := &Plan{Unassigned: append([]UnassignedStop{}, pr.Unassigned...), Routes: []Route{}}
	if len(in.Stops) == 0 {
		return plan, nil
	}
	started := time.Now()
	vopt := vrp.Options{TimeLimit: opt.TimeLimit, Seed: opt.Seed, Threads: opt.Threads}
	if opt.Progress != nil {
		opt.Progress(PlanProgress{Phase: phase, TimeLimit: opt.TimeLimit})
		vopt.Progress = func(p vrp.Progress) {
			opt.Progress(PlanProgress{Phase: phase, Elapsed: p.Elapsed, TimeLimit: opt.TimeLimit, BestCost: p.BestCost / costScale})
		}
	}
	var sol *vrp.Solution
	var err error
	if opt.balanced() {
		sol, err = solveBalanced(ctx, in, vopt, opt.ByWave, opt.Balance)
	} else {
		sol, err = solveDay(ctx, in, vopt, opt.ByWave)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, caused(errs.E(errs.Unavailable, "planning was cancelled: %s", ctx.Err()), ctx.Err())
		}
		return nil, errs.Wrap(err, "the optimiser failed")
	}
	if err := vrp.Validate(in, sol); err != nil {
		return nil, errs.Wrap(err, "the optimiser returned a solution the validator rejects")
	}
	if opt.Progress != nil {
		opt.Progress(PlanProgress{Phase: phase, Elapsed: time.Since(started), TimeLimit: opt.TimeLimit, BestCost: sol.Cost / costScale})
	}
	plates := map[int][]string{}
	if assign {
		for t, f := range pr.Fleet {
			plates[t] = f.Plates
		}
	}
	used := map[int]int{}
	for _, r := range sol.Routes {
		if len(r.Stops) == 0 {
			continue
		}
		tl, err := vrp.RouteTimeline(in, r)
		if err != nil {
			return nil, errs.Wrap(err, "route timeline")
		}
		f := pr.Fleet[r.VehicleType]
		route := Route{Number: len(plan.Routes) + 1, VehicleType: f.Type.Code, Operator: f.Operator,
			Depart: pr.at(tl.Departure), Return: pr.at(tl.Return), DistanceM: tl.Distance, DurationS: tl.Duration,
			CostFen: (tl.Cost - balancePenalty(in, tl.Duration) + costScale/2) / costScale, StartLoad: loadOf(tl.StartLoad),
			RangeM: in.VehicleTypes[r.VehicleType].MaxDistance, Stops: make([]Stop, len(r.Stops))}
		if k := used[r.VehicleType]; k < len(plates[r.VehicleType]) {
			route.Vehicle = plates[r.VehicleType][k]
		}
		used[r.VehicleType]++
		route.Trips = tripsOf(pr, in, r.Stops, tl)
		for k, st := range r.Stops {
			g := &pr.Groups[st]
			step := tl.Steps[k]
			stop := Stop{Seq: k + 1, Trip: tripAt(tl, k), Station: place(g.Station), Arrival: pr.at(step.Arrival), Start: pr.at(step.Start),
				ServiceS: in.Stops[st].Service, DistanceM: step.Distance, LoadAfter: loadOf(step.Load),
				Drop: []ParcelRef{}, Collect: []ParcelRef{}}
			for _, p := range g.Drop {
				addRef(&stop.Drop, &stop.Collect, p)
			}
			for _, p := range g.Collect {
				addRef(&stop.Drop, &stop.Collect, p)
			}
			route.Stops[k] = stop
			plan.Joint.Parcels += len(g.Drop) + len(g.Collect)
		}
		plan.Joint.DistanceM += tl.Distance
		plan.Joint.DurationS += tl.Duration
		plan.Joint.CostFen += route.CostFen
		plan.Joint.Stops += len(r.Stops)
		plan.Joint.Vehicles++
		plan.Routes = append(plan.Routes, route)
	}
	for _, u := range sol.Unassigned {
		g := &pr.Groups[u.Stop]
		us := UnassignedStop{Station: g.Station.Code, Location: place(g.Station).Location, Code: u.Code, Reason: u.Reason, Drop: []ParcelRef{}, Collect: []ParcelRef{}}
		for _, p := range append(append([]parcelRow{}, g.Drop...), g.Collect...) {
			addRef(&us.Drop, &us.Collect, p)
		}
		plan.Unassigned = append(plan.Unassigned, us)
	}
	plan.Joint.finish()
	plan.Longest = longestOf(plan.Routes)
	if in.BalanceCost > 0 {
		plan.Longest.TargetS = in.BalanceTarget
	}
	return plan, nil
}

// tripsOf reads a van's runs from its timeline: each leaves the hub
// loaded, serves its stops and comes back; the time at the hub before a
// run (after the previous one) is its reload, waiting for a late trunk
// included.
func tripsOf(pr *problem, in *vrp.Instance, stops []int, tl *vrp.Timeline) []Trip {
	out := make([]Trip, len(tl.Trips))
	for j, t := range tl.Trips {
		trip := Trip{Number: j + 1, FirstSeq: t.First + 1, LastSeq: t.End, Stops: t.End - t.First,
			Depart: pr.at(t.Departure), Return: pr.at(t.Return), StartLoad: loadOf(t.StartLoad)}
		if t.Release > 0 {
			at := pr.at(t.Release)
			trip.GoodsAt = &at
		}
		if j > 0 {
			trip.AtHubS = t.Departure - tl.Trips[j-1].Return
		}
		prev := 0 // matrix node: the hub
		for _, s := range stops[t.First:t.End] {
			trip.DistanceM += in.Dist(prev, s+1)
			prev = s + 1
		}
		trip.DistanceM += in.Dist(prev, 0)
		out[j] = trip
	}
	return out
}

// tripAt is the 1-based run of the van's day that step k belongs to.
func tripAt(tl *vrp.Timeline, k int) int {
	for j, t := range tl.Trips {
		if k >= t.First && k < t.End {
			return j + 1
		}
	}
	return 1
}

// at turns the optimiser's seconds after local midnight into a time.
func (pr *problem) at(sec int64) time.Time {
	return pr.Date.Add(time.Duration(sec) * time.Second).UTC()
}

func place(st Station) PlanPlace {
	return PlanPlace{Code: st.Code, Name: st.Name, Location: []float64{st.Location[0], st.Location[1]},
		KeeperName: st.KeeperName, KeeperPhone: st.KeeperPhone}
}
