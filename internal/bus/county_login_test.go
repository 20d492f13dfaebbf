package bus_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/bus/bustest"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
	"github.com/tongpei/tongpei/internal/tenant"
)

// The counties of the per-county login tests: ZTO and YTO serve A and B;
// nobody serves C.
const countyA, countyB, countyC = "530427", "530428", "530429"

var perCounty = bus.Layout{PerCounty: true}

// in is carrier's subjects of family f in county.
func in(f bus.Family, county, carrier string) string { return perCounty.In(f, county).Of(carrier) }

// reach is what one login must and must not do on the embedded server.
type reach struct {
	subscribe, noSubscribe []string // subscriptions allowed and refused
	publish, noPublish     []string // reports allowed (acknowledged) and refused
}

// A carrier serving two counties has one (province-wide) login that
// publishes and subscribes its own subjects in both, and nothing of
// another carrier's, of a county it does not serve, or of the county-less
// layout; a login issued by one county reaches that county alone.
func TestOneLoginReachesACarriersCounties(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	served := map[string][]string{"ZTO": {countyB, countyA}, "YTO": {countyA, countyB}}
	creds := bus.NewCarrierCredentials(pgtest.Pool(t))
	creds.PerCounty(perCounty, func(_ context.Context, carrier string) ([]string, error) { return served[carrier], nil })
	bs := bustest.OpenWith(t, bus.Config{Auth: bus.NewAuthenticator(creds, quiet)})
	creds.SetURL(bs.Server.ClientURL())
	if err := bus.EnsureStreamsIn(ctx, bs.JS, perCounty, 0); err != nil {
		t.Fatal(err)
	}
	province, err := creds.Issue(tenant.WithProvince(ctx), "ZTO", "province desk")
	if err != nil {
		t.Fatal(err)
	}
	if province.County != tenant.Province || len(province.Subjects.Consumers) != 4 {
		t.Fatalf("province login: county %q, consumers %+v", province.County, province.Subjects.Consumers)
	}
	report := func(county, carrier string) string {
		return perCounty.In(bus.FamilyCarrier, county).Subject(carrier, "manifest")
	}
	others := []string{
		in(bus.FamilyParcel, countyA, "YTO"),          // another carrier
		in(bus.FamilyParcel, countyC, "ZTO"),          // a county it does not serve
		perCounty.In(bus.FamilyParcel, countyA).All(), // every carrier of a county
		in(bus.FamilyParcel, bus.AnyCounty, "ZTO"),    // would reach county C
		bus.FamilyParcel.Of("ZTO"),                    // the county-less subject
		in(bus.FamilyCarrier, countyB, "YTO"),         // another carrier's reports
		in(bus.FamilyDLQ, countyA, "ZTO"),             // the centre's dead letters
	}
	stored := checkReach(t, bs, province, reach{
		subscribe: []string{in(bus.FamilyParcel, countyA, "ZTO"), in(bus.FamilyParcel, countyB, "ZTO"),
			in(bus.FamilyDispatch, countyA, "ZTO"), in(bus.FamilyDispatch, countyB, "ZTO")},
		noSubscribe: others,
		publish:     []string{report(countyA, "ZTO"), report(countyB, "ZTO")},
		noPublish: []string{report(countyC, "ZTO"), report(countyA, "YTO"), bus.FamilyCarrier.Subject("ZTO", "manifest"),
			perCounty.In(bus.FamilyParcel, countyA).Subject("ZTO", "forged")},
	}, 0)

	// County B's login of the same carrier reaches B alone.
	onlyB, err := creds.Issue(tenant.With(ctx, countyB), "ZTO", "county B desk")
	if err != nil {
		t.Fatal(err)
	}
	if onlyB.County != countyB || len(onlyB.Subjects.Consumers) != 2 {
		t.Fatalf("county login: county %q, consumers %+v", onlyB.County, onlyB.Subjects.Consumers)
	}
	checkReach(t, bs, onlyB, reach{
		subscribe:   []string{in(bus.FamilyParcel, countyB, "ZTO"), in(bus.FamilyDispatch, countyB, "ZTO")},
		noSubscribe: append(others, in(bus.FamilyParcel, countyA, "ZTO"), in(bus.FamilyDispatch, countyA, "ZTO")),
		publish:     []string{report(countyB, "ZTO")},
		noPublish:   []string{report(countyA, "ZTO"), report(countyC, "ZTO")},
	}, stored)

	// Its durable consumers, one per county, hold its events of that county.
	for _, county := range []string{countyA, countyB} {
		cons, err := bs.JS.Consumer(ctx, bus.StreamParcels, "carrier_ZTO_"+county)
		if err != nil {
			t.Fatalf("consumer of county %s: %v", county, err)
		}
		if info := cons.CachedInfo(); info.Config.FilterSubject != in(bus.FamilyParcel, county, "ZTO") || info.NumPending == 0 {
			t.Errorf("consumer %s: filter %s, pending %d", info.Name, info.Config.FilterSubject, info.NumPending)
		}
	}
	if _, err := bs.JS.Consumer(ctx, bus.StreamParcels, "carrier_ZTO_"+countyC); err == nil {
		t.Errorf("a consumer for county %s, which ZTO does not serve", countyC)
	}

	// A login of a county the carrier does not serve is refused at connect.
	onlyC, err := creds.Issue(tenant.With(ctx, countyC), "ZTO", "county C desk")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := connectCarrier(t, onlyC, nats.NoReconnect()); err == nil {
		t.Fatal("a login of a county ZTO does not serve connected")
	}
}

// checkReach connects with cred and checks r on the embedded server bs:
// every allowed subscription receives the centre's message on it and
// nothing else, every refused subscription and publish is a permission
// violation, every allowed report is acknowledged by JetStream and the
// refused ones are not stored. stored is how many reports TONGPEI_CARRIER
// held before; it answers how many it holds after.
func checkReach(t *testing.T, bs *bus.Bus, cred bus.CarrierCredential, r reach, stored uint64) uint64 {
	t.Helper()
	ctx := context.Background()
	conn, err := connectCarrier(t, cred)
	if err != nil {
		t.Fatal(err)
	}
	subs := make([]*nats.Subscription, len(r.subscribe))
	for i, s := range append(r.subscribe, r.noSubscribe...) {
		sub, err := conn.SubscribeSync(s)
		if err != nil {
			t.Fatal(err)
		}
		if i < len(subs) {
			subs[i] = sub
		}
	}
	for _, s := range r.noPublish {
		if err := conn.Publish(s, []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
	}
	if err := conn.Flush(); err != nil {
		t.Fatal(err)
	}
	refused := len(r.noSubscribe) + len(r.noPublish)
	eventually(t, 5*time.Second, "the violations reported", func() bool {
		return strings.Count(strings.ToLower(conn.violations()), "permissions violation for") >= refused
	})
	v := strings.ToLower(conn.violations())
	for _, s := range r.noSubscribe {
		if !strings.Contains(v, strings.ToLower(`subscription to "`+s+`"`)) {
			t.Errorf("%s subscribed %s:\n%s", cred.County, s, v)
		}
	}
	for _, s := range r.noPublish {
		if !strings.Contains(v, strings.ToLower(`publish to "`+s+`"`)) {
			t.Errorf("%s published %s:\n%s", cred.County, s, v)
		}
	}
	for _, s := range r.subscribe {
		if strings.Contains(v, strings.ToLower(`"`+s+`"`)) {
			t.Errorf("%s refused its own %s:\n%s", cred.County, s, v)
		}
	}

	// The centre publishes on each allowed subject and on others'
	// subjects: each subscription gets exactly its own message.
	for _, s := range append(r.subscribe, in(bus.FamilyParcel, countyA, "YTO"), in(bus.FamilyParcel, countyC, "ZTO"),
		in(bus.FamilyDispatch, countyC, "ZTO")) {
		if _, err := bs.JS.Publish(ctx, strings.TrimSuffix(s, ">")+"x", []byte(`{}`)); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	for i, sub := range subs {
		want := strings.TrimSuffix(r.subscribe[i], ">") + "x"
		if m, err := sub.NextMsg(3 * time.Second); err != nil || m.Subject != want {
			t.Fatalf("%s: want %s, got %v %v", r.subscribe[i], want, m, err)
		}
		if m, err := sub.NextMsg(100 * time.Millisecond); err == nil {
			t.Errorf("%s: a second message %s", r.subscribe[i], m.Subject)
		}
	}

	// Its own reports are acknowledged once stored; the refused were not.
	js, err := jetstream.New(conn.Conn)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range r.publish {
		if _, err := js.Publish(ctx, s, []byte(`{}`)); err != nil {
			t.Fatalf("%s reporting on %s: %v", cred.County, s, err)
		}
	}
	want := stored + uint64(len(r.publish))
	if r.publish != nil && subjectsOf(t, bs, bus.StreamCarrier, "tongpei.*.carrier.YTO.>") != 0 {
		t.Errorf("a report stored on another carrier's subject")
	}
	if n := streamMsgs(t, bs.JS, bus.StreamCarrier); n != want {
		t.Fatalf("%d reports stored, want %d", n, want)
	}
	return want
}

// subjectsOf counts the messages of stream on subjects matching filter.
func subjectsOf(t *testing.T, bs *bus.Bus, stream, filter string) uint64 {
	t.Helper()
	s, err := bs.JS.Stream(context.Background(), stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background(), jetstream.WithSubjectFilter(filter))
	if err != nil {
		t.Fatal(err)
	}
	var n uint64
	for _, c := range info.State.Subjects {
		n += c
	}
	return n
}
