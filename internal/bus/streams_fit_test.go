package bus_test

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tongpei/tongpei/internal/bus"
)

// TestStreamsFitASmallStore: a JetStream store with room for less than the
// streams' usual bound (five times 2 GiB) still takes all five, each with
// a smaller bound, instead of refusing to start.
func TestStreamsFitASmallStore(t *testing.T) {
	t.Parallel()
	srv, err := server.NewServer(&server.Options{
		ServerName: "small", Host: "127.0.0.1", Port: -1, JetStream: true,
		JetStreamMaxStore: 2 << 30, StoreDir: t.TempDir(), NoSigs: true, NoLog: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Start()
	defer srv.Shutdown()
	if !srv.ReadyForConnections(5 * time.Second) {
		t.Fatal("NATS did not start")
	}
	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := bus.EnsureStreams(ctx, js); err != nil {
		t.Fatalf("streams on a 2 GiB store: %v", err)
	}
	var total int64
	for _, name := range []string{bus.StreamParcels, bus.StreamDispatch, bus.StreamCarrier, bus.StreamDLQ, bus.StreamNotify} {
		s, err := js.Stream(ctx, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		mb := s.CachedInfo().Config.MaxBytes
		if mb <= 0 || mb >= 2<<30 {
			t.Errorf("%s keeps MaxBytes %d on a 2 GiB store", name, mb)
		}
		total += mb
	}
	if total > 2<<30 {
		t.Errorf("the streams reserve %d bytes of a 2 GiB store", total)
	}
	// A second start (every serve calls it) changes nothing and succeeds.
	if err := bus.EnsureStreams(ctx, js); err != nil {
		t.Fatalf("second EnsureStreams: %v", err)
	}
}
