package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tongpei/tongpei/dispatch"
)

// TestPrintPlanModel: tongpei plan's output says the balance, the
// longest day, the fair share and the day's EV range, and each electric
// van's km against its range.
func TestPrintPlanModel(t *testing.T) {
	t.Parallel()
	p := &dispatch.Plan{ID: 3, ServiceDate: "2026-12-01", Version: 1, MaxTrips: 2, ReloadMinutes: 30,
		Balance: dispatch.BalanceLongest, EVRangeKm: 150,
		Longest: dispatch.Longest{Km: 210.5, Hours: 6.93, SpreadS: 936, TargetS: 24659},
		Routes:  []dispatch.Route{{Number: 1, VehicleType: "ev", DistanceM: 120_000, RangeM: 150_000}, {Number: 2, VehicleType: "minivan", DistanceM: 90_000}}}
	var b bytes.Buffer
	if err := printPlan(&b, p); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"Balance: longest; longest day 210.5 km, 6.9 h (0.3 h more than the shortest), fair share 6.8 h",
		"Electric vans' range on this day: 150 km", "80% of 150"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if rangeOf(p.Routes[1]) != "-" {
		t.Errorf("a van without a range shows %q", rangeOf(p.Routes[1]))
	}
}
