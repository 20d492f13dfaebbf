package dispatch

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Resender re-sends unacknowledged jobs in the background: every Every, the
// jobs last sent more than OlderThan ago go out again (Service.Resend). It
// follows the house start/stop rule: Start once, Stop idempotent.
type Resender struct {
	Service   *Service
	Every     time.Duration // 0: one minute
	OlderThan time.Duration // 0: fifteen minutes

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

// Start runs the loop until Stop or until ctx ends.
func (r *Resender) Start(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cancel != nil {
		return nil
	}
	every, older := r.Every, r.OlderThan
	if every <= 0 {
		every = time.Minute
	}
	if older <= 0 {
		older = 15 * time.Minute
	}
	ctx, r.cancel = context.WithCancel(ctx)
	r.done = make(chan struct{})
	go func() {
		defer close(r.done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if n, err := r.Service.ResendEveryCounty(ctx, older); err != nil && ctx.Err() == nil {
					slog.Warn("re-sending dispatch jobs", "err", err)
				} else if n > 0 {
					slog.Info("re-sent unacknowledged dispatch jobs", "jobs", n)
				}
			}
		}
	}()
	return nil
}

// Stop ends the loop and waits for it; calling it twice is harmless.
func (r *Resender) Stop() {
	r.mu.Lock()
	cancel, done := r.cancel, r.done
	r.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
}
