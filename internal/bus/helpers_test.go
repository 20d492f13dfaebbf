package bus_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tongpei/tongpei/internal/bus"
)

// quiet keeps the parts' logs out of test output.
var quiet = slog.New(slog.DiscardHandler)

// enqueue commits n events for carrier in one transaction and returns their ids.
func enqueue(t testing.TB, pool *pgxpool.Pool, carrier string, n int) []uuid.UUID {
	t.Helper()
	ids, err := tryEnqueue(pool, carrier, n)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// tryEnqueue is enqueue for goroutines other than the test's.
func tryEnqueue(pool *pgxpool.Pool, carrier string, n int) ([]uuid.UUID, error) {
	events := make([]bus.Event, n)
	ids := make([]uuid.UUID, n)
	for i := range events {
		ids[i] = uuid.New()
		events[i] = bus.Event{ID: ids[i], Subject: "tongpei.parcel." + carrier + ".hub_inbound",
			Payload: map[string]any{"id": ids[i], "n": i}}
	}
	err := pgx.BeginFunc(context.Background(), pool, func(tx pgx.Tx) error {
		return bus.Enqueue(context.Background(), tx, events...)
	})
	return ids, err
}

// eventually polls cond every 20 ms until it holds or the deadline passes.
func eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func unsent(t testing.TB, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE sent_at IS NULL`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func streamMsgs(t testing.TB, js jetstream.JetStream, stream string) uint64 {
	t.Helper()
	s, err := js.Stream(context.Background(), stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

// streamIDs reads every message of a stream and returns how often each
// Nats-Msg-Id occurs.
func streamIDs(t testing.TB, js jetstream.JetStream, stream string) map[string]int {
	t.Helper()
	ctx := context.Background()
	total := streamMsgs(t, js, stream)
	cons, err := js.OrderedConsumer(ctx, stream, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for got := uint64(0); got < total; {
		batch, err := cons.Fetch(int(min(500, total-got)), jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for m := range batch.Messages() {
			seen[m.Headers().Get(jetstream.MsgIDHeader)]++
			n++
		}
		if n == 0 {
			t.Fatalf("read %d of %d messages of %s: %v", got, total, stream, batch.Error())
		}
		got += uint64(n)
	}
	return seen
}

// gauge reads one metric's value from a registry.
func gauge(t testing.TB, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		m := mf.GetMetric()[0]
		if m.Gauge != nil {
			return m.Gauge.GetValue()
		}
		return m.Counter.GetValue()
	}
	t.Fatalf("no metric %s", name)
	return 0
}
