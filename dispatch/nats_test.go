package dispatch

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/bus/bustest"
)

// received records what one carrier's own NATS login got.
type received struct {
	mu   sync.Mutex
	msgs []*nats.Msg
}

func (r *received) add(m *nats.Msg) {
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	r.mu.Unlock()
}

func (r *received) snapshot() []*nats.Msg {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*nats.Msg(nil), r.msgs...)
}

// TestCarriersReceiveTheirJobs goes the whole way: publish → outbox →
// relay → JetStream → each carrier's own login. A carrier gets exactly its
// pickup job, once, nothing of another carrier's; an unacknowledged job
// comes again with the same job id.
func TestCarriersReceiveTheirJobs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tc := newTestCounty(t)
	creds := bus.NewCarrierCredentials(tc.pool)
	b := bustest.OpenWith(t, bus.Config{Auth: bus.NewAuthenticator(creds, nil)})
	creds.SetURL(b.Server.ClientURL())
	if err := bus.EnsureStreams(ctx, b.JS); err != nil {
		t.Fatal(err)
	}
	got := map[string]*received{}
	conns := map[string]*nats.Conn{}
	for _, c := range []string{"ZTO", "YTO"} {
		cred, err := creds.Issue(ctx, c, "test")
		if err != nil {
			t.Fatal(err)
		}
		nc, err := nats.Connect(cred.URL, nats.UserInfo(cred.User, cred.Password), nats.CustomInboxPrefix(cred.Subjects.InboxPrefix))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(nc.Close)
		conns[c] = nc
		r := &received{}
		got[c] = r
		if _, err := nc.Subscribe("tongpei.dispatch."+c+".>", r.add); err != nil {
			t.Fatal(err)
		}
		if err := nc.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	relay, err := bus.NewRelay(tc.pool, b.Conn, bus.RelayOptions{PollInterval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := relay.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer relay.Stop()
	consumer := bus.NewConsumer(b.JS, tc.store.ApplyCarrierEvent, bus.ConsumerOptions{})
	if err := consumer.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer consumer.Stop()

	tc.loadDay(t, demo.GenerateDay(demo.DayOptions{Date: testDate, Seed: 11, Down: 120, Up: 60}))
	plan, err := tc.store.CreatePlan(ctx, PlanOptions{ServiceDate: "2026-12-01", TimeLimit: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := tc.store.Publish(ctx, plan.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{} // carrier → its pickup job id
	for _, j := range jobs {
		if j.Kind == "pickup" {
			want[j.Recipient] = j.ID.String()
		}
	}
	waitFor := func(c string, n int) []*nats.Msg {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			msgs := got[c].snapshot()
			if len(msgs) >= n || time.Now().After(deadline) {
				return msgs
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	for c := range got {
		msgs := waitFor(c, 1)
		if len(msgs) != 1 {
			t.Fatalf("%s received %d messages, want its one pickup job", c, len(msgs))
		}
		var p PickupJob
		if err := json.Unmarshal(msgs[0].Data, &p); err != nil || p.JobID.String() != want[c] {
			t.Fatalf("%s received %s (%v), want job %s", c, msgs[0].Data, err, want[c])
		}
		if msgs[0].Subject != "tongpei.dispatch."+c+".pickup" {
			t.Errorf("%s received on %s", c, msgs[0].Subject)
		}
	}
	// ZTO acknowledges over NATS with its own login; YTO does not and is
	// sent its job again.
	ack, _ := json.Marshal(map[string]string{"id": uuid.NewString(), "job_id": want["ZTO"]})
	js, err := jetstream.New(conns["ZTO"])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(ctx, "tongpei.carrier.ZTO.ack", ack); err != nil {
		t.Fatal(err)
	}
	f := false
	deadline := time.Now().Add(10 * time.Second)
	for {
		left, err := tc.store.Jobs(ctx, JobFilter{Recipient: "ZTO", Acked: &f})
		if err != nil {
			t.Fatal(err)
		}
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("ZTO's ack on tongpei.carrier.ZTO.ack was not applied within 10 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := tc.store.Resend(ctx, 0); err != nil {
		t.Fatal(err)
	}
	msgs := waitFor("YTO", 2)
	if len(msgs) != 2 {
		t.Fatalf("YTO received %d messages after a resend, want 2", len(msgs))
	}
	var p PickupJob
	if err := json.Unmarshal(msgs[1].Data, &p); err != nil || p.JobID.String() != want["YTO"] || p.Sends != 2 {
		t.Fatalf("the resend %s is not the same job sent twice (%v)", msgs[1].Data, err)
	}
	if n := len(got["ZTO"].snapshot()); n != 1 {
		t.Errorf("ZTO received %d messages; its acknowledged job must not come again", n)
	}
}
