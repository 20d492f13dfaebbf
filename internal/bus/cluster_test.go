package bus_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/bus/bustest"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

// TestClusterR3KeepsEveryEventThroughANodeLoss is the province's promise: on
// a 3-node JetStream cluster with R3 streams, the outbox relay keeps
// publishing scans while the parcel stream's leader is stopped, and every
// event is stored once and reaches a durable consumer.
func TestClusterR3KeepsEveryEventThroughANodeLoss(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a 3-node cluster")
	}
	cl := bustest.StartCluster(t, 3)
	nodeLoss(t, cl.URL, func(leader string) {
		cl.Server(leader).Shutdown()
	}, func() { cl.WaitJetStream(t, 20*time.Second) })
}

// nodeLoss is the test on a cluster at url: kill stops the named server,
// settled waits until the cluster has re-formed without it.
func nodeLoss(t *testing.T, url string, kill func(leader string), settled func()) {
	const producers, batches, perBatch = 4, 50, 60 // 12000 events
	const total = producers * batches * perBatch
	ctx := context.Background()
	b, err := bus.Open(ctx, bus.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := bus.EnsureStreamsReplicas(ctx, b.JS, 3); err != nil {
		t.Fatal(err)
	}
	// A command run without the setting (reconcile) keeps R3.
	if err := bus.EnsureStreams(ctx, b.JS); err != nil {
		t.Fatal(err)
	}
	info := streamInfo(t, b.JS, bus.StreamParcels)
	if info.Config.Replicas != 3 || info.Cluster == nil || len(info.Cluster.Replicas) != 2 {
		t.Fatalf("parcel stream: replicas %d, cluster %+v; want R3 with a leader and 2 followers", info.Config.Replicas, info.Cluster)
	}

	// The consumer has its own connection to every node, as a carrier's would.
	cc, err := nats.Connect(url, nats.MaxReconnects(-1), nats.ReconnectWait(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close()
	cjs, err := jetstream.New(cc)
	if err != nil {
		t.Fatal(err)
	}
	cons, err := cjs.CreateOrUpdateConsumer(ctx, bus.StreamParcels, jetstream.ConsumerConfig{
		Durable: "province-test", AckPolicy: jetstream.AckExplicitPolicy, AckWait: 3 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	redelivered := 0
	third, all := make(chan struct{}), make(chan struct{})
	var thirdOnce, allOnce sync.Once
	cctx, err := cons.Consume(func(m jetstream.Msg) {
		id := m.Headers().Get(jetstream.MsgIDHeader)
		md, _ := m.Metadata()
		mu.Lock()
		seen[id]++
		if md != nil && md.NumDelivered > 1 {
			redelivered++
		}
		n := len(seen)
		mu.Unlock()
		_ = m.DoubleAck(ctx) // a lost ack is a redelivery, counted above
		if n >= total/4 {
			thirdOnce.Do(func() { close(third) })
		}
		if n == total {
			allOnce.Do(func() { close(all) })
		}
	}, jetstream.PullHeartbeat(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer cctx.Stop()

	pool := pgtest.Pool(t)
	relay, err := bus.NewRelay(pool, b.Conn, bus.RelayOptions{Logger: quiet, AckTimeout: 2 * time.Second, MaxBackoff: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := relay.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer relay.Stop()

	started := time.Now()
	var wg sync.WaitGroup
	var enqueued atomic.Int64
	errc := make(chan error, producers)
	// Producers write half their events, wait for the node loss, then the
	// rest: the relay publishes on both sides of it.
	killed := make(chan struct{})
	for range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range batches {
				if i == batches/2 {
					<-killed
				}
				if _, err := tryEnqueue(pool, "yunda", perBatch); err != nil {
					errc <- err
					return
				}
				enqueued.Add(perBatch)
			}
		}()
	}

	select {
	case <-third:
	case err := <-errc:
		t.Fatal(err)
	case <-time.After(30 * time.Second):
		t.Fatalf("only %d of %d events reached the consumer before the node loss", count(&mu, seen), total)
	}
	leader := streamInfo(t, b.JS, bus.StreamParcels).Cluster.Leader
	killedAt := count(&mu, seen)
	kill(leader)
	close(killed)
	t.Logf("stopped %s, the parcel stream's leader, after %d of %d events had arrived (%d enqueued)", leader, killedAt, total, enqueued.Load())

	wg.Wait()
	select {
	case err := <-errc:
		t.Fatal(err)
	default:
	}
	select {
	case <-all:
	case <-time.After(40 * time.Second):
		t.Fatalf("%d of %d events reached the consumer, %d rows unsent", count(&mu, seen), total, unsent(t, pool))
	}
	elapsed := time.Since(started)
	eventually(t, 10*time.Second, "the outbox is not fully marked sent", func() bool { return unsent(t, pool) == 0 })

	settled()
	stored := readAllIDs(t, b.JS, bus.StreamParcels, total)
	if len(stored) != total {
		t.Errorf("the stream holds %d distinct events, want %d", len(stored), total)
	}
	for id, n := range stored {
		if n != 1 {
			t.Errorf("event %s stored %d times", id, n)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	dups := 0
	for id, n := range seen {
		if stored[id] != 1 {
			t.Errorf("the consumer got %s, which the stream does not hold once", id)
		}
		dups += n - 1
	}
	// Explicit acks are at-least-once: an ack lost with the node comes
	// back as a redelivery (marked by its delivery count, and idempotent in
	// bus.Consumer); any other second copy would be a duplicate.
	if dups > redelivered {
		t.Errorf("the consumer got %d second copies but only %d redeliveries", dups, redelivered)
	}
	t.Logf("%d events in %v through R3 with a node lost: each stored once, %d redelivered to the consumer", total, elapsed.Round(time.Millisecond), redelivered)
}

func streamInfo(t testing.TB, js jetstream.JetStream, name string) *jetstream.StreamInfo {
	t.Helper()
	s, err := js.Stream(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func count(mu *sync.Mutex, m map[string]int) int {
	mu.Lock()
	defer mu.Unlock()
	return len(m)
}

// readAllIDs is streamIDs for a cluster that has just lost a node: a read
// that meets an election midway starts again.
func readAllIDs(t testing.TB, js jetstream.JetStream, stream string, total int) map[string]int {
	t.Helper()
	var err error
	for attempt := 0; attempt < 10; attempt++ {
		var seen map[string]int
		if seen, err = tryReadIDs(js, stream, total); err == nil {
			return seen
		}
		t.Logf("reading %s again: %v", stream, err)
	}
	t.Fatalf("reading %s: %v", stream, err)
	return nil
}

func tryReadIDs(js jetstream.JetStream, stream string, total int) (map[string]int, error) {
	ctx := context.Background()
	cons, err := js.OrderedConsumer(ctx, stream, jetstream.OrderedConsumerConfig{})
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for got := 0; got < total; {
		batch, err := cons.Fetch(min(500, total-got), jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			return nil, err
		}
		n := 0
		for m := range batch.Messages() {
			seen[m.Headers().Get(jetstream.MsgIDHeader)]++
			n++
		}
		if n == 0 {
			return nil, fmt.Errorf("read %d of %d messages: %v", got, total, batch.Error())
		}
		got += n
	}
	return seen, nil
}
