package dispatch

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/internal/errs"
)

// TestPlanBalanceLongest plans the demonstration day (seed 1) without
// balance and with --balance longest: the balanced plan's longest working
// day is shorter, the plan and its job record the mode and the fair
// share, and every route's cost is money alone (the balance penalty is
// the search's, not the county's): fixed + per km + per hour.
func TestPlanBalanceLongest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tc := newTestCounty(t)
	tc.loadDay(t, demo.GenerateDay(demo.DayOptions{Date: testDate, Seed: 1}))
	types, err := tc.store.VehicleTypes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	typeOf := map[string]VehicleType{}
	for _, vt := range types {
		typeOf[vt.Code] = vt
	}
	plans := map[string]*Plan{}
	for _, mode := range []string{BalanceOff, BalanceLongest} {
		plan, err := tc.store.CreatePlan(ctx, PlanOptions{ServiceDate: "2026-12-01", TimeLimit: 3 * time.Second, Seed: 1,
			MaxTrips: 1, PlanModel: PlanModel{Balance: mode}})
		if err != nil {
			t.Fatal(err)
		}
		plans[mode] = plan
		for _, r := range plan.Routes {
			vt := typeOf[r.VehicleType]
			// buildInstance's rates: fen per metre, milli-fen per second.
			money := (vt.FixedCostFen*costScale + vt.CostPerKmFen*r.DistanceM + vt.CostPerHourFen*costScale/3600*r.DurationS + costScale/2) / costScale
			if d := r.CostFen - money; d < -1 || d > 1 {
				t.Errorf("%s: route %d costs %d fen, its km and hours %d fen", mode, r.Number, r.CostFen, money)
			}
		}
		if plan.Longest != longestOf(plan.Routes) && mode == BalanceOff {
			t.Errorf("longest %+v of routes %+v", plan.Longest, longestOf(plan.Routes))
		}
		t.Logf("balance %s: %d routes, longest %.1f km %.2f h, spread %.2f h, target %d s; joint %.2f CNY, separate %.2f CNY, saving %.1f %%",
			mode, len(plan.Routes), plan.Longest.Km, plan.Longest.Hours, float64(plan.Longest.SpreadS)/3600, plan.Longest.TargetS,
			float64(plan.Joint.CostFen)/100, float64(plan.Separate.CostFen)/100, plan.SavingPct)
	}
	off, longest := plans[BalanceOff], plans[BalanceLongest]
	if longest.Longest.DurationS >= off.Longest.DurationS {
		t.Errorf("balance longest: longest day %d s, without balance %d s", longest.Longest.DurationS, off.Longest.DurationS)
	}
	if longest.Balance != BalanceLongest || longest.Longest.TargetS <= 0 || off.Balance != BalanceOff || off.Longest.TargetS != 0 {
		t.Errorf("plan settings: off %q target %d, longest %q target %d", off.Balance, off.Longest.TargetS, longest.Balance, longest.Longest.TargetS)
	}
	stored, err := tc.store.Plan(ctx, longest.ID)
	if err != nil || stored.Balance != BalanceLongest || stored.Longest != longest.Longest {
		t.Errorf("stored plan %v: balance %q longest %+v", err, stored.Balance, stored.Longest)
	}
	if len(longest.Unassigned) > len(off.Unassigned) {
		t.Errorf("balanced plan leaves out %d stations, the plain one %d", len(longest.Unassigned), len(off.Unassigned))
	}
}

// TestPlanElectricRange: no electric van's day is longer than its range —
// the type's 230 km, a van's own (shorter) range_km, and the plan's EV
// range that replaces both on a cold day — and the routes say the range
// they were held to.
func TestPlanElectricRange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tc := newTestCounty(t)
	tc.loadDay(t, demo.GenerateDay(demo.DayOptions{Date: testDate, Seed: 1}))
	const short = "云FK1234" // an electric van (DemoVehicles: the last four)
	if v, err := tc.store.SetVehicleRange(ctx, short, 60); err != nil || v.RangeKm != 60 || v.Type != "ev" {
		t.Fatalf("set range: %+v %v", v, err)
	}
	for _, ev := range []int{0, 150} {
		plan, err := tc.store.CreatePlan(ctx, PlanOptions{ServiceDate: "2026-12-01", TimeLimit: 2 * time.Second, Seed: 1,
			PlanModel: PlanModel{EVRangeKm: ev}})
		if err != nil {
			t.Fatal(err)
		}
		evs := 0
		for _, r := range plan.Routes {
			want := int64(0)
			switch {
			case r.VehicleType == "ev" && ev > 0:
				want = int64(ev) * 1000
			case r.Vehicle == short:
				want = 60_000
			case r.VehicleType == "ev":
				want = 230_000
			}
			if r.RangeM != want {
				t.Errorf("ev range %d: route %d (%s %s) held to %d m, want %d", ev, r.Number, r.VehicleType, r.Vehicle, r.RangeM, want)
			}
			if want > 0 {
				evs++
				if r.DistanceM > want {
					t.Errorf("ev range %d: route %d (%s) drives %d m, beyond its range %d m", ev, r.Number, r.Vehicle, r.DistanceM, want)
				}
			}
		}
		if plan.EVRangeKm != ev {
			t.Errorf("plan ev_range_km %d, asked %d", plan.EVRangeKm, ev)
		}
		t.Logf("ev range %d: %d routes, %d electric; joint %.2f CNY, saving %.1f %%", ev, len(plan.Routes), evs,
			float64(plan.Joint.CostFen)/100, plan.SavingPct)
	}
}

// TestPlanModelRefused: an unknown balance mode, a negative or huge range
// are refused as invalid, naming the field, and nothing is queued or
// changed.
func TestPlanModelRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tc := newTestCounty(t)
	q := NewPlanQueue(tc.store, 1)
	for _, tt := range []struct {
		model PlanModel
		field string
	}{
		{PlanModel{Balance: "fair"}, "balance"},
		{PlanModel{Balance: "LONGEST"}, "balance"},
		{PlanModel{EVRangeKm: -1}, "ev_range_km"},
		{PlanModel{EVRangeKm: 5000}, "ev_range_km"},
	} {
		_, err := q.Submit(ctx, PlanRequest{ServiceDate: "2026-12-01", PlanModel: tt.model})
		if !errs.Is(err, errs.Invalid) || !hasField(err, tt.field) {
			t.Errorf("%+v: %v", tt.model, err)
		}
		if _, err := tc.store.CreatePlan(ctx, PlanOptions{ServiceDate: "2026-12-01", PlanModel: tt.model}); !errs.Is(err, errs.Invalid) {
			t.Errorf("CreatePlan %+v: %v", tt.model, err)
		}
	}
	jobs, err := q.Jobs(ctx, "")
	if err != nil || len(jobs) != 0 {
		t.Errorf("%d jobs queued (%v)", len(jobs), err)
	}
	for _, km := range []int{-5, 2001} {
		if _, err := tc.store.SetVehicleRange(ctx, "云FK1234", km); !errs.Is(err, errs.Invalid) || !hasField(err, "range_km") {
			t.Errorf("range %d: %v", km, err)
		}
	}
	if _, err := tc.store.CreateVehicle(ctx, Vehicle{Plate: "云FZ9999", Type: "ev", Operator: DemoOperator.Code, RangeKm: -1}); !errs.Is(err, errs.Invalid) {
		t.Errorf("new van with range -1: %v", err)
	}
	if _, err := tc.store.SetVehicleRange(ctx, "云FZZZZZ", 100); !errs.Is(err, errs.NotFound) {
		t.Errorf("range of a van that does not exist: %v", err)
	}
	vans, err := tc.store.Vehicles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vans {
		if v.RangeKm != 0 || v.Plate == "云FZ9999" {
			t.Errorf("van changed: %+v", v)
		}
	}
}

// hasField reports whether an invalid error names field.
func hasField(err error, field string) bool {
	var e *errs.Error
	if !errors.As(err, &e) {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}
