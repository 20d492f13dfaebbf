package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/tenant"
)

// CarrierHandler applies one event a carrier reported on
// tongpei.carrier.<carrier>.<kind>. It must be idempotent by id: JetStream
// delivers at least once. An errs.Invalid or errs.Forbidden error is
// permanent (the message goes to the DLQ); any other error is retried.
// The payload is the message body as sent, a JSON object; a method such as
// stations.Custody.ApplyCarrierEvent can be passed as is. ctx works for the
// county the event belongs to (tenant.From), so the stores and row-level
// security see that county's rows alone.
type CarrierHandler func(ctx context.Context, carrier string, id uuid.UUID, kind string, payload json.RawMessage) error

// Headers on a dead-lettered message; its body is the original payload.
const (
	HeaderDLQReason     = "Tongpei-Dlq-Reason"
	HeaderDLQSubject    = "Tongpei-Dlq-Subject"
	HeaderDLQMsgID      = "Tongpei-Dlq-Msg-Id"
	HeaderDLQStreamSeq  = "Tongpei-Dlq-Stream-Seq"
	HeaderDLQDeliveries = "Tongpei-Dlq-Deliveries"
)

// ConsumerOptions tune the carrier-event consumer; the zero value is what
// serve uses.
type ConsumerOptions struct {
	// Durable names the consumer (default "tongpei-carrier-events"); every
	// API process shares it, so each message goes to one of them.
	Durable string
	// MaxDeliver is how many times a transiently failing message is tried
	// before it is dead-lettered (default 5).
	MaxDeliver int
	// RetryDelay is the first retry's delay, doubled per attempt (default 1 s).
	RetryDelay time.Duration
	// HandlerTimeout bounds one call of the handler (default 30 s); it is
	// also the ack wait, after which JetStream redelivers.
	HandlerTimeout time.Duration
	// Metrics, when set, receives tongpei_carrier_events_total by result
	// (applied, retried, dead_lettered).
	Metrics prometheus.Registerer
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// Layout is the subjects' layout. With per-county subjects the consumer
	// reads tongpei.<county>.carrier.> of every county and applies each
	// event in the county its subject names; otherwise every event is the
	// install's own county's (tenant.Default).
	Layout Layout
	// Known reports whether a county is registered (tenant.Registry.Known);
	// required with per-county subjects: an event of a county it does not
	// know is dead-lettered instead of applied.
	Known func(ctx context.Context, county string) (bool, error)
}

func (o *ConsumerOptions) defaults() {
	if o.Durable == "" {
		o.Durable = "tongpei-carrier-events"
	}
	if o.MaxDeliver <= 0 {
		o.MaxDeliver = 5
	}
	if o.RetryDelay <= 0 {
		o.RetryDelay = time.Second
	}
	if o.HandlerTimeout <= 0 {
		o.HandlerTimeout = 30 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// Consumer feeds carriers' events from stream TONGPEI_CARRIER to a handler
// through a durable pull consumer. Every message ends acked: applied,
// dead-lettered to tongpei.dlq.<carrier> with its reason, or (after
// MaxDeliver transient failures) dead-lettered too; none is redelivered
// forever.
type Consumer struct {
	js      jetstream.JetStream
	handler CarrierHandler
	opts    ConsumerOptions
	results *prometheus.CounterVec

	mu       sync.Mutex
	started  bool
	stopped  bool
	cc       jetstream.ConsumeContext
	inFlight sync.WaitGroup
	base     context.Context
	known    map[string]bool // counties found registered (never removed)
}

// NewConsumer builds a consumer; Start creates it on the server.
func NewConsumer(js jetstream.JetStream, h CarrierHandler, opts ConsumerOptions) *Consumer {
	opts.defaults()
	results := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tongpei_carrier_events_total",
		Help: "Carrier events by outcome: applied, retried (transient failure), dead_lettered.",
	}, []string{"result"})
	if opts.Metrics != nil {
		if err := opts.Metrics.Register(results); err != nil {
			var are prometheus.AlreadyRegisteredError
			if errors.As(err, &are) {
				results = are.ExistingCollector.(*prometheus.CounterVec)
			} else {
				opts.Logger.Warn("carrier consumer: metrics", "err", err)
			}
		}
	}
	return &Consumer{js: js, handler: h, opts: opts, results: results}
}

// Start creates or updates the durable consumer and begins consuming. The
// stream must exist (EnsureStreams).
func (c *Consumer) Start(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.started {
		return errors.New("carrier consumer: already started")
	}
	if c.opts.Layout.PerCounty && c.opts.Known == nil {
		return errors.New("carrier consumer: per-county subjects need ConsumerOptions.Known to tell registered counties")
	}
	cons, err := c.js.CreateOrUpdateConsumer(ctx, StreamCarrier, jetstream.ConsumerConfig{
		Durable:     c.opts.Durable,
		Description: "carriers' own events, applied by the county centre",
		// The whole carrier space (of every county), not just *.*: a
		// message on a subject of the wrong shape is dead-lettered instead
		// of lying unread.
		FilterSubject: c.opts.Layout.In(FamilyCarrier, AnyCounty).All(),
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       c.opts.HandlerTimeout + 5*time.Second,
		// Two deliveries of slack: the consumer dead-letters at
		// MaxDeliver itself, and the server stops only if a process
		// died holding the last one.
		MaxDeliver:    c.opts.MaxDeliver + 2,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		MaxAckPending: 1000,
	})
	if err != nil {
		return fmt.Errorf("carrier consumer %s on %s: %w", c.opts.Durable, StreamCarrier, err)
	}
	c.base = context.WithoutCancel(ctx)
	cc, err := cons.Consume(c.receive, jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
		c.opts.Logger.Debug("carrier consumer", "err", err)
	}))
	if err != nil {
		return fmt.Errorf("carrier consumer %s: %w", c.opts.Durable, err)
	}
	c.cc, c.started = cc, true
	return nil
}

// Stop stops fetching and waits for the message being handled; unacked
// messages are redelivered to the next consumer. Safe to call twice.
func (c *Consumer) Stop() {
	c.mu.Lock()
	cc := c.cc
	c.stopped, c.cc = true, nil
	c.mu.Unlock()
	if cc != nil {
		cc.Stop()
		select {
		case <-cc.Closed():
		case <-time.After(5 * time.Second):
		}
	}
	c.inFlight.Wait()
}

// receive is called by nats.go for each message, one at a time.
func (c *Consumer) receive(msg jetstream.Msg) {
	c.mu.Lock()
	if c.stopped {
		c.mu.Unlock()
		return // left unacked: redelivered after the ack wait
	}
	c.inFlight.Add(1)
	c.mu.Unlock()
	defer c.inFlight.Done()

	ev, reason := c.parse(msg)
	if reason != "" {
		c.deadLetter(msg, ev, reason)
		return
	}
	ctx, cancel := context.WithTimeout(tenant.With(c.base, ev.county), c.opts.HandlerTimeout)
	err := c.inCounty(ctx, ev.county)
	if err == nil {
		err = c.handler(ctx, ev.carrier, ev.id, ev.kind, msg.Data())
	}
	cancel()
	switch {
	case err == nil:
		c.results.WithLabelValues("applied").Inc()
		c.ack(msg)
	case errs.Is(err, errs.Invalid) || errs.Is(err, errs.Forbidden):
		c.deadLetter(msg, ev, err.Error())
	default:
		n := deliveries(msg)
		if n >= c.opts.MaxDeliver {
			c.deadLetter(msg, ev, fmt.Sprintf("gave up after %d attempts: %v", n, err))
			return
		}
		c.results.WithLabelValues("retried").Inc()
		delay := c.opts.RetryDelay << min(n-1, 8)
		c.opts.Logger.Warn("carrier event will be retried", "subject", msg.Subject(), "id", ev.id, "attempt", n, "in", delay, "err", err)
		if err := msg.NakWithDelay(delay); err != nil {
			c.opts.Logger.Warn("carrier consumer: nak", "err", err)
		}
	}
}

// carrierEvent is what a message's subject and headers say of it.
type carrierEvent struct {
	county, carrier, kind string
	id                    uuid.UUID
}

// parse reads the event's county, carrier, kind and id, or says why it
// cannot be applied. In the single-county layout the county is the
// install's own.
func (c *Consumer) parse(msg jetstream.Msg) (carrierEvent, string) {
	var ev carrierEvent
	var reason string
	ev.county, ev.carrier, ev.id, ev.kind, reason = parseCarrierMsg(c.opts.Layout, msg)
	if !c.opts.Layout.PerCounty {
		ev.county = tenant.Default()
		return ev, reason
	}
	if reason == "" && tenant.Check(ev.county) != nil {
		reason = fmt.Sprintf("subject %q names county %q, which is not a six-digit GB/T 2260 code", msg.Subject(), ev.county)
	}
	return ev, reason
}

// inCounty refuses (errs.Invalid, so the event is dead-lettered) an event
// of a county that is not registered; a failure to look it up is retried.
func (c *Consumer) inCounty(ctx context.Context, county string) error {
	if !c.opts.Layout.PerCounty {
		return nil
	}
	c.mu.Lock()
	known := c.known[county]
	c.mu.Unlock()
	if known {
		return nil
	}
	ok, err := c.opts.Known(ctx, county)
	switch {
	case err != nil:
		return fmt.Errorf("is county %s registered: %w", county, err)
	case !ok:
		return errs.E(errs.Invalid, "county %s is not registered; register it (tongpei county add %s) or send the event on its county's subject", county, county)
	}
	c.mu.Lock()
	if c.known == nil {
		c.known = map[string]bool{}
	}
	c.known[county] = true
	c.mu.Unlock()
	return nil
}

// parseCarrierMsg reads county (with per-county subjects), carrier, kind
// and event id from a message of layout l, or says why it cannot be
// applied. carrier is "unknown" when the subject has none.
func parseCarrierMsg(l Layout, msg jetstream.Msg) (county, carrier string, id uuid.UUID, kind, reason string) {
	county, rest := l.Split(msg.Subject())
	tokens := strings.Split(rest, ".")
	carrier = "unknown"
	if len(tokens) >= 3 && validToken(tokens[2]) {
		carrier = tokens[2]
	}
	if len(tokens) != 4 || tokens[0] != "tongpei" || tokens[1] != "carrier" || !validToken(tokens[2]) || !validToken(tokens[3]) {
		want := l.In(FamilyCarrier, "<county>").Subject("<carrier>", "<kind>")
		return county, carrier, uuid.Nil, "", fmt.Sprintf("subject %q is not %s", msg.Subject(), want)
	}
	kind = tokens[3]
	id, reason = eventID(msg)
	return county, carrier, id, kind, reason
}

// eventID is the event id a message carries in its Nats-Msg-Id header, its
// body's id field or both, or the reason it has none.
func eventID(msg jetstream.Msg) (uuid.UUID, string) {
	var body struct {
		ID *string `json:"id"`
	}
	if err := unmarshalObject(msg.Data(), &body); err != nil {
		return uuid.Nil, "malformed JSON: " + err.Error()
	}
	var fromHeader, fromBody uuid.UUID
	if h := msg.Headers().Get(jetstream.MsgIDHeader); h != "" {
		u, err := uuid.Parse(h)
		if err != nil {
			return uuid.Nil, fmt.Sprintf("Nats-Msg-Id %q is not a UUID", h)
		}
		fromHeader = u
	}
	if body.ID != nil {
		u, err := uuid.Parse(*body.ID)
		if err != nil {
			return uuid.Nil, fmt.Sprintf("field id %q is not a UUID", *body.ID)
		}
		fromBody = u
	}
	switch {
	case fromHeader != uuid.Nil && fromBody != uuid.Nil && fromHeader != fromBody:
		return uuid.Nil, "Nats-Msg-Id and field id differ; send the event id in both or in one"
	case fromHeader != uuid.Nil:
		return fromHeader, ""
	case fromBody != uuid.Nil:
		return fromBody, ""
	}
	return uuid.Nil, "missing event id: set header Nats-Msg-Id or field id to a UUID"
}

// deadLetter publishes the message to tongpei.dlq.<carrier> (in the
// event's county, with per-county subjects) with the reason and acks it.
// If the DLQ cannot take it, the message is left for a redelivery rather
// than lost; the DLQ's own Nats-Msg-Id (the original
// stream sequence) keeps a second attempt from storing it twice.
func (c *Consumer) deadLetter(msg jetstream.Msg, ev carrierEvent, reason string) {
	meta, _ := msg.Metadata()
	var seq uint64
	var delivered uint64
	if meta != nil {
		seq, delivered = meta.Sequence.Stream, meta.NumDelivered
	}
	dlq := &nats.Msg{Subject: c.opts.Layout.In(FamilyDLQ, ev.county).Subject(ev.carrier), Data: msg.Data(), Header: nats.Header{}}
	dlq.Header.Set(HeaderDLQReason, oneLine(reason))
	dlq.Header.Set(HeaderDLQSubject, msg.Subject())
	dlq.Header.Set(HeaderDLQStreamSeq, strconv.FormatUint(seq, 10))
	dlq.Header.Set(HeaderDLQDeliveries, strconv.FormatUint(delivered, 10))
	if id := msg.Headers().Get(jetstream.MsgIDHeader); id != "" {
		dlq.Header.Set(HeaderDLQMsgID, oneLine(id))
	}
	ctx, cancel := context.WithTimeout(c.base, 5*time.Second)
	defer cancel()
	if _, err := c.js.PublishMsg(ctx, dlq, jetstream.WithMsgID("carrier-seq-"+strconv.FormatUint(seq, 10))); err != nil {
		c.opts.Logger.Warn("carrier consumer: cannot dead-letter, will retry", "subject", msg.Subject(), "err", err)
		_ = msg.NakWithDelay(c.opts.RetryDelay)
		return
	}
	c.results.WithLabelValues("dead_lettered").Inc()
	c.opts.Logger.Info("carrier event dead-lettered", "subject", msg.Subject(), "reason", reason)
	c.ack(msg)
}

func (c *Consumer) ack(msg jetstream.Msg) {
	if err := msg.Ack(); err != nil {
		c.opts.Logger.Warn("carrier consumer: ack", "subject", msg.Subject(), "err", err)
	}
}

func deliveries(msg jetstream.Msg) int {
	meta, err := msg.Metadata()
	if err != nil {
		return 1
	}
	return int(meta.NumDelivered)
}
