package stations_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/bus/bustest"
	"github.com/tongpei/tongpei/internal/tenant"
	"github.com/tongpei/tongpei/stations"
)

// Two counties in one database and one NATS with per-county subjects
// (issue 18 point 2): the consumer applies a carrier's event in the county
// its subject names, so an event on county A's subject changes A's parcel
// and leaves B's parcel of the same tracking number as it was; an event of
// a county that is not registered, or one that names a parcel only another
// county has, goes to the dead-letter stream with its reason.
func TestCarrierEventsStayInTheirCounty(t *testing.T) {
	t.Parallel()
	f := newCustody(t) // county A, the install's own
	ctx := context.Background()
	a, b, unknown := tenant.Default(), "530428", "530429"
	if a == b {
		b = "530427"
	}
	if _, err := tenant.NewRegistry(f.pool).Add(ctx, b, "county B"); err != nil {
		t.Fatal(err)
	}
	inB := tenant.With(ctx, b)
	// the same stations and carriers (merchant ids are the province's)
	registryB, _, _ := strings.Cut(countySQL, "INSERT INTO merchants")
	if _, err := f.pool.Exec(inB, registryB); err != nil {
		t.Fatalf("county B: %v", err)
	}
	for county, tns := range map[string][]string{a: {"SF-BOTH"}, b: {"SF-BOTH", "SF-ONLYB"}} {
		var ps []stations.Parcel
		for _, tn := range tns {
			ps = append(ps, downParcel("SF", tn, "V1", "13811112222"))
		}
		res, err := f.c.Register(tenant.With(ctx, county), opsAdmin, ps)
		if err != nil || res[0].Status != stations.StatusCreated {
			t.Fatalf("register in %s: %v %+v", county, err, res)
		}
	}

	layout := bus.Layout{PerCounty: true}
	nb := bustest.Open(t)
	if err := bus.EnsureStreamsIn(ctx, nb.JS, layout, 0); err != nil {
		t.Fatal(err)
	}
	consumer := bus.NewConsumer(nb.JS, f.c.ApplyCarrierEvent, bus.ConsumerOptions{
		Layout: layout, Known: tenant.NewRegistry(f.pool).Known, RetryDelay: 20 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
	if err := consumer.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(consumer.Stop)

	now := time.Now().UTC()
	manifest := func(tn string) any {
		return stations.Manifest{At: now, Parcels: []stations.Parcel{downParcel("", tn, "V1", "13811112222")}}
	}
	send := func(county, kind string, payload any) {
		t.Helper()
		body, _ := json.Marshal(payload)
		subject := layout.In(bus.FamilyCarrier, county).Subject("SF", kind)
		if _, err := nb.JS.PublishMsg(ctx, &nats.Msg{Subject: subject, Data: body}, jetstream.WithMsgID(uuid.NewString())); err != nil {
			t.Fatal(err)
		}
	}
	send(a, stations.CarrierManifest, manifest("SF-BOTH"))       // A's parcel, B has the same number
	send(b, stations.CarrierManifest, manifest("SF-NEWB"))       // registered in B alone
	send(unknown, stations.CarrierManifest, manifest("SF-LOST")) // no such county
	send(a, stations.CarrierCollected, stations.Collection{At: now, TrackingNos: []string{"SF-ONLYB"}})

	letters := deadLetters(t, nb, 2)
	cons, err := nb.JS.Consumer(ctx, bus.StreamCarrier, "tongpei-carrier-events")
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		info, err := cons.Info(ctx)
		if err == nil && info.NumPending == 0 && info.NumAckPending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the consumer did not settle: %+v %v", info, err)
		}
	}

	want := []string{
		a + " SF-BOTH hub_inbound 1", // the manifest's hub_inbound
		b + " SF-BOTH registered 0",  // untouched
		b + " SF-NEWB hub_inbound 1", // the manifest registered it in B
		b + " SF-ONLYB registered 0", // collected on A's subject: refused
	}
	if got := parcelsByCounty(t, f); !slices.Equal(got, want) {
		t.Errorf("parcels (county, number, state, events):\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Each county's events are its own (the relay publishes them on its
	// subjects, bus.Layout.Place).
	var events string
	if err := f.pool.QueryRow(tenant.WithProvince(ctx), `SELECT string_agg(county || ' ' || subject, ', ' ORDER BY county)
		FROM outbox`).Scan(&events); err != nil {
		t.Fatal(err)
	}
	if want := a + " tongpei.parcel.SF.hub_inbound, " + b + " tongpei.parcel.SF.hub_inbound"; events != want {
		t.Errorf("outbox: %s, want %s", events, want)
	}
	for subject, reason := range map[string]string{
		"tongpei." + unknown + ".dlq.SF": "county " + unknown + " is not registered",
		"tongpei." + a + ".dlq.SF":       "parcels of another county: SF-ONLYB (county " + b + ")",
	} {
		if !strings.Contains(letters[subject], reason) {
			t.Errorf("dead letter on %s: %q, want %q", subject, letters[subject], reason)
		}
	}
}

// deadLetters waits for n messages in the dead-letter stream and answers
// each one's reason by its subject.
func deadLetters(t *testing.T, nb *bus.Bus, n int) map[string]string {
	t.Helper()
	ctx := context.Background()
	cons, err := nb.JS.OrderedConsumer(ctx, bus.StreamDLQ, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := cons.Fetch(n, jetstream.FetchMaxWait(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for m := range batch.Messages() {
		got[m.Subject()] = m.Headers().Get(bus.HeaderDLQReason)
	}
	if len(got) != n {
		t.Fatalf("%d dead letters, want %d: %v", len(got), n, got)
	}
	return got
}

// parcelsByCounty lists every county's parcels, read province-wide.
func parcelsByCounty(t *testing.T, f *custodyFixture) []string {
	t.Helper()
	rows, err := f.pool.Query(tenant.WithProvince(f.ctx), `SELECT p.county || ' ' || p.tracking_no || ' ' || p.state || ' ' ||
		(SELECT count(*) FROM parcel_events e WHERE e.county = p.county AND e.parcel_id = p.id)
		FROM parcels p ORDER BY p.county, p.tracking_no`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return got
}
