package dispatch

import (
	"context"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/tongpei/tongpei/dispatch/vrp"
)

func TestVehicleTypeValidate(t *testing.T) {
	t.Parallel()
	good := VehicleType{Code: "van", Name: "van", CapacityKg: 1000, CapacityL: 5000, CapacityParcels: 300,
		FixedCostFen: 25000, CostPerKmFen: 120, Shift: Shift{"07:00", "19:00"}}
	for name, tc := range map[string]struct {
		change func(*VehicleType)
		ok     bool
	}{
		"good":            {func(*VehicleType) {}, true},
		"shift to 24:00":  {func(v *VehicleType) { v.Shift.End = "24:00" }, true},
		"no capacity":     {func(v *VehicleType) { v.CapacityKg = 0 }, false},
		"negative cost":   {func(v *VehicleType) { v.CostPerKmFen = -1 }, false},
		"shift backwards": {func(v *VehicleType) { v.Shift = Shift{"19:00", "07:00"} }, false},
		"bad clock":       {func(v *VehicleType) { v.Shift.Start = "7am" }, false},
		"minute 60":       {func(v *VehicleType) { v.Shift.Start = "07:60" }, false},
		"code with space": {func(v *VehicleType) { v.Code = "a van" }, false},
	} {
		v := good
		tc.change(&v)
		if err := v.Validate(); (err == nil) != tc.ok {
			t.Errorf("%s: err = %v, want ok %v", name, err, tc.ok)
		}
	}
}

// TestGroupParcelsSplitsBigStations: a station with more than a van's share
// becomes several stops, each within the share, and no parcel is lost.
func TestGroupParcelsSplitsBigStations(t *testing.T) {
	t.Parallel()
	set := &stationSet{hub: Station{Code: "HUB"}, byCode: map[string]Station{
		"HUB": {Code: "HUB"}, "BIG": {Code: "BIG", Location: orb.Point{102, 24}}, "SMALL": {Code: "SMALL"}}}
	var ps []parcelRow
	for i := range 100 {
		ps = append(ps, parcelRow{ID: int64(i), Carrier: "ZTO", TrackingNo: itoa(int64(i)), Direction: "down", Station: "BIG", WeightG: 1000, VolumeCm3: 1000})
	}
	ps = append(ps, parcelRow{ID: 200, Direction: "up", Station: "BIG", WeightG: 5000, VolumeCm3: 1000},
		parcelRow{ID: 201, Direction: "down", Station: "SMALL", WeightG: 1, VolumeCm3: 1},
		parcelRow{ID: 202, Direction: "down", Station: "GONE", WeightG: 1, VolumeCm3: 1},
		parcelRow{ID: 203, Direction: "up", Station: "HUB", WeightG: 1, VolumeCm3: 1})
	maxCap := vrp.Amount{50_000, 1_000_000, 1000} // 50 kg: BIG's 100 kg needs several stops
	groups, unassigned := groupParcels(ps, set, maxCap, nil)
	n, big := 0, 0
	for _, g := range groups {
		n += len(g.Drop) + len(g.Collect)
		if g.Station.Code == "BIG" {
			big++
			if g.Delivery[dimWeight] > 30_000 || g.Pickup[dimWeight] > 30_000 {
				t.Errorf("a BIG stop carries %d g down, %d g up: over 60 %% of the van", g.Delivery[dimWeight], g.Pickup[dimWeight])
			}
		}
	}
	if big < 4 {
		t.Errorf("BIG became %d stops, want at least 4", big)
	}
	if len(unassigned) != 2 || unassigned[0].Code != "station_inactive" || unassigned[1].Code != "at_hub" {
		t.Errorf("unassigned %+v", unassigned)
	}
	if n+2 != len(ps) {
		t.Errorf("%d parcels on stops + 2 unassigned, want %d", n, len(ps))
	}
}

func TestPlanEmptyDay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tc := newTestCounty(t)
	plan, err := tc.store.CreatePlan(ctx, PlanOptions{ServiceDate: "2026-12-02", TimeLimit: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Routes) != 0 || plan.Joint.CostFen != 0 || plan.SavingPct != 0 {
		t.Errorf("an empty day planned %+v", plan)
	}
	jobs, err := tc.store.Publish(ctx, plan.ID)
	if err != nil || len(jobs) != 0 {
		t.Errorf("publishing an empty plan: %d jobs, %v", len(jobs), err)
	}
	if _, err := tc.store.CreatePlan(ctx, PlanOptions{ServiceDate: "2 December"}); err == nil {
		t.Error("a bad date was accepted")
	}
}
