package bus_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/bus/bustest"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

// carrierConn is a carrier's own connection, recording the server's
// asynchronous errors (permission violations).
type carrierConn struct {
	*nats.Conn
	mu   sync.Mutex
	errs []string
}

func (c *carrierConn) violations() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.errs, "\n")
}

func connectCarrier(t testing.TB, cred bus.CarrierCredential, extra ...nats.Option) (*carrierConn, error) {
	t.Helper()
	cc := &carrierConn{}
	opts := append([]nats.Option{
		nats.UserInfo(cred.User, cred.Password),
		nats.CustomInboxPrefix(cred.Subjects.InboxPrefix),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			cc.mu.Lock()
			cc.errs = append(cc.errs, err.Error())
			cc.mu.Unlock()
		}),
	}, extra...)
	nc, err := nats.Connect(cred.URL, opts...)
	if err != nil {
		return nil, err
	}
	cc.Conn = nc
	t.Cleanup(nc.Close)
	return cc, nil
}

func TestCarriersReachOnlyTheirOwnSubjects(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	creds := bus.NewCarrierCredentials(pgtest.Pool(t))
	b := bustest.OpenWith(t, bus.Config{Auth: bus.NewAuthenticator(creds, nil)})
	creds.SetURL(b.Server.ClientURL())
	ensureStreams(t, b)
	zto, err := creds.Issue(ctx, "ZTO", "test")
	if err != nil {
		t.Fatal(err)
	}
	checkCarrierIsolation(t, b, zto)
}

// checkCarrierIsolation connects as ZTO and checks that it reaches its own
// subjects and nothing of YTO's; the streams must be empty. It leaves two
// parcel events (no Nats-Msg-Id), one dispatch job and two reports of ZTO's
// without an event id.
func checkCarrierIsolation(t *testing.T, b *bus.Bus, zto bus.CarrierCredential) {
	t.Helper()
	ctx := context.Background()
	a, err := connectCarrier(t, zto)
	if err != nil {
		t.Fatal(err)
	}

	own, err := a.SubscribeSync("tongpei.parcel.ZTO.>")
	if err != nil {
		t.Fatal(err)
	}
	ownJobs, _ := a.SubscribeSync("tongpei.dispatch.ZTO.>")
	others, _ := a.SubscribeSync("tongpei.parcel.YTO.>")
	everyone, _ := a.SubscribeSync("tongpei.parcel.>")
	inboxes, _ := a.SubscribeSync("_INBOX.>")
	if err := a.Publish("tongpei.carrier.YTO.manifest", []byte(`{}`)); err != nil { // posing as YTO
		t.Fatal(err)
	}
	if err := a.Flush(); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "four permission violations reported", func() bool {
		v := a.violations()
		return strings.Count(strings.ToLower(v), "permissions violation for") >= 4
	})
	v := a.violations()
	for _, want := range []string{
		`subscription to "tongpei.parcel.YTO.>"`, `subscription to "tongpei.parcel.>"`,
		`subscription to "_INBOX.>"`, `publish to "tongpei.carrier.YTO.manifest"`,
	} {
		if !strings.Contains(strings.ToLower(v), strings.ToLower(want)) {
			t.Errorf("no violation for %s in:\n%s", want, v)
		}
	}

	// A aims JetStream's acknowledgement of its own report at B's subject:
	// the ack must not reach B nor B's stream.
	spy, err := b.Conn.SubscribeSync("tongpei.parcel.YTO.>")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Conn.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := a.PublishMsg(&nats.Msg{Subject: "tongpei.carrier.ZTO.report", Reply: "tongpei.parcel.YTO.spoofed", Data: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if err := a.Flush(); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "the report stored", func() bool { return streamMsgs(t, b.JS, bus.StreamCarrier) == 1 })

	// The centre publishes for both carriers; A sees only its own.
	for _, subj := range []string{"tongpei.parcel.YTO.hub_inbound", "tongpei.parcel.ZTO.hub_inbound", "tongpei.dispatch.ZTO.job-1"} {
		if _, err := b.JS.Publish(ctx, subj, []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
	}
	if m, err := own.NextMsg(2 * time.Second); err != nil || m.Subject != "tongpei.parcel.ZTO.hub_inbound" {
		t.Fatalf("own parcel event: %v %v", m, err)
	}
	if _, err := ownJobs.NextMsg(2 * time.Second); err != nil {
		t.Fatalf("own dispatch job: %v", err)
	}
	if m, err := spy.NextMsg(2 * time.Second); err != nil || m.Subject != "tongpei.parcel.YTO.hub_inbound" {
		t.Fatalf("B's subject got %v (%v) before B's real event", m, err)
	}
	for _, s := range []*nats.Subscription{others, everyone, inboxes} {
		if m, err := s.NextMsg(100 * time.Millisecond); err == nil {
			t.Errorf("%s received %s", s.Subject, m.Subject)
		}
	}

	// A reports on its own subject, acknowledged by JetStream through its
	// own inbox; nothing it tried as YTO was stored.
	js, err := jetstream.New(a.Conn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(ctx, "tongpei.carrier.ZTO.manifest", []byte(`{}`)); err != nil {
		t.Fatalf("own report: %v", err)
	}
	if n := streamMsgs(t, b.JS, bus.StreamCarrier); n != 2 {
		t.Fatalf("%d messages in %s, want A's own two", n, bus.StreamCarrier)
	}
	if n := streamMsgs(t, b.JS, bus.StreamParcels); n != 2 {
		t.Fatalf("%d messages in %s, want the centre's two", n, bus.StreamParcels)
	}
	// No JetStream API: A cannot make a consumer over B's subjects.
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if _, err := js.CreateOrUpdateConsumer(short, bus.StreamParcels, jetstream.ConsumerConfig{FilterSubject: "tongpei.parcel.YTO.>"}); err == nil {
		t.Fatal("a carrier created a JetStream consumer")
	}
}

func TestCarrierLoginsAreCheckedAndRevocable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	creds := bus.NewCarrierCredentials(pgtest.Pool(t))
	b := bustest.OpenWith(t, bus.Config{Auth: bus.NewAuthenticator(creds, nil)})
	creds.SetURL(b.Server.ClientURL())
	creds.OnRevoke(func(carrier string) { b.DisconnectUser(carrier) })
	zto, err := creds.Issue(ctx, "ZTO", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := creds.Issue(ctx, "ZT.O", ""); err == nil {
		t.Fatal("a carrier code with a dot got credentials")
	}
	wrong := zto
	wrong.Password += "x"
	if _, err := connectCarrier(t, wrong); err == nil {
		t.Fatal("a wrong password connected")
	}
	posing := zto
	posing.User = "YTO"
	if _, err := connectCarrier(t, posing); err == nil {
		t.Fatal("ZTO's password connected as YTO")
	}
	a, err := connectCarrier(t, zto, nats.NoReconnect())
	if err != nil {
		t.Fatal(err)
	}
	if err := creds.Revoke(ctx, "ZTO", zto.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "revoked login disconnected", a.IsClosed)
	if _, err := connectCarrier(t, zto); err == nil {
		t.Fatal("a revoked login connected")
	}
	list, err := creds.List(ctx, "ZTO")
	if err != nil || len(list) != 1 || list[0].RevokedAt == nil || list[0].Password != "" {
		t.Fatalf("list after revoke: %+v, %v", list, err)
	}
	if err := creds.Revoke(ctx, "YTO", zto.ID); err == nil {
		t.Fatal("revoked another carrier's login")
	}
	second, err := creds.Issue(ctx, "ZTO", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := connectCarrier(t, second); err != nil {
		t.Fatal(err)
	}
	if n, err := creds.RevokeAll(ctx, "ZTO"); err != nil || n != 1 {
		t.Fatalf("RevokeAll: %d, %v", n, err)
	}
	if _, err := connectCarrier(t, second); err == nil {
		t.Fatal("a login connected after RevokeAll")
	}
}
