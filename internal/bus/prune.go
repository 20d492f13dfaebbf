package bus

import (
	"context"
	"time"
)

// pruneEvery is how often published rows past KeepSent are deleted.
const pruneEvery = time.Hour

// prune deletes published rows older than KeepSent, in slices small enough
// not to hold up the writers; the outbox would otherwise grow forever.
func (r *Relay) prune(ctx context.Context) {
	t := time.NewTicker(pruneEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := r.pruneOnce(ctx); err != nil && ctx.Err() == nil {
			r.opts.Logger.Warn("outbox relay: pruning published rows", "err", err)
		}
	}
}

// pruneOnce deletes every published row past KeepSent.
func (r *Relay) pruneOnce(ctx context.Context) error {
	for {
		tag, err := r.pool.Exec(ctx, `
			DELETE FROM outbox WHERE seq IN (
				SELECT seq FROM outbox WHERE sent_at < now() - $1::interval LIMIT 5000)`,
			r.opts.KeepSent)
		if err != nil || tag.RowsAffected() < 5000 {
			return err
		}
	}
}
