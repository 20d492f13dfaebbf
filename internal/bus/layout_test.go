package bus_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/bus/bustest"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
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

// A carrier serving two counties has one login that reaches its own
// subjects in both, and neither another carrier's nor a third county's.
func TestOneLoginReachesACarriersCounties(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := bus.Layout{PerCounty: true}
	const a, b, c = "530427", "530428", "530429"
	served := map[string][]string{"ZTO": {b, a}, "YTO": {a}}
	creds := bus.NewCarrierCredentials(pgtest.Pool(t))
	auth := bus.NewAuthenticator(creds, quiet)
	auth.PerCounty(l, func(_ context.Context, carrier string) ([]string, error) { return served[carrier], nil })
	bs := bustest.OpenWith(t, bus.Config{Auth: auth})
	creds.SetURL(bs.Server.ClientURL())
	if err := bus.EnsureStreamsIn(ctx, bs.JS, l, 0); err != nil {
		t.Fatal(err)
	}
	zto, err := creds.Issue(ctx, "ZTO", "test")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := connectCarrier(t, zto)
	if err != nil {
		t.Fatal(err)
	}
	own, err := conn.SubscribeSync(l.In(bus.FamilyParcel, bus.AnyCounty).Of("ZTO"))
	if err != nil {
		t.Fatal(err)
	}
	jobs, _ := conn.SubscribeSync(l.In(bus.FamilyDispatch, b).Of("ZTO"))
	forbidden := []string{
		l.In(bus.FamilyParcel, a).Of("YTO"), // another carrier
		l.In(bus.FamilyParcel, c).Of("ZTO"), // a county it does not serve
		l.In(bus.FamilyParcel, a).All(),     // every carrier of a county
		bus.FamilyParcel.Of("ZTO"),          // the single-county subject
	}
	for _, s := range forbidden {
		if _, err := conn.SubscribeSync(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := conn.Publish(l.In(bus.FamilyCarrier, c).Subject("ZTO", "manifest"), []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	if err := conn.Flush(); err != nil {
		t.Fatal(err)
	}
	// The tongpei.*.parcel.ZTO.> subscription is refused too: it would reach
	// county c. So the carrier subscribes county by county.
	eventually(t, 5*time.Second, "the violations reported", func() bool {
		return strings.Count(strings.ToLower(conn.violations()), "permissions violation for") >= len(forbidden)+2
	})
	v := strings.ToLower(conn.violations())
	for _, s := range append(forbidden, l.In(bus.FamilyParcel, bus.AnyCounty).Of("ZTO")) {
		if !strings.Contains(v, strings.ToLower(`subscription to "`+s+`"`)) {
			t.Errorf("no violation for %s in:\n%s", s, v)
		}
	}
	if !strings.Contains(v, strings.ToLower(`publish to "tongpei.530429.carrier.ZTO.manifest"`)) {
		t.Errorf("no violation for publishing in county %s:\n%s", c, v)
	}
	_ = own

	// The centre publishes events of both counties (as the relay does,
	// Layout.Place of the row's county) and of YTO; ZTO gets its own.
	subA, _ := conn.SubscribeSync(l.In(bus.FamilyParcel, a).Of("ZTO"))
	subB, _ := conn.SubscribeSync(l.In(bus.FamilyParcel, b).Of("ZTO"))
	if err := conn.Flush(); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		l.Place(a, bus.FamilyParcel.Subject("ZTO", "hub_inbound")),
		l.Place(b, bus.FamilyParcel.Subject("ZTO", "hub_inbound")),
		l.Place(a, bus.FamilyParcel.Subject("YTO", "hub_inbound")),
		l.Place(c, bus.FamilyParcel.Subject("ZTO", "hub_inbound")),
		l.Place(b, bus.FamilyDispatch.Subject("ZTO", "route")),
	} {
		if _, err := bs.JS.Publish(ctx, s, []byte(`{}`)); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	for _, w := range []struct {
		sub  *nats.Subscription
		want string
	}{{subA, "tongpei.530427.parcel.ZTO.hub_inbound"}, {subB, "tongpei.530428.parcel.ZTO.hub_inbound"}, {jobs, "tongpei.530428.dispatch.ZTO.route"}} {
		m, err := w.sub.NextMsg(3 * time.Second)
		if err != nil || m.Subject != w.want {
			t.Fatalf("want %s, got %v %v", w.want, m, err)
		}
		if m, err := w.sub.NextMsg(200 * time.Millisecond); err == nil {
			t.Errorf("a second message %s", m.Subject)
		}
	}

	// Its durable consumers, one per county, hold the same.
	for county, want := range map[string]string{a: "tongpei.530427.parcel.ZTO.hub_inbound", b: "tongpei.530428.parcel.ZTO.hub_inbound"} {
		cons, err := bs.JS.Consumer(ctx, bus.StreamParcels, "carrier_ZTO_"+county)
		if err != nil {
			t.Fatalf("consumer of county %s: %v", county, err)
		}
		if info := cons.CachedInfo(); info.Config.FilterSubject != l.In(bus.FamilyParcel, county).Of("ZTO") || info.NumPending != 1 {
			t.Errorf("consumer %s: filter %s, pending %d, want 1 of %s", info.Name, info.Config.FilterSubject, info.NumPending, want)
		}
	}
	if _, err := bs.JS.Consumer(ctx, bus.StreamParcels, "carrier_ZTO_"+c); err == nil {
		t.Errorf("a consumer for county %s, which ZTO does not serve", c)
	}
}
