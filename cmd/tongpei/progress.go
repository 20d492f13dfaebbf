package main

import (
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// timeBar draws the time spent against a budget on a terminal, with a
// caption the caller updates (the best cost so far). On anything but a
// terminal it is nil and its methods do nothing, so scripts and CI logs
// stay clean.
type timeBar struct {
	mu   sync.Mutex
	bar  *progressbar.ProgressBar
	done chan struct{}
	once sync.Once
}

func newTimeBar(w io.Writer, budget time.Duration, title string) *timeBar {
	fh, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(fh.Fd())) {
		return nil
	}
	t := &timeBar{done: make(chan struct{})}
	t.bar = progressbar.NewOptions64(budget.Milliseconds(),
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(title),
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100*time.Millisecond),
	)
	begin := time.Now()
	go func() {
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-t.done:
				return
			case <-tick.C:
				t.mu.Lock()
				_ = t.bar.Set64(min(time.Since(begin).Milliseconds(), budget.Milliseconds()))
				t.mu.Unlock()
			}
		}
	}()
	return t
}

// Describe replaces the caption.
func (t *timeBar) Describe(caption string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.bar.Describe(caption)
}

// Stop clears the bar; it may be called more than once.
func (t *timeBar) Stop() {
	if t == nil {
		return
	}
	t.once.Do(func() {
		close(t.done)
		t.mu.Lock()
		_ = t.bar.Finish()
		t.mu.Unlock()
	})
}
