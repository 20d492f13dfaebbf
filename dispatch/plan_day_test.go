package dispatch

import (
	"context"
	"testing"
	"time"

	"github.com/tongpei/tongpei/demo"
)

// TestPlanDemoDayTwoRuns plans the demonstration day with its two trunks
// (issue 12, point 8): the down parcels are scanned in at the hub when
// their trunk came in, so the plan gives the vans a morning and an
// afternoon run. It checks that no noon parcel rides a run that leaves
// before it reached the hub, that every run is within its van's capacity,
// that the runs of one van do not overlap (the reload between), and that
// the counterfactual is planned on the same day; planned by wave, at
// least a third of the vans drive two runs.
func TestPlanDemoDayTwoRuns(t *testing.T) {
	t.Parallel()
	tc := newTestCounty(t)
	day := demo.GenerateDay(demo.DayOptions{Date: testDate, Seed: 1})
	tc.loadDay(t, day)
	tc.scanInTrunks(t, day)
	for _, byWave := range []bool{false, true} {
		checkTwoRunDay(t, tc, day, byWave)
	}
}

func checkTwoRunDay(t *testing.T, tc *testCounty, day []demo.Parcel, byWave bool) {
	ctx := context.Background()
	plan, err := tc.store.CreatePlan(ctx, PlanOptions{ServiceDate: "2026-12-01", TimeLimit: 8 * time.Second, Seed: 1, ByWave: byWave})
	if err != nil {
		t.Fatal(err)
	}
	arrival := map[string]demo.Parcel{}
	for _, p := range day {
		arrival[p.Carrier+"/"+p.TrackingNo] = p
	}
	types, _ := tc.store.VehicleTypes(ctx)
	capOf := map[string]VehicleType{}
	for _, vt := range types {
		capOf[vt.Code] = vt
	}
	noonTrunk := testDate.Add(demo.NoonTrunk)
	twoRuns, noonRouted, seen := 0, 0, 0
	for _, r := range plan.Routes {
		vt := capOf[r.VehicleType]
		over := func(l Load) bool {
			return l.WeightG > int64(vt.CapacityKg)*1000 || l.VolumeCm3 > int64(vt.CapacityL)*1000 || l.Parcels > int64(vt.CapacityParcels)
		}
		if len(r.Trips) == 0 || r.Trips[len(r.Trips)-1].LastSeq != len(r.Stops) {
			t.Fatalf("route %d: runs %+v do not cover its %d stops", r.Number, r.Trips, len(r.Stops))
		}
		if len(r.Trips) == 2 {
			twoRuns++
		}
		for j, trip := range r.Trips {
			if over(trip.StartLoad) {
				t.Errorf("route %d run %d leaves the hub over capacity: %+v", r.Number, trip.Number, trip.StartLoad)
			}
			if j > 0 {
				prev := r.Trips[j-1]
				if trip.Depart.Before(prev.Return.Add(DefaultReload)) || trip.AtHubS < int64(DefaultReload/time.Second) {
					t.Errorf("route %d: run %d leaves %s, run %d is back %s: they overlap or skip the reload", r.Number,
						trip.Number, trip.Depart.In(County).Format("15:04"), prev.Number, prev.Return.In(County).Format("15:04"))
				}
			}
			for _, st := range r.Stops[trip.FirstSeq-1 : trip.LastSeq] {
				if st.Trip != trip.Number {
					t.Errorf("route %d stop %d says run %d, is in run %d", r.Number, st.Seq, st.Trip, trip.Number)
				}
				if over(st.LoadAfter) {
					t.Errorf("route %d run %d over capacity after %s: %+v", r.Number, trip.Number, st.Station.Code, st.LoadAfter)
				}
				for _, ref := range st.Drop {
					seen++
					p := arrival[ref.Carrier+"/"+ref.TrackingNo]
					if trip.Depart.Before(p.HubArrival) {
						t.Errorf("parcel %s reached the hub at %s but rides route %d run %d leaving %s", ref.TrackingNo,
							p.HubArrival.In(County).Format("15:04"), r.Number, trip.Number, trip.Depart.In(County).Format("15:04"))
					}
					if p.Trunk == "noon" {
						noonRouted++
						if trip.Depart.Before(noonTrunk) {
							t.Errorf("noon parcel %s rides the morning run %d of route %d", ref.TrackingNo, trip.Number, r.Number)
						}
					}
				}
			}
		}
	}
	if noonRouted == 0 || seen == 0 {
		t.Fatalf("no noon parcels routed (%d drops seen)", seen)
	}
	// Not every van: the optimiser packs its runs into the vans' days
	// type by type, and what does not fit goes on the vans left over
	// (solveDay), which then drive one run; without byWave the plan may
	// be one run a van, when that is cheaper.
	if byWave && twoRuns*3 < len(plan.Routes) {
		t.Errorf("by wave %v: %d of %d vans drive two runs", byWave, twoRuns, len(plan.Routes))
	}
	for _, u := range plan.Unassigned {
		if u.Code == "fleet" {
			t.Errorf("station %s left out for want of a van though the fleet has %d vans: %s", u.Station, 14, u.Reason)
		}
	}
	if plan.MaxTrips != DefaultTrips || plan.Separate.CostFen <= plan.Joint.CostFen {
		t.Errorf("plan of %d runs: joint %d fen, separate %d fen", plan.MaxTrips, plan.Joint.CostFen, plan.Separate.CostFen)
	}
	t.Logf("two-run day (by wave %v): %d routes (%d with two runs), %d noon parcels on afternoon runs; joint %.2f CNY, separate %.2f CNY, saving %.1f %%, %d stations left out",
		byWave, len(plan.Routes), twoRuns, noonRouted, float64(plan.Joint.CostFen)/100, float64(plan.Separate.CostFen)/100, plan.SavingPct, len(plan.Unassigned))
}

// scanInTrunks writes each down parcel's hub_inbound event at the time
// its trunk came in, as the hub's scanners would have.
func (tc *testCounty) scanInTrunks(t testing.TB, day []demo.Parcel) {
	t.Helper()
	var carriers, nos []string
	var ats []time.Time
	for _, p := range day {
		if p.Direction == "down" {
			carriers, nos, ats = append(carriers, p.Carrier), append(nos, p.TrackingNo), append(ats, p.HubArrival)
		}
	}
	_, err := tc.pool.Exec(context.Background(), `
		INSERT INTO parcel_events (id, parcel_id, kind, station, at, by)
		SELECT gen_random_uuid(), p.id, 'hub_inbound', 'HUB', s.at, 'test'
		FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS s (carrier, tracking_no, at)
		JOIN parcels p ON p.carrier = s.carrier AND p.tracking_no = s.tracking_no`, carriers, nos, ats)
	if err != nil {
		t.Fatal(err)
	}
}
