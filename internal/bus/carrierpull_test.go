package bus_test

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/bus/bustest"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

// A carrier that was away pulls what it missed from its durable consumer,
// acks it, and cannot pull from another carrier's.
func TestCarrierPullsWhatItMissed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	creds := bus.NewCarrierCredentials(pgtest.Pool(t))
	b := bustest.OpenWith(t, bus.Config{Auth: bus.NewAuthenticator(creds, quiet)})
	creds.SetURL(b.Server.ClientURL())
	ensureStreams(t, b)
	for _, subj := range []string{"tongpei.parcel.ZTO.hub_inbound", "tongpei.parcel.YTO.hub_inbound", "tongpei.parcel.ZTO.sorted", "tongpei.dispatch.ZTO.job-1"} {
		if _, err := b.JS.Publish(ctx, subj, []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
	}
	zto, err := creds.Issue(ctx, "ZTO", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(zto.Subjects.Consumers) != 2 {
		t.Fatalf("consumers %+v", zto.Subjects.Consumers)
	}
	a, err := connectCarrier(t, zto)
	if err != nil {
		t.Fatal(err)
	}
	checkPull(t, b, a, zto, 2, 1, true)
}

// checkPull pulls ZTO's parcel events and jobs, expecting parcels and
// jobs of them, acks them, and fails to reach YTO's consumer. With viaAPI it uses nats.go's consumer API, which
// first reads the consumer's info; without, the bare pull protocol, which
// works where the server does not answer info requests across accounts
// (nats-server 2.9).
func checkPull(t *testing.T, b *bus.Bus, a *carrierConn, zto bus.CarrierCredential, parcels, jobs int, viaAPI bool) {
	t.Helper()
	ctx := context.Background()
	js, err := jetstream.New(a.Conn)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{bus.StreamParcels: parcels, bus.StreamDispatch: jobs}
	for _, c := range zto.Subjects.Consumers {
		var n int
		if viaAPI {
			n = pullViaAPI(t, js, c)
		} else {
			n = pullBare(t, a, c)
		}
		if n != want[c.Stream] {
			t.Fatalf("%s: pulled %d, want %d", c.Stream, n, want[c.Stream])
		}
		mine, err := b.JS.Consumer(ctx, c.Stream, c.Name)
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, 5*time.Second, c.Name+" has nothing pending", func() bool {
			info, err := mine.Info(ctx)
			return err == nil && info.NumAckPending == 0 && info.NumPending == 0
		})
	}
	// YTO's consumer is out of reach, with either protocol.
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if _, err := js.Consumer(short, bus.StreamParcels, "carrier_YTO"); err == nil {
		t.Fatal("ZTO reached YTO's consumer")
	}
	if n := pullBare(t, a, bus.DurableConsumer{Stream: bus.StreamParcels, Name: "carrier_YTO"}); n != 0 {
		t.Fatalf("ZTO pulled %d of YTO's messages", n)
	}
}

func pullViaAPI(t *testing.T, js jetstream.JetStream, c bus.DurableConsumer) int {
	t.Helper()
	ctx := context.Background()
	cons, err := js.Consumer(ctx, c.Stream, c.Name)
	if err != nil {
		t.Fatalf("carrier's own consumer %s: %v", c.Name, err)
	}
	batch, err := cons.FetchNoWait(10)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for m := range batch.Messages() {
		if err := m.DoubleAck(ctx); err != nil {
			t.Fatalf("ack: %v", err)
		}
		n++
	}
	return n
}

// pullBare asks for up to 10 messages without waiting and acks each.
func pullBare(t *testing.T, a *carrierConn, c bus.DurableConsumer) int {
	t.Helper()
	inbox := a.NewInbox()
	sub, err := a.SubscribeSync(inbox)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	next := "$JS.API.CONSUMER.MSG.NEXT." + c.Stream + "." + c.Name
	if err := a.PublishRequest(next, inbox, []byte(`{"batch":10,"no_wait":true}`)); err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		m, err := sub.NextMsg(500 * time.Millisecond)
		if err != nil || m.Header.Get("Status") != "" {
			return n // 404/408: no more messages; a timeout: no answer at all
		}
		if err := m.Respond([]byte("+ACK")); err != nil {
			t.Fatal(err)
		}
		n++
	}
}
