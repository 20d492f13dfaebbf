package dispatch

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/tongpei/tongpei/dispatch/geo"
)

// separate solves the counterfactual the joint plan replaces: every express
// company delivering and collecting its own parcels from the hub with its
// own vans. It uses the same optimiser, the same matrices and the same
// parcels as the joint plan carries (a station the joint fleet could not
// serve is left out of both sides, so the comparison is like for like), and
// the joint fleet's commonest van type with no limit on how many, which is
// generous to the companies: the saving measured is a lower bound. The
// companies' vans drive the same day as the joint fleet's (as many runs,
// the same reload, each parcel leaving no earlier than it reached the
// hub), so the saving stays like for like.
//
// The companies' problems share one time limit equal to the joint plan's,
// split by their number of stops, so that a plan costs at most twice its
// time limit.
func separate(ctx context.Context, plan *Plan, pr *problem, m *geo.CachedMatrix, stIndex map[string]int, opt PlanOptions) error {
	routed := map[int64]bool{}
	for _, r := range plan.Routes {
		for _, st := range r.Stops {
			for _, p := range st.Drop {
				routed[p.ID] = true
			}
			for _, p := range st.Collect {
				routed[p.ID] = true
			}
		}
	}
	byCarrier := map[string][]parcelRow{}
	set := &stationSet{hub: pr.Hub, byCode: map[string]Station{pr.Hub.Code: pr.Hub}}
	for _, g := range pr.Groups {
		set.byCode[g.Station.Code] = g.Station
		for _, p := range append(append([]parcelRow{}, g.Drop...), g.Collect...) {
			if routed[p.ID] {
				byCarrier[p.Carrier] = append(byCarrier[p.Carrier], p)
			}
		}
	}
	carriers := make([]string, 0, len(byCarrier))
	for c := range byCarrier {
		carriers = append(carriers, c)
	}
	slices.Sort(carriers)
	van := commonestVan(pr.Fleet)
	type job struct {
		carrier string
		pr      *problem
	}
	var jobs []job
	totalStops := 0
	for _, c := range carriers {
		ps := byCarrier[c]
		sortParcels(ps)
		groups, _ := groupParcels(ps, set, capacityOf(van.Type), nil)
		fleet := []fleetRow{{Type: van.Type, Operator: c, RangeKm: van.RangeKm}}
		cp := &problem{Date: pr.Date, Hub: pr.Hub, Groups: groups, Fleet: fleet}
		cp.Instance = buildInstance("separate "+c, groups, fleet, m, stIndex, true, opt.day())
		jobs = append(jobs, job{c, cp})
		totalStops += len(groups)
	}
	plan.SeparateByCarrier = []CarrierTotals{}
	for _, j := range jobs {
		o := opt
		o.TimeLimit = max(100*time.Millisecond, time.Duration(float64(opt.TimeLimit)*float64(len(j.pr.Groups))/float64(max(totalStops, 1))))
		sp, err := solvePlan(ctx, j.pr, o, "separate:"+j.carrier, false)
		if err != nil {
			return err
		}
		ct := CarrierTotals{Carrier: j.carrier, Totals: sp.Joint, Unassigned: len(sp.Unassigned)}
		plan.SeparateByCarrier = append(plan.SeparateByCarrier, ct)
		s := &plan.Separate
		s.DistanceM += ct.DistanceM
		s.DurationS += ct.DurationS
		s.Vehicles += ct.Vehicles
		s.CostFen += ct.CostFen
		s.Stops += ct.Stops
		s.Parcels += ct.Parcels
	}
	plan.Separate.finish()
	plan.SavingPct = savingPct(plan.Joint.CostFen, plan.Separate.CostFen)
	return nil
}

// commonestVan is the fleet row with the most vans: what a company would
// buy for the same roads.
func commonestVan(fleet []fleetRow) fleetRow {
	best := fleet[0]
	for _, f := range fleet[1:] {
		if f.Count > best.Count {
			best = f
		}
	}
	return best
}

// sortParcels orders parcels as countyStore.waitingParcels does, so
// grouping is stable.
func sortParcels(ps []parcelRow) {
	slices.SortFunc(ps, func(a, b parcelRow) int {
		return cmp.Or(strings.Compare(a.Station, b.Station), strings.Compare(a.Direction, b.Direction),
			strings.Compare(a.Carrier, b.Carrier), strings.Compare(a.TrackingNo, b.TrackingNo))
	})
}
