package dispatch

import (
	"context"
	"testing"
	"time"

	"github.com/tongpei/tongpei/demo"
)

// TestPlanGeneratedDay plans a generated day of the demonstration county
// and checks what the county relies on: every parcel on exactly one stop or
// unassigned with a reason, no van over capacity anywhere, the joint plan
// cheaper than each company on its own.
func TestPlanGeneratedDay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tc := newTestCounty(t)
	day := demo.GenerateDay(demo.DayOptions{Date: testDate, Seed: 1})
	tc.loadDay(t, day)
	plan, err := tc.store.CreatePlan(ctx, PlanOptions{ServiceDate: "2026-12-01", TimeLimit: 2 * time.Second, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	count := func(refs []ParcelRef) {
		for _, r := range refs {
			seen[r.Carrier+"/"+r.TrackingNo]++
		}
	}
	types, _ := tc.store.VehicleTypes(ctx)
	capOf := map[string]VehicleType{}
	for _, vt := range types {
		capOf[vt.Code] = vt
	}
	for _, r := range plan.Routes {
		vt := capOf[r.VehicleType]
		check := func(l Load, where string) {
			if l.WeightG > int64(vt.CapacityKg)*1000 || l.VolumeCm3 > int64(vt.CapacityL)*1000 || l.Parcels > int64(vt.CapacityParcels) {
				t.Errorf("route %d (%s) over capacity %s: %+v", r.Number, vt.Code, where, l)
			}
		}
		check(r.StartLoad, "leaving the hub")
		if r.Vehicle == "" {
			t.Errorf("route %d has no van", r.Number)
		}
		for _, st := range r.Stops {
			check(st.LoadAfter, "after "+st.Station.Code)
			count(st.Drop)
			count(st.Collect)
		}
	}
	for _, u := range plan.Unassigned {
		if u.Code == "" || u.Reason == "" {
			t.Errorf("unassigned %s without a reason", u.Station)
		}
		count(u.Drop)
		count(u.Collect)
	}
	for _, p := range day {
		if n := seen[p.Carrier+"/"+p.TrackingNo]; n != 1 {
			t.Fatalf("parcel %s/%s appears %d times on the plan", p.Carrier, p.TrackingNo, n)
		}
	}
	if len(seen) != len(day) {
		t.Fatalf("the plan has %d parcels, the day %d", len(seen), len(day))
	}
	var stored int
	must(t, func() error {
		return tc.pool.QueryRow(ctx, `SELECT count(DISTINCT parcel_id) FROM plan_parcels WHERE plan_id = $1`, plan.ID).Scan(&stored)
	})
	if stored != len(day) {
		t.Errorf("plan_parcels has %d parcels, want %d", stored, len(day))
	}
	if plan.Separate.Parcels != plan.Joint.Parcels {
		t.Errorf("separate carries %d parcels, joint %d: not like for like", plan.Separate.Parcels, plan.Joint.Parcels)
	}
	if plan.Joint.CostFen >= plan.Separate.CostFen {
		t.Errorf("joint %d fen is not cheaper than separate %d fen", plan.Joint.CostFen, plan.Separate.CostFen)
	}
	t.Logf("joint: %d routes %.1f km %.1f h %.2f CNY; separate: %d vans %.1f km %.1f h %.2f CNY; saving %.1f %%; unassigned %d; solve %d ms; matrix %s",
		plan.Joint.Vehicles, plan.Joint.Km, plan.Joint.Hours, float64(plan.Joint.CostFen)/100,
		plan.Separate.Vehicles, plan.Separate.Km, plan.Separate.Hours, float64(plan.Separate.CostFen)/100,
		plan.SavingPct, len(plan.Unassigned), plan.SolveMs, plan.MatrixSource)

	again, err := tc.store.CreatePlan(ctx, PlanOptions{ServiceDate: "2026-12-01", TimeLimit: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if again.Version != plan.Version+1 {
		t.Errorf("re-plan version %d, want %d", again.Version, plan.Version+1)
	}
	if old, err := tc.store.Plan(ctx, plan.ID); err != nil || old.Version != 1 || len(old.Routes) != len(plan.Routes) {
		t.Errorf("the first version is gone: %v", err)
	}
}
