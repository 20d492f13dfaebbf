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
