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
	"github.com/nats-io/nats.go/jetstream"
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
func Reconcile(ctx context.Context, pool *pgxpool.Pool, js jetstream.JetStream, since time.Time) (ReconcileReport, error) {
	var rep ReconcileReport
	streams := map[string]*streamState{}
	after := int64(0)
	// Only events marked sent before now, so before the streams' state is
	// read: one published meanwhile would look past the stream's end.
	until := time.Now().Add(-time.Second)
	for {
		rows, err := pool.Query(ctx, `
			SELECT seq, id, coalesce(stream, ''), coalesce(stream_seq, 0), sent_at FROM outbox
			WHERE sent_at >= $1 AND sent_at < $3 AND seq > $2 ORDER BY seq LIMIT 1000`, since, after, until)
		if err != nil {
			return rep, fmt.Errorf("reading the outbox: %w", err)
		}
		page, err := pgx.CollectRows(rows, pgx.RowToStructByPos[sentRow])
		if err != nil {
			return rep, fmt.Errorf("reading the outbox: %w", err)
		}
		if len(page) == 0 {
			return rep, nil
		}
		var lost []int64
		for _, r := range page {
			rep.Checked++
			if r.Stream == "" {
				rep.Unverifiable++
				continue
			}
			st, ok := streams[r.Stream]
			if !ok {
				if st, err = loadStream(ctx, js, r.Stream); err != nil {
					return rep, err
				}
				streams[r.Stream] = st
			}
			gone, err := st.lost(ctx, r)
			if err != nil {
				return rep, err
			}
			if gone {
				lost = append(lost, r.Seq)
			}
		}
		if len(lost) > 0 {
			if _, err := pool.Exec(ctx, `UPDATE outbox SET sent_at = NULL, stream = NULL, stream_seq = NULL WHERE seq = ANY($1)`, lost); err != nil {
				return rep, fmt.Errorf("marking lost events unsent: %w", err)
			}
			rep.Republished += len(lost)
		}
		after = page[len(page)-1].Seq
	}
}

type sentRow struct {
	Seq       int64
	ID        uuid.UUID
	Stream    string
	StreamSeq int64
	SentAt    time.Time
}

// streamState is one stream as reconciliation found it.
type streamState struct {
	stream jetstream.Stream // nil: the stream does not exist
	info   *jetstream.StreamInfo
}

func loadStream(ctx context.Context, js jetstream.JetStream, name string) (*streamState, error) {
	s, err := js.Stream(ctx, name)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return &streamState{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("JetStream stream %s: %w", name, err)
	}
	return &streamState{stream: s, info: s.CachedInfo()}, nil
}

// lost reports whether the stream no longer holds the event r.
func (st *streamState) lost(ctx context.Context, r sentRow) (bool, error) {
	if st.stream == nil || st.info.Created.After(r.SentAt) {
		return true, nil // gone, or made anew after the event was stored
	}
	seq := uint64(r.StreamSeq)
	switch state := st.info.State; {
	case seq > state.LastSeq:
		return true, nil // the stream's tail was lost
	case seq < state.FirstSeq:
		return false, nil // dropped by the stream's limits, on purpose
	}
	msg, err := st.stream.GetMsg(ctx, seq)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("JetStream stream %s message %d: %w", st.info.Config.Name, seq, err)
	}
	return msg.Header.Get(jetstream.MsgIDHeader) != r.ID.String(), nil
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
