package bus_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/bus/bustest"
	"github.com/tongpei/tongpei/internal/errs"
)

// recorder is a handler that applies each event id once, as the domain's
// handler must, and fails on demand.
type recorder struct {
	mu      sync.Mutex
	calls   map[uuid.UUID]int
	applied map[uuid.UUID]string // id → carrier/kind
	fail    func(id uuid.UUID, call int) error
}

func newRecorder(fail func(uuid.UUID, int) error) *recorder {
	return &recorder{calls: map[uuid.UUID]int{}, applied: map[uuid.UUID]string{}, fail: fail}
}

func (r *recorder) handle(_ context.Context, carrier string, id uuid.UUID, kind string, _ json.RawMessage) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls[id]++
	if r.fail != nil {
		if err := r.fail(id, r.calls[id]); err != nil {
			return err
		}
	}
	if _, done := r.applied[id]; !done {
		r.applied[id] = carrier + "/" + kind
	}
	return nil
}

func (r *recorder) callsOf(id uuid.UUID) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[id]
}

func startConsumer(t testing.TB, b *bus.Bus, h bus.CarrierHandler, reg ...*prometheus.Registry) {
	t.Helper()
	opts := bus.ConsumerOptions{}
	if len(reg) > 0 {
		opts.Metrics = reg[0]
	}
	startConsumerWith(t, b, h, opts)
}

// startConsumerWith starts a consumer with opts and the tests' quick retries.
func startConsumerWith(t testing.TB, b *bus.Bus, h bus.CarrierHandler, opts bus.ConsumerOptions) {
	t.Helper()
	opts.MaxDeliver, opts.RetryDelay, opts.HandlerTimeout, opts.Logger = 3, 20*time.Millisecond, 5*time.Second, quiet
	c := bus.NewConsumer(b.JS, h, opts)
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
}

func publish(t testing.TB, b *bus.Bus, subject, msgID, body string) {
	t.Helper()
	m := &nats.Msg{Subject: subject, Data: []byte(body), Header: nats.Header{}}
	var opts []jetstream.PublishOpt
	if msgID != "" {
		opts = append(opts, jetstream.WithMsgID(msgID))
	}
	if _, err := b.JS.PublishMsg(context.Background(), m, opts...); err != nil {
		t.Fatal(err)
	}
}

// settled reports that the consumer has nothing pending and nothing unacked.
func settled(t testing.TB, b *bus.Bus) bool {
	t.Helper()
	c, err := b.JS.Consumer(context.Background(), bus.StreamCarrier, "tongpei-carrier-events")
	if err != nil {
		t.Fatal(err)
	}
	info, err := c.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.NumPending == 0 && info.NumAckPending == 0 && info.NumRedelivered == 0
}

type dead struct{ subject, reason, body string }

func dlq(t testing.TB, b *bus.Bus) []dead {
	t.Helper()
	total := streamMsgs(t, b.JS, bus.StreamDLQ)
	if total == 0 {
		return nil
	}
	cons, err := b.JS.OrderedConsumer(context.Background(), bus.StreamDLQ, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := cons.Fetch(int(total), jetstream.FetchMaxWait(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var out []dead
	for m := range batch.Messages() {
		out = append(out, dead{m.Subject(), m.Headers().Get(bus.HeaderDLQReason), string(m.Data())})
	}
	return out
}

func TestConsumerAppliesOnceThroughRetriesAndDuplicates(t *testing.T) {
	t.Parallel()
	b := bustest.Open(t)
	ensureStreams(t, b)
	flaky := uuid.New()
	rec := newRecorder(func(id uuid.UUID, call int) error {
		if id == flaky && call == 1 {
			return errors.New("database busy")
		}
		return nil
	})
	startConsumer(t, b, rec.handle)
	plain := uuid.New()
	publish(t, b, "tongpei.carrier.ZTO.manifest", flaky.String(), `{"parcels":[]}`)
	publish(t, b, "tongpei.carrier.ZTO.manifest", plain.String(), `{"parcels":[]}`)
	publish(t, b, "tongpei.carrier.ZTO.manifest", plain.String(), `{"parcels":[]}`) // deduplicated by JetStream
	bodyOnly := uuid.New()
	publish(t, b, "tongpei.carrier.YTO.collected", "", `{"id":"`+bodyOnly.String()+`"}`)

	eventually(t, 10*time.Second, "all applied", func() bool {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		return len(rec.applied) == 3
	})
	eventually(t, 10*time.Second, "consumer settled", func() bool { return settled(t, b) })
	if n := rec.callsOf(flaky); n != 2 {
		t.Errorf("flaky event handled %d times, want 2 (one failure, one success)", n)
	}
	if n := rec.callsOf(plain); n != 1 {
		t.Errorf("duplicate publish reached the handler %d times", n)
	}
	if got := rec.applied[bodyOnly]; got != "YTO/collected" {
		t.Errorf("id from the body: applied as %q", got)
	}
	if d := dlq(t, b); len(d) != 0 {
		t.Errorf("good messages dead-lettered: %+v", d)
	}
}

func TestConsumerDeadLettersWhatItCannotApply(t *testing.T) {
	t.Parallel()
	b := bustest.Open(t)
	ensureStreams(t, b)
	refused, stuck := uuid.New(), uuid.New()
	rec := newRecorder(func(id uuid.UUID, _ int) error {
		switch id {
		case refused:
			return errs.E(errs.Forbidden, "parcel 123 belongs to another carrier")
		case stuck:
			return errors.New("still busy")
		}
		return nil
	})
	reg := prometheus.NewRegistry()
	startConsumer(t, b, rec.handle, reg)
	id := uuid.NewString()
	publish(t, b, "tongpei.carrier.ZTO.manifest", id, `{"parcels":`)                  // malformed JSON
	publish(t, b, "tongpei.carrier.ZTO.manifest", "", `{"parcels":[]}`)               // no id
	publish(t, b, "tongpei.carrier.ZTO.manifest", "not-a-uuid", `{}`)                 // bad id
	publish(t, b, "tongpei.carrier.ZTO.a.b", uuid.NewString(), `{}`)                  // bad subject
	publish(t, b, "tongpei.carrier.SF.manifest", refused.String(), `{}`)              // permanent
	publish(t, b, "tongpei.carrier.SF.manifest", stuck.String(), `{}`)                // transient forever
	publish(t, b, "tongpei.carrier.SF.manifest", uuid.NewString(), `{"id":"`+id+`"}`) // ids differ

	eventually(t, 10*time.Second, "seven messages dead-lettered", func() bool { return len(dlq(t, b)) == 7 })
	eventually(t, 10*time.Second, "every message acked", func() bool {
		c, _ := b.JS.Consumer(context.Background(), bus.StreamCarrier, "tongpei-carrier-events")
		info, err := c.Info(context.Background())
		return err == nil && info.NumPending == 0 && info.NumAckPending == 0
	})
	want := map[string]string{
		"malformed JSON":   "tongpei.dlq.ZTO",
		"missing event id": "tongpei.dlq.ZTO",
		"is not a UUID":    "tongpei.dlq.ZTO",
		"is not tongpei.carrier.<carrier>.<kind>": "tongpei.dlq.ZTO",
		"another carrier":                         "tongpei.dlq.SF",
		"gave up after 3":                         "tongpei.dlq.SF",
		"differ":                                  "tongpei.dlq.SF",
	}
	checkDeadLetters(t, b, want)
	if n := rec.callsOf(stuck); n != 3 {
		t.Errorf("failing event tried %d times, want MaxDeliver = 3", n)
	}
	if n := rec.callsOf(refused); n != 1 {
		t.Errorf("refused event tried %d times, want 1", n)
	}
	if n := counterOf(t, reg, "dead_lettered"); n != 7 {
		t.Errorf("dead_lettered metric %v, want 7", n)
	}
}

// checkDeadLetters checks that the DLQ holds one message per entry of want
// (a part of its reason → its subject) and nothing else.
func checkDeadLetters(t *testing.T, b *bus.Bus, want map[string]string) {
	t.Helper()
	for _, d := range dlq(t, b) {
		found := false
		for reason, subject := range want {
			if strings.Contains(d.reason, reason) && d.subject == subject {
				found = true
				delete(want, reason)
				break
			}
		}
		if !found {
			t.Errorf("unexpected dead letter %+v", d)
		}
	}
	if len(want) != 0 {
		t.Errorf("missing dead letters: %v", want)
	}
}

// counterOf finds tongpei_carrier_events_total{result} in reg.
func counterOf(t testing.TB, reg *prometheus.Registry, result string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if mf.GetName() == "tongpei_carrier_events_total" && l.GetValue() == result {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	t.Fatalf("no tongpei_carrier_events_total{result=%q}", result)
	return 0
}
