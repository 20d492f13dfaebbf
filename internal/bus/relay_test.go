package bus_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/bus/bustest"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

func startRelay(t testing.TB, pool *pgxpool.Pool, nc *nats.Conn, opts bus.RelayOptions) *bus.Relay {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = quiet
	}
	r, err := bus.NewRelay(pool, nc, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Stop)
	return r
}

func ensureStreams(t testing.TB, b *bus.Bus) {
	t.Helper()
	if err := bus.EnsureStreams(context.Background(), b.JS); err != nil {
		t.Fatal(err)
	}
}

func TestEnsureStreamsIsIdempotent(t *testing.T) {
	t.Parallel()
	b := bustest.Open(t)
	ensureStreams(t, b)
	ensureStreams(t, b)
	for _, name := range []string{bus.StreamParcels, bus.StreamDispatch, bus.StreamCarrier, bus.StreamDLQ} {
		s, err := b.JS.Stream(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		if d := s.CachedInfo().Config.Duplicates; d != bus.DedupWindow {
			t.Errorf("%s: duplicates window %v", name, d)
		}
	}
}

func TestRelayPublishesEachRowOnce(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	b := bustest.Open(t)
	ensureStreams(t, b)
	reg := prometheus.NewRegistry()
	enqueue(t, pool, "ZTO", 300)
	startRelay(t, pool, b.Conn, bus.RelayOptions{BatchSize: 64, Metrics: reg})
	enqueue(t, pool, "YTO", 200) // rows written while it runs are picked up too
	eventually(t, 10*time.Second, "outbox drained", func() bool { return unsent(t, pool) == 0 })
	ids := streamIDs(t, b.JS, bus.StreamParcels)
	if len(ids) != 500 {
		t.Fatalf("%d distinct ids in the stream, want 500", len(ids))
	}
	for id, n := range ids {
		if n != 1 {
			t.Fatalf("id %s stored %d times", id, n)
		}
	}
	eventually(t, 2*time.Second, "published_total reaches 500", func() bool {
		return gauge(t, reg, "tongpei_outbox_published_total") == 500
	})
}

func TestRelayLosesNothingWhileNATSIsDown(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	srv := bustest.StartServer(t)
	b, err := bus.Open(context.Background(), bus.Config{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	ensureStreams(t, b)
	reg := prometheus.NewRegistry()
	startRelay(t, pool, b.Conn, bus.RelayOptions{BatchSize: 50, MaxBackoff: 200 * time.Millisecond, AckTimeout: time.Second, Metrics: reg})

	// Keep writing events before, during and after the outage.
	var wg sync.WaitGroup
	stopWriting := make(chan struct{})
	written := make(chan int, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		n := 0
		for {
			select {
			case <-stopWriting:
				written <- n
				return
			default:
			}
			if _, err := tryEnqueue(pool, "ZTO", 20); err != nil {
				t.Error(err)
				written <- n
				return
			}
			n += 20
			time.Sleep(5 * time.Millisecond)
		}
	}()
	eventually(t, 10*time.Second, "events flowing", func() bool { return streamMsgs(t, b.JS, bus.StreamParcels) > 100 })
	srv.Stop()
	eventually(t, 10*time.Second, "backlog metric grows while NATS is down", func() bool {
		return gauge(t, reg, "tongpei_outbox_backlog") > 50
	})
	srv.Start()
	close(stopWriting)
	wg.Wait()
	total := <-written
	eventually(t, 20*time.Second, "outbox drained after the outage", func() bool { return unsent(t, pool) == 0 })
	ids := streamIDs(t, b.JS, bus.StreamParcels)
	if len(ids) != total {
		t.Fatalf("%d distinct ids in the stream, %d written", len(ids), total)
	}
	if msgs := streamMsgs(t, b.JS, bus.StreamParcels); msgs != uint64(total) {
		t.Fatalf("%d messages in the stream for %d events: some twice", msgs, total)
	}
	eventually(t, 5*time.Second, "backlog metric back to 0", func() bool { return gauge(t, reg, "tongpei_outbox_backlog") == 0 })
}

func TestTwoRelaysPublishNothingTwice(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	b := bustest.Open(t)
	ensureStreams(t, b)
	startRelay(t, pool, b.Conn, bus.RelayOptions{BatchSize: 25})
	startRelay(t, pool, b.Conn, bus.RelayOptions{BatchSize: 25})
	for range 20 {
		enqueue(t, pool, "SF", 50)
	}
	eventually(t, 10*time.Second, "outbox drained", func() bool { return unsent(t, pool) == 0 })
	ids := streamIDs(t, b.JS, bus.StreamParcels)
	if len(ids) != 1000 || streamMsgs(t, b.JS, bus.StreamParcels) != 1000 {
		t.Fatalf("%d distinct ids, %d messages; want 1000 of each", len(ids), streamMsgs(t, b.JS, bus.StreamParcels))
	}
}

func TestRelayStopIsIdempotent(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	b := bustest.Open(t)
	r := startRelay(t, pool, b.Conn, bus.RelayOptions{})
	r.Stop()
	r.Stop()
	if err := r.Start(context.Background()); err == nil {
		t.Fatal("a stopped relay started again")
	}
}

// A relay that died after publishing but before marking the rows sent
// leaves them for the next one, which publishes them again: JetStream keeps
// one copy of each.
func TestRelayAfterACrashPublishesNothingTwice(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	b := bustest.Open(t)
	ensureStreams(t, b)
	ids := enqueue(t, pool, "ZTO", 100)
	for _, id := range ids[:60] { // what the dead relay got out
		msg := &nats.Msg{Subject: "tongpei.parcel.ZTO.hub_inbound", Data: []byte(`{}`)}
		if _, err := b.JS.PublishMsg(context.Background(), msg, jetstream.WithMsgID(id.String())); err != nil {
			t.Fatal(err)
		}
	}
	startRelay(t, pool, b.Conn, bus.RelayOptions{})
	eventually(t, 10*time.Second, "outbox drained", func() bool { return unsent(t, pool) == 0 })
	if n := streamMsgs(t, b.JS, bus.StreamParcels); n != 100 {
		t.Fatalf("%d messages for 100 events", n)
	}
}

// JetStream rebuilds its deduplication window from the store when it
// restarts, so a relay republishing after the embedded server (and the API
// process with it) died stores nothing twice.
func TestDeduplicationSurvivesARestart(t *testing.T) {
	t.Parallel()
	srv := bustest.StartServer(t)
	b, err := bus.Open(context.Background(), bus.Config{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	ensureStreams(t, b)
	id := uuid.NewString()
	pub := func() (*jetstream.PubAck, error) {
		return b.JS.Publish(context.Background(), "tongpei.parcel.ZTO.hub_inbound", []byte(`{}`), jetstream.WithMsgID(id))
	}
	if _, err := pub(); err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	srv.Start()
	eventually(t, 10*time.Second, "reconnected", func() bool { return b.Ping(context.Background()) == nil })
	ack, err := pub()
	if err != nil {
		t.Fatal(err)
	}
	if !ack.Duplicate || streamMsgs(t, b.JS, bus.StreamParcels) != 1 {
		t.Fatalf("after a restart the same id was stored again: %+v", ack)
	}
}

func TestEnqueueRefusesSubjectsNoStreamHolds(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	for _, subj := range []string{"tongpei.pricing.quoted", "tongpei.parcel..x", "tongpei.parcel.*.x", "tongpei.parcel.A B.x", "tongpei.parcel.", "tongpei.parcel.>"} {
		err := pgx.BeginFunc(context.Background(), pool, func(tx pgx.Tx) error {
			return bus.Enqueue(context.Background(), tx, bus.Event{ID: uuid.New(), Subject: subj, Payload: 1})
		})
		if err == nil {
			t.Errorf("%q was enqueued", subj)
		}
	}
}

// A row JetStream refuses (written past Enqueue's checks) stays unsent and
// counted as an error, and the rows after it, then and later, still go out
// at once.
func TestRelaySkipsAPoisonRow(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	b := bustest.Open(t)
	ensureStreams(t, b)
	_, err := pool.Exec(context.Background(), `
		INSERT INTO outbox (id, subject, payload) VALUES
		(gen_random_uuid(), 'tongpei.parcel.A B.x', '{}'),
		(gen_random_uuid(), 'tongpei.parcel.ZTO.big', jsonb_build_object('x', repeat('x', 2000000)))`)
	if err != nil {
		t.Fatal(err)
	}
	enqueue(t, pool, "ZTO", 30)
	reg := prometheus.NewRegistry()
	startRelay(t, pool, b.Conn, bus.RelayOptions{Metrics: reg})
	eventually(t, 5*time.Second, "the good rows published", func() bool { return streamMsgs(t, b.JS, bus.StreamParcels) == 30 })
	enqueue(t, pool, "ZTO", 10)
	eventually(t, 3*time.Second, "later rows published without a back-off", func() bool { return streamMsgs(t, b.JS, bus.StreamParcels) == 40 })
	eventually(t, 3*time.Second, "only the 2 poison rows left unsent", func() bool { return unsent(t, pool) == 2 })
	if n := gauge(t, reg, "tongpei_outbox_publish_errors_total"); n != 2 {
		t.Fatalf("publish errors %v, want 2: parked rows are not retried at once", n)
	}
}
