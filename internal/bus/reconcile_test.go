package bus_test

import (
	"context"
	"github.com/jackc/pgx/v5/pgxpool"
	"os"
	"testing"
	"time"

	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/bus/bustest"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

// TestReconcileAfterTheStoreIsLost publishes 2,000 events, deletes the
// JetStream store (a lost disk) and restarts NATS: the stream is empty.
// Reconciliation finds every event lost, the relay publishes them again
// under their ids, and the stream holds each exactly once; a second
// reconciliation finds nothing to do.
func TestReconcileAfterTheStoreIsLost(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, srv, b := relayedBus(t)
	var ids []string
	for range 4 {
		for _, id := range enqueue(t, pool, "SF", 500) {
			ids = append(ids, id.String())
		}
	}
	eventually(t, 30*time.Second, "all 2,000 published", func() bool { return unsent(t, pool) == 0 })
	time.Sleep(1100 * time.Millisecond) // Reconcile looks only at events sent a second ago or more
	var withSeq int
	if err := pool.QueryRow(ctx, `SELECT count(DISTINCT stream_seq) FROM outbox WHERE stream = $1`, bus.StreamParcels).Scan(&withSeq); err != nil {
		t.Fatal(err)
	}
	if withSeq != len(ids) {
		t.Fatalf("%d events carry their stream sequence, want %d", withSeq, len(ids))
	}
	rep, err := bus.Reconcile(ctx, pool, b.JS, time.Now().Add(-time.Hour))
	if err != nil || rep.Republished != 0 || rep.Checked != len(ids) {
		t.Fatalf("with the stream intact: %+v %v, want %d checked and none republished", rep, err, len(ids))
	}

	srv.Stop()
	if err := os.RemoveAll(srv.StoreDir()); err != nil {
		t.Fatal(err)
	}
	srv.Start()
	eventually(t, 10*time.Second, "reconnected", func() bool { return b.Ping(ctx) == nil })
	ensureStreams(t, b) // as serve does on start
	if n := streamMsgs(t, b.JS, bus.StreamParcels); n != 0 {
		t.Fatalf("the new stream holds %d messages", n)
	}

	rep, err = bus.Reconcile(ctx, pool, b.JS, time.Now().Add(-time.Hour))
	if err != nil || rep.Republished != len(ids) {
		t.Fatalf("after the store was lost: %+v %v, want all %d republished", rep, err, len(ids))
	}
	eventually(t, 30*time.Second, "all republished", func() bool {
		return unsent(t, pool) == 0 && streamMsgs(t, b.JS, bus.StreamParcels) == uint64(len(ids))
	})
	seen := streamIDs(t, b.JS, bus.StreamParcels)
	for _, id := range ids {
		if seen[id] != 1 {
			t.Fatalf("event %s is in the stream %d times, want once", id, seen[id])
		}
	}
	rep, err = bus.Reconcile(ctx, pool, b.JS, time.Now().Add(-time.Hour))
	if err != nil || rep.Republished != 0 {
		t.Fatalf("reconciling again: %+v %v, want nothing republished", rep, err)
	}
}

// TestReconcileFindsDeletedMessages deletes messages inside the stream and
// at its tail (a store that lost blocks) and restarts NATS: reconciliation marks exactly those
// events unsent, from the stream's state and the outbox alone, and the relay
// puts each back once.
func TestReconcileFindsDeletedMessages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, srv, b := relayedBus(t)
	var ids []string
	for _, id := range enqueue(t, pool, "SF", 300) {
		ids = append(ids, id.String())
	}
	eventually(t, 30*time.Second, "all 300 published", func() bool { return unsent(t, pool) == 0 })
	time.Sleep(1100 * time.Millisecond)
	stream, err := b.JS.Stream(ctx, bus.StreamParcels)
	if err != nil {
		t.Fatal(err)
	}
	info, err := stream.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	last := info.State.LastSeq
	gone := []uint64{info.State.FirstSeq + 7, info.State.FirstSeq + 150, last - 1, last}
	for _, seq := range gone {
		if err := stream.DeleteMsg(ctx, seq); err != nil {
			t.Fatal(err)
		}
	}
	// A restart rebuilds JetStream's duplicate window from the messages it
	// holds, as after a real loss; without it the deleted ids would still be
	// "seen" there for two minutes and their republication dropped.
	srv.Stop()
	srv.Start()
	eventually(t, 10*time.Second, "reconnected", func() bool { return b.Ping(ctx) == nil })
	rep, err := bus.Reconcile(ctx, pool, b.JS, time.Now().Add(-time.Hour))
	if err != nil || rep.Republished != len(gone) || rep.Checked != len(ids) {
		t.Fatalf("after %d messages were deleted: %+v %v, want %d republished of %d", len(gone), rep, err, len(gone), len(ids))
	}
	eventually(t, 30*time.Second, "republished", func() bool {
		return unsent(t, pool) == 0 && streamMsgs(t, b.JS, bus.StreamParcels) == uint64(len(ids))
	})
	seen := streamIDs(t, b.JS, bus.StreamParcels)
	for _, id := range ids {
		if seen[id] != 1 {
			t.Fatalf("event %s is in the stream %d times, want once", id, seen[id])
		}
	}
	time.Sleep(1100 * time.Millisecond)
	if rep, err = bus.Reconcile(ctx, pool, b.JS, time.Now().Add(-time.Hour)); err != nil || rep.Republished != 0 {
		t.Fatalf("reconciling again: %+v %v, want nothing republished", rep, err)
	}
}

// relayedBus is a test database, a NATS server of the test's own with
// tongpei's streams, and the outbox relay publishing to it.
func relayedBus(t *testing.T) (*pgxpool.Pool, *bustest.Server, *bus.Bus) {
	t.Helper()
	pool := pgtest.Pool(t)
	srv := bustest.StartServer(t)
	b, err := bus.Open(context.Background(), bus.Config{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	ensureStreams(t, b)
	startRelay(t, pool, b.Conn, bus.RelayOptions{PollInterval: 10 * time.Millisecond})
	return pool, srv, b
}
