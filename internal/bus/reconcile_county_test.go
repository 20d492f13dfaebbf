package bus_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/tenant"
)

// TestReconcileEveryCounty: reconciliation, run as serve runs it (a
// context naming no county), finds the events JetStream lost of every
// county, not just the install's own; each is published again and keeps
// its county (issue 18).
func TestReconcileEveryCounty(t *testing.T) {
	t.Parallel()
	const countyB = "530428"
	if tenant.Default() == countyB {
		t.Skip("TONGPEI_COUNTY is the test's second county")
	}
	ctx := context.Background()
	province := tenant.WithProvince(ctx)
	pool, srv, b := relayedBus(t)
	in := func(county string, n int) {
		t.Helper()
		events := make([]bus.Event, n)
		for i := range events {
			id := uuid.New()
			events[i] = bus.Event{ID: id, Subject: "tongpei.parcel.SF.hub_inbound", Payload: map[string]any{"id": id, "county": county}}
		}
		if err := pgx.BeginFunc(tenant.With(ctx, county), pool, func(tx pgx.Tx) error {
			return bus.Enqueue(tenant.With(ctx, county), tx, events...)
		}); err != nil {
			t.Fatal(err)
		}
	}
	in(tenant.Default(), 50)
	in(countyB, 50)
	unsentAll := func() int {
		var n int
		if err := pool.QueryRow(province, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	eventually(t, 30*time.Second, "all 100 published", func() bool { return unsentAll() == 0 })
	time.Sleep(1100 * time.Millisecond) // Reconcile looks only at events sent a second ago or more

	// two of B's events and one of A's (its last: a lost first message
	// looks like one the stream dropped on purpose) are lost from the stream
	rows, err := pool.Query(province, `(SELECT stream_seq, id FROM outbox WHERE county = $1 ORDER BY seq LIMIT 2)
		UNION ALL (SELECT stream_seq, id FROM outbox WHERE county <> $1 ORDER BY seq DESC LIMIT 1)`, countyB)
	if err != nil {
		t.Fatal(err)
	}
	type lost struct {
		Seq int64
		ID  uuid.UUID
	}
	gone, err := pgx.CollectRows(rows, pgx.RowToStructByPos[lost])
	if err != nil || len(gone) != 3 {
		t.Fatalf("%d events to lose: %v", len(gone), err)
	}
	stream, err := b.JS.Stream(ctx, bus.StreamParcels)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gone {
		if err := stream.DeleteMsg(ctx, uint64(g.Seq)); err != nil {
			t.Fatal(err)
		}
	}
	srv.Stop() // rebuilds the duplicate window, as after a real loss
	srv.Start()
	eventually(t, 10*time.Second, "reconnected", func() bool { return b.Ping(ctx) == nil })

	rep, err := bus.Reconcile(ctx, pool, b.JS, time.Now().Add(-time.Hour))
	if err != nil || rep.Checked != 100 || rep.Republished != len(gone) {
		t.Fatalf("reconciling both counties: %+v %v, want 100 checked and %d republished", rep, err, len(gone))
	}
	eventually(t, 30*time.Second, "republished", func() bool {
		return unsentAll() == 0 && streamMsgs(t, b.JS, bus.StreamParcels) == 100
	})
	seen := streamIDs(t, b.JS, bus.StreamParcels)
	for i, g := range gone {
		var county string
		if err := pool.QueryRow(province, `SELECT county FROM outbox WHERE id = $1`, g.ID).Scan(&county); err != nil {
			t.Fatal(err)
		}
		if want := map[bool]string{true: countyB, false: tenant.Default()}[i < 2]; county != want {
			t.Errorf("event %s republished in county %s, want %s", g.ID, county, want)
		}
		if seen[g.ID.String()] != 1 {
			t.Errorf("event %s is in the stream %d times, want once", g.ID, seen[g.ID.String()])
		}
	}
}
