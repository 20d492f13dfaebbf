package bus_test

import (
	"strings"
	"testing"

	"github.com/tongpei/tongpei/internal/bus"
)

func TestSingleCountyLayoutKeepsTheContract(t *testing.T) {
	var l bus.Layout
	for _, c := range []struct{ got, want string }{
		{l.In(bus.FamilyParcel, "530427").Subject("ZTO", "hub_inbound"), "tongpei.parcel.ZTO.hub_inbound"},
		{l.In(bus.FamilyDispatch, bus.AnyCounty).All(), "tongpei.dispatch.>"},
		{l.Place("530427", "tongpei.parcel.ZTO.hub_inbound"), "tongpei.parcel.ZTO.hub_inbound"},
	} {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
	if got, want := bus.CarrierSubjectsIn(l, "ZTO", []string{"530427", "530428"}), bus.CarrierSubjects("ZTO"); strings.Join(got.Subscribe, " ") != strings.Join(want.Subscribe, " ") || strings.Join(got.Publish, " ") != strings.Join(want.Publish, " ") {
		t.Errorf("single-county subjects changed: %+v, want %+v", got, want)
	}
	p := bus.Layout{PerCounty: true}
	for _, c := range []struct{ got, want string }{
		{p.In(bus.FamilyParcel, "530427").Subject("ZTO", "hub_inbound"), "tongpei.530427.parcel.ZTO.hub_inbound"},
		{p.In(bus.FamilyParcel, bus.AnyCounty).All(), "tongpei.*.parcel.>"},
		{p.In(bus.FamilySolver, "530427").Subject("solve"), "tongpei.solver.solve"},
		{p.Place("530427", "tongpei.dispatch.ZTO.route"), "tongpei.530427.dispatch.ZTO.route"},
		{p.Place("530427", "tongpei.solver.solve"), "tongpei.solver.solve"},
	} {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
	if county, rest := p.Split("tongpei.530427.carrier.ZTO.manifest"); county != "530427" || rest != "tongpei.carrier.ZTO.manifest" {
		t.Errorf("Split: %s %s", county, rest)
	}
}
