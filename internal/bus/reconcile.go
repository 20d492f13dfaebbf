package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tongpei/tongpei/internal/tenant"
)

// Reconciliation repairs broker data loss (issue 15): a JetStream store
// deleted or lost with its disk, or the tail of a stream lost in a host
// crash before the store's fsync. The outbox keeps every published event
// for KeepSent with the stream and sequence JetStream acknowledged; an
// event whose stream no longer holds it at that sequence (the stream is
// gone, was created anew since, ends before it, or holds another message
// there) is marked unsent again, and the relay publishes it once more
// under its unchanged id. Consumers deduplicate by event id, so a carrier
// that had read it is not confused. An event the stream dropped on purpose
// (older than its first message, by its age or size limits) is left alone.

// ReconcileReport says what one reconciliation found.
type ReconcileReport struct {
	Checked      int // published events looked at
	Republished  int // lost by the stream, marked for the relay
	Unverifiable int // published before the outbox kept stream sequences
}

// Reconcile checks the events published since and marks the lost ones
// unsent, for the relay to publish again.
//
// It asks JetStream for each stream's state once (its creation time, first
// and last sequence and the sequences deleted inside) and lets PostgreSQL
// compare every event's recorded sequence with it, instead of fetching each
// message: serve runs this every minute over a 15-minute window, and one
// fetch per event cost more than the scans themselves at a peak (100,000
// events a window, a JetStream API round trip each). A sequence the stream
// reused after losing its tail shows as two outbox rows with one (stream,
// sequence): the older event is the lost one. The relay is the streams'
// only publisher, so no other message can take an event's sequence.
//
// It works province-wide whatever county ctx names (issue 18): the streams
// hold every county's events, and a sequence reused after a loss may have
// gone to another county's event, so only the whole outbox tells which
// event was lost.
func Reconcile(ctx context.Context, pool *pgxpool.Pool, js jetstream.JetStream, since time.Time) (ReconcileReport, error) {
	ctx = tenant.WithProvince(ctx)
	var rep ReconcileReport
	// Only events marked sent before now, so before the streams' state is
	// read: one published meanwhile would look past the stream's end.
	until := time.Now().Add(-time.Second)
	counts, err := sentByStream(ctx, pool, since, until)
	if err != nil {
		return rep, fmt.Errorf("reading the outbox: %w", err)
	}
	for name, n := range counts {
		rep.Checked += n
		if name == "" {
			rep.Unverifiable += n
			continue
		}
		st, err := loadStream(ctx, js, name)
		if err != nil {
			return rep, err
		}
		lost, err := markLost(ctx, pool, name, since, until, st)
		if err != nil {
			return rep, fmt.Errorf("marking lost events of %s unsent: %w", name, err)
		}
		rep.Republished += lost
	}
	return rep, nil
}

// streamState is one stream as reconciliation found it.
type streamState struct {
	exists      bool
	created     time.Time // events stored before were lost with the old stream
	first, last uint64
	deleted     []uint64 // sequences missing inside [first, last]
}

func loadStream(ctx context.Context, js jetstream.JetStream, name string) (streamState, error) {
	s, err := js.Stream(ctx, name)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return streamState{}, nil
	}
	if err != nil {
		return streamState{}, fmt.Errorf("JetStream stream %s: %w", name, err)
	}
	info, err := s.Info(ctx, jetstream.WithDeletedDetails(true))
	if err != nil {
		return streamState{}, fmt.Errorf("JetStream stream %s: %w", name, err)
	}
	return streamState{exists: true, created: info.Created, first: info.State.FirstSeq, last: info.State.LastSeq,
		deleted: info.State.Deleted}, nil
}

// Reconciler runs Reconcile periodically in serve: at start over the whole
// outbox retention, then every Every over the last Window (which covers
// JetStream's 2-minute fsync interval).
type Reconciler struct {
	Pool   *pgxpool.Pool
	JS     jetstream.JetStream
	Every  time.Duration // default 1 minute
	Window time.Duration // default 15 minutes
	Full   time.Duration // the first run's reach; default 7 days (KeepSent)
	Logger *slog.Logger

	mu     sync.Mutex
	cancel context.CancelFunc
	done   sync.WaitGroup
}

// Start runs the reconciler until ctx ends or Stop is called.
func (r *Reconciler) Start(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cancel != nil {
		return errors.New("reconciler: already started")
	}
	if r.Every <= 0 {
		r.Every = time.Minute
	}
	if r.Window <= 0 {
		r.Window = 15 * time.Minute
	}
	if r.Full <= 0 {
		r.Full = 7 * 24 * time.Hour
	}
	if r.Logger == nil {
		r.Logger = slog.Default()
	}
	ctx, r.cancel = context.WithCancel(ctx)
	r.done.Add(1)
	go func() {
		defer r.done.Done()
		reach := r.Full
		for {
			rep, err := Reconcile(ctx, r.Pool, r.JS, time.Now().Add(-reach))
			switch {
			case ctx.Err() != nil:
				return
			case err != nil:
				r.Logger.Warn("reconciling the outbox with JetStream", "err", err)
			case rep.Republished > 0:
				r.Logger.Warn("JetStream had lost events; they are published again", "events", rep.Republished, "checked", rep.Checked)
			}
			if err == nil {
				reach = r.Window
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(r.Every):
			}
		}
	}()
	return nil
}

// Stop ends the reconciler and waits for it. Safe to call twice.
func (r *Reconciler) Stop() {
	r.mu.Lock()
	cancel := r.cancel
	r.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	r.done.Wait()
}
