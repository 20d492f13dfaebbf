package bus_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

// externalConfig is the configuration docs/nats-permissions.md gives for
// an external NATS, with plain-text passwords for the test.
const externalConfig = `
listen: 127.0.0.1:%d
jetstream { store_dir: %q }
accounts {
  TONGPEI {
    jetstream: enabled
    users: [ { user: tongpei, password: centre-secret } ]
    exports: [
      { service: "tongpei.carrier.>" }
      { stream: "tongpei.parcel.>" }
      { stream: "tongpei.dispatch.>" }
      { service: "$JS.API.CONSUMER.INFO.TONGPEI_PARCELS.*" }
      { service: "$JS.API.CONSUMER.MSG.NEXT.TONGPEI_PARCELS.*", response_type: stream }
      { service: "$JS.ACK.TONGPEI_PARCELS.>" }
      { service: "$JS.API.CONSUMER.INFO.TONGPEI_DISPATCH.*" }
      { service: "$JS.API.CONSUMER.MSG.NEXT.TONGPEI_DISPATCH.*", response_type: stream }
      { service: "$JS.ACK.TONGPEI_DISPATCH.>" }
    ]
  }
  CARRIER_ZTO {
    users: [ { user: ZTO, password: zto-secret, permissions: {
      publish:   { allow: ["tongpei.carrier.ZTO.>",
        "$JS.API.CONSUMER.INFO.TONGPEI_PARCELS.carrier_ZTO", "$JS.API.CONSUMER.MSG.NEXT.TONGPEI_PARCELS.carrier_ZTO", "$JS.ACK.TONGPEI_PARCELS.carrier_ZTO.>",
        "$JS.API.CONSUMER.INFO.TONGPEI_DISPATCH.carrier_ZTO", "$JS.API.CONSUMER.MSG.NEXT.TONGPEI_DISPATCH.carrier_ZTO", "$JS.ACK.TONGPEI_DISPATCH.carrier_ZTO.>"] }
      subscribe: { allow: ["tongpei.parcel.ZTO.>", "tongpei.dispatch.ZTO.>", "_INBOX.ZTO.>"] }
    } } ]
    imports: [
      { service: { account: TONGPEI, subject: "tongpei.carrier.ZTO.>" } }
      { stream:  { account: TONGPEI, subject: "tongpei.parcel.ZTO.>" } }
      { stream:  { account: TONGPEI, subject: "tongpei.dispatch.ZTO.>" } }
      { service: { account: TONGPEI, subject: "$JS.API.CONSUMER.INFO.TONGPEI_PARCELS.carrier_ZTO" } }
      { service: { account: TONGPEI, subject: "$JS.API.CONSUMER.MSG.NEXT.TONGPEI_PARCELS.carrier_ZTO" } }
      { service: { account: TONGPEI, subject: "$JS.ACK.TONGPEI_PARCELS.carrier_ZTO.>" } }
      { service: { account: TONGPEI, subject: "$JS.API.CONSUMER.INFO.TONGPEI_DISPATCH.carrier_ZTO" } }
      { service: { account: TONGPEI, subject: "$JS.API.CONSUMER.MSG.NEXT.TONGPEI_DISPATCH.carrier_ZTO" } }
      { service: { account: TONGPEI, subject: "$JS.ACK.TONGPEI_DISPATCH.carrier_ZTO.>" } }
    ]
  }
  CARRIER_YTO {
    users: [ { user: YTO, password: yto-secret, permissions: {
      publish:   { allow: ["tongpei.carrier.YTO.>",
        "$JS.API.CONSUMER.INFO.TONGPEI_PARCELS.carrier_YTO", "$JS.API.CONSUMER.MSG.NEXT.TONGPEI_PARCELS.carrier_YTO", "$JS.ACK.TONGPEI_PARCELS.carrier_YTO.>",
        "$JS.API.CONSUMER.INFO.TONGPEI_DISPATCH.carrier_YTO", "$JS.API.CONSUMER.MSG.NEXT.TONGPEI_DISPATCH.carrier_YTO", "$JS.ACK.TONGPEI_DISPATCH.carrier_YTO.>"] }
      subscribe: { allow: ["tongpei.parcel.YTO.>", "tongpei.dispatch.YTO.>", "_INBOX.YTO.>"] }
    } } ]
    imports: [
      { service: { account: TONGPEI, subject: "tongpei.carrier.YTO.>" } }
      { stream:  { account: TONGPEI, subject: "tongpei.parcel.YTO.>" } }
      { stream:  { account: TONGPEI, subject: "tongpei.dispatch.YTO.>" } }
      { service: { account: TONGPEI, subject: "$JS.API.CONSUMER.INFO.TONGPEI_PARCELS.carrier_YTO" } }
      { service: { account: TONGPEI, subject: "$JS.API.CONSUMER.MSG.NEXT.TONGPEI_PARCELS.carrier_YTO" } }
      { service: { account: TONGPEI, subject: "$JS.ACK.TONGPEI_PARCELS.carrier_YTO.>" } }
      { service: { account: TONGPEI, subject: "$JS.API.CONSUMER.INFO.TONGPEI_DISPATCH.carrier_YTO" } }
      { service: { account: TONGPEI, subject: "$JS.API.CONSUMER.MSG.NEXT.TONGPEI_DISPATCH.carrier_YTO" } }
      { service: { account: TONGPEI, subject: "$JS.ACK.TONGPEI_DISPATCH.carrier_YTO.>" } }
    ]
  }
}
`

// startMachineNATS runs the machine's own nats-server binary (Debian's
// 2.9) with the documented configuration, on a free port.
func startMachineNATS(t *testing.T) (port int) {
	t.Helper()
	bin, err := exec.LookPath("nats-server")
	if err != nil {
		t.Skip("no nats-server binary on this machine")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	dir := t.TempDir()
	conf := filepath.Join(dir, "nats.conf")
	if err := os.WriteFile(conf, fmt.Appendf(nil, externalConfig, port, filepath.Join(dir, "js")), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-c", conf)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	eventually(t, 10*time.Second, "nats-server accepts connections", func() bool {
		c, err := net.Dial("tcp", l.Addr().String())
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	return port
}

// The streams, the relay, the consumer and the documented carrier
// permissions work on the machine's nats-server 2.9 as on the embedded one.
func TestOnTheMachinesNATSServer(t *testing.T) {
	t.Parallel()
	port := startMachineNATS(t)
	url := fmt.Sprintf("nats://127.0.0.1:%d", port)
	b, err := bus.Open(context.Background(), bus.Config{URL: fmt.Sprintf("nats://tongpei:centre-secret@127.0.0.1:%d", port)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	ensureStreams(t, b)
	ensureStreams(t, b)

	zto := bus.CarrierCredential{User: "ZTO", Password: "zto-secret", URL: url, Subjects: bus.CarrierSubjects("ZTO")}
	for _, c := range []string{"ZTO", "YTO"} {
		if err := bus.EnsureCarrierConsumers(context.Background(), b.JS, c); err != nil {
			t.Fatal(err)
		}
	}
	checkCarrierIsolation(t, b, zto)
	a, err := connectCarrier(t, zto)
	if err != nil {
		t.Fatal(err)
	}
	checkPull(t, b, a, zto, 1, 1, false) // what the isolation check published

	pool := pgtest.Pool(t)
	enqueue(t, pool, "ZTO", 120)
	startRelay(t, pool, b.Conn, bus.RelayOptions{BatchSize: 50})
	eventually(t, 10*time.Second, "outbox drained", func() bool { return unsent(t, pool) == 0 })
	ids := streamIDs(t, b.JS, bus.StreamParcels)
	delete(ids, "") // the isolation check's two messages
	if len(ids) != 120 {
		t.Fatalf("%d distinct ids in the stream, want 120", len(ids))
	}

	rec := newRecorder(nil)
	startConsumer(t, b, rec.handle)
	good := uuid.New()
	publish(t, b, "tongpei.carrier.ZTO.manifest", good.String(), `{"parcels":[]}`)
	publish(t, b, "tongpei.carrier.ZTO.manifest", uuid.NewString(), `not json`)
	// The isolation check's two reports had no id: dead-lettered as well.
	eventually(t, 10*time.Second, "good applied, bad dead-lettered", func() bool {
		return rec.callsOf(good) == 1 && len(dlq(t, b)) == 3
	})
}
