package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tongpei/tongpei/internal/tenant"
)

// RelayOptions tune the outbox relay; the zero value is what serve uses.
type RelayOptions struct {
	// BatchSize is how many rows one claim takes (default 500).
	BatchSize int
	// PollInterval is how often an idle relay looks for new rows (default
	// 50 ms). Polling a partial index is cheaper than LISTEN/NOTIFY, whose
	// commit-time global lock would serialise every scan's transaction.
	PollInterval time.Duration
	// MaxBackoff caps the wait between attempts while NATS or PostgreSQL is
	// down (default 5 s); the wait starts at 100 ms and doubles.
	MaxBackoff time.Duration
	// AckTimeout bounds the wait for JetStream's acks of one batch
	// (default 5 s); unacked rows stay unsent and are published again.
	AckTimeout time.Duration
	// KeepSent is how long published rows stay in the outbox, for
	// inspection, before the relay deletes them (default 7 days).
	KeepSent time.Duration
	// Metrics, when set, receives the relay's metrics. Register one relay
	// per registry.
	Metrics prometheus.Registerer
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// Layout says whether rows are published on per-county subjects
	// (Layout.Place with the row's county).
	Layout Layout
}

func (o *RelayOptions) defaults() {
	if o.BatchSize <= 0 {
		o.BatchSize = 500
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 50 * time.Millisecond
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 5 * time.Second
	}
	if o.AckTimeout <= 0 {
		o.AckTimeout = 5 * time.Second
	}
	if o.KeepSent <= 0 {
		o.KeepSent = 7 * 24 * time.Hour
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// Relay publishes the outbox to JetStream: it claims unsent rows in seq
// order, publishes each with Nats-Msg-Id = the row's id and marks them sent,
// all while holding the rows' locks, so a crash at any point means a
// republish that JetStream deduplicates, never a loss. Rows are claimed
// with FOR UPDATE SKIP LOCKED, so relays in several API processes share
// the work; events of one process's batch keep their order, events of
// concurrent batches may interleave. A row JetStream refuses stays unsent
// without holding up the others; the lag metric shows it.
type Relay struct {
	pool *pgxpool.Pool
	nc   *nats.Conn
	js   jetstream.JetStream
	opts RelayOptions
	m    *relayMetrics

	mu      sync.Mutex
	started bool
	cancel  context.CancelFunc
	done    sync.WaitGroup

	// parked are rows JetStream refused while others of their batch went
	// through, by seq, with when to try them again; only run touches it.
	parked map[int64]time.Time
}

// parkFor is how long a refused row waits before it is tried again, so a
// row no stream takes costs one attempt a minute, not a back-off for all.
const parkFor = time.Minute

// NewRelay builds a relay over the pool and the NATS connection. It makes
// its own JetStream context so that unacknowledged async publishes time
// out instead of piling up while NATS is away.
func NewRelay(pool *pgxpool.Pool, nc *nats.Conn, opts RelayOptions) (*Relay, error) {
	opts.defaults()
	js, err := jetstream.New(nc,
		jetstream.WithPublishAsyncTimeout(opts.AckTimeout),
		jetstream.WithPublishAsyncMaxPending(opts.BatchSize))
	if err != nil {
		return nil, fmt.Errorf("outbox relay: %w", err)
	}
	m, err := newRelayMetrics(opts.Metrics)
	if err != nil {
		return nil, err
	}
	return &Relay{pool: pool, nc: nc, js: js, opts: opts, m: m, parked: map[int64]time.Time{}}, nil
}

// Start runs the relay until ctx ends or Stop is called.
func (r *Relay) Start(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started {
		return errors.New("outbox relay: already started")
	}
	r.started = true
	// the relay publishes every county's rows, each on its county's subjects
	ctx, r.cancel = context.WithCancel(tenant.WithProvince(ctx))
	r.done.Add(3)
	go func() { defer r.done.Done(); r.run(ctx) }()
	go func() { defer r.done.Done(); r.m.sample(ctx, r.pool, r.opts.Logger) }()
	go func() { defer r.done.Done(); r.prune(ctx) }()
	return nil
}

// Stop ends the relay and waits for the batch in flight; rows it had not
// marked sent stay in the outbox for the next start. Safe to call twice.
func (r *Relay) Stop() {
	r.mu.Lock()
	cancel := r.cancel
	r.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	r.done.Wait()
}

func (r *Relay) run(ctx context.Context) {
	wait := time.Duration(0)
	failures := 0
	for {
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		if ctx.Err() != nil {
			return
		}
		n, err := r.relayBatch(ctx, wait > 0)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			failures++
			wait = backoff(failures, r.opts.MaxBackoff)
			if failures == 1 || failures%20 == 0 {
				r.opts.Logger.Warn("outbox relay is retrying", "err", err, "attempt", failures, "next_in", wait)
			}
		case n == r.opts.BatchSize:
			failures, wait = 0, 0 // more is waiting: go on at once
		default:
			if failures > 0 {
				r.opts.Logger.Info("outbox relay recovered", "after_attempts", failures)
			}
			failures, wait = 0, r.opts.PollInterval
		}
	}
}

// backoff is 100 ms doubled per failure, capped.
func backoff(failures int, max time.Duration) time.Duration {
	d := 100 * time.Millisecond
	for i := 1; i < failures && d < max; i++ {
		d *= 2
	}
	return min(d, max)
}

type outboxRow struct {
	seq     int64
	id      uuid.UUID
	subject string
	county  string
	payload []byte
}

// relayBatch claims, publishes and marks one batch in one transaction and
// returns how many rows it claimed. An error means nothing or only part was
// marked; the rest is retried. With probe, it first looks for work in one
// round trip, which keeps an idle relay's polling cheap.
func (r *Relay) relayBatch(ctx context.Context, probe bool) (int, error) {
	if !r.nc.IsConnected() {
		return 0, errors.New("NATS is not connected")
	}
	parked := r.stillParked()
	if probe {
		var pending bool
		if err := r.pool.QueryRow(ctx, `
			SELECT EXISTS (SELECT 1 FROM outbox WHERE sent_at IS NULL AND seq <> ALL($1))`, parked).Scan(&pending); err != nil {
			return 0, fmt.Errorf("PostgreSQL: %w", err)
		}
		if !pending {
			return 0, nil
		}
	}
	tx, err := r.pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("PostgreSQL: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	rows, err := tx.Query(ctx, `
		SELECT seq, id, subject, payload::text, county FROM outbox
		WHERE sent_at IS NULL AND seq <> ALL($2) ORDER BY seq
		LIMIT $1 FOR UPDATE SKIP LOCKED`, r.opts.BatchSize, parked)
	if err != nil {
		return 0, fmt.Errorf("claiming outbox rows: %w", err)
	}
	batch, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (outboxRow, error) {
		var o outboxRow
		var payload string
		err := row.Scan(&o.seq, &o.id, &o.subject, &payload, &o.county)
		o.payload = []byte(payload)
		return o, err
	})
	if err != nil {
		return 0, fmt.Errorf("reading outbox rows: %w", err)
	}
	if len(batch) == 0 {
		return 0, nil
	}
	sent, refused, pubErr := r.publish(ctx, batch)
	if len(sent) > 0 && len(refused) > 0 && pubErr == nil {
		r.park(refused)
	}
	if len(sent) > 0 {
		// Marking what JetStream holds is worth finishing even when Stop
		// came meanwhile: it saves a republish.
		mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		seqs, streams, streamSeqs := make([]int64, len(sent)), make([]string, len(sent)), make([]int64, len(sent))
		for i, a := range sent {
			seqs[i], streams[i], streamSeqs[i] = a.seq, a.stream, int64(a.streamSeq)
		}
		if _, err := tx.Exec(mctx, `
			UPDATE outbox o SET sent_at = now(), stream = u.stream, stream_seq = u.stream_seq
			FROM unnest($1::bigint[], $2::text[], $3::bigint[]) u (seq, stream, stream_seq)
			WHERE o.seq = u.seq`, seqs, streams, streamSeqs); err != nil {
			return len(batch), fmt.Errorf("marking outbox rows sent: %w", err)
		}
		if err := tx.Commit(mctx); err != nil {
			return len(batch), fmt.Errorf("marking outbox rows sent: %w", err)
		}
		r.m.published.Add(float64(len(sent)))
	}
	if len(sent) == 0 && len(refused) > 0 && pubErr == nil {
		pubErr = fmt.Errorf("JetStream refused %s: %w", refused[0].row.subject, refused[0].err)
	}
	return len(batch), pubErr
}

// refusal is a row JetStream (or the client) refused on its own account.
type refusal struct {
	row outboxRow
	err error
}

// park sets refused rows aside for parkFor: the rest of the outbox flows
// on, and the lag metric keeps showing them.
func (r *Relay) park(refused []refusal) {
	until := time.Now().Add(parkFor)
	for _, f := range refused {
		r.parked[f.row.seq] = until
		r.opts.Logger.Warn("outbox row refused; it waits and is tried again", "seq", f.row.seq, "id", f.row.id,
			"subject", f.row.subject, "err", f.err, "retry_in", parkFor)
	}
}

// stillParked lists the rows not to claim now, forgetting those whose
// wait is over.
func (r *Relay) stillParked() []int64 {
	now := time.Now()
	seqs := make([]int64, 0, len(r.parked))
	for seq, until := range r.parked {
		if now.After(until) {
			delete(r.parked, seq)
			continue
		}
		seqs = append(seqs, seq)
	}
	return seqs
}

// acked is a row JetStream acknowledged, and where it stored it.
type acked struct {
	seq       int64
	stream    string
	streamSeq uint64
}

// publish sends the whole batch asynchronously, then collects the acks. It
// returns the rows JetStream acknowledged (duplicates included: those were
// stored by an earlier attempt, and the ack names that message), the rows
// refused on their own account, and an error for what stopped the whole
// batch (NATS gone, acks late).
func (r *Relay) publish(ctx context.Context, batch []outboxRow) ([]acked, []refusal, error) {
	futures := make([]jetstream.PubAckFuture, len(batch))
	var refused []refusal
	for i, o := range batch {
		msg := &nats.Msg{Subject: r.opts.Layout.Place(o.county, o.subject), Data: o.payload, Header: nats.Header{}}
		f, err := r.js.PublishMsgAsync(msg, jetstream.WithMsgID(o.id.String()))
		if err != nil {
			r.m.errors.Inc()
			if !r.nc.IsConnected() {
				return nil, nil, fmt.Errorf("publishing %s: %w", o.subject, err)
			}
			refused = append(refused, refusal{o, err}) // this row alone is at fault
			continue
		}
		futures[i] = f
	}
	sent := make([]acked, 0, len(batch))
	deadline := time.NewTimer(r.opts.AckTimeout + time.Second)
	defer deadline.Stop()
	for i, f := range futures {
		if f == nil {
			continue
		}
		select {
		case ack := <-f.Ok():
			sent = append(sent, acked{seq: batch[i].seq, stream: ack.Stream, streamSeq: ack.Sequence})
		case err := <-f.Err():
			r.m.errors.Inc()
			if jetStreamAway(err) {
				// JetStream itself is away or not ready yet.
				return sent, nil, fmt.Errorf("JetStream did not acknowledge %s: %w", batch[i].subject, err)
			}
			refused = append(refused, refusal{batch[i], err})
		case <-deadline.C:
			r.m.errors.Inc()
			return sent, nil, errors.New("JetStream did not acknowledge in time")
		case <-ctx.Done():
			return sent, nil, ctx.Err()
		}
	}
	return sent, refused, nil
}

// jetStreamAway reports a publish error that is JetStream's state, not the
// row's: no ack in time, nobody answering, or a 5xx API error such as the
// one a clustered stream answers while it elects a new leader after a node
// loss. The whole batch is then retried with back-off; parking those rows
// for a minute would hold them back long after the cluster is whole again.
func jetStreamAway(err error) bool {
	var api *jetstream.APIError
	return errors.Is(err, nats.ErrTimeout) || errors.Is(err, jetstream.ErrAsyncPublishTimeout) ||
		errors.Is(err, nats.ErrNoResponders) || errors.As(err, &api) && api.Code >= 500
}
