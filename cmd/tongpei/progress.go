package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/tongpei/tongpei/dispatch"
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
	if !isTerminal(w) {
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

// jobBar shows a plan job: its place in the queue, then the share of its
// time budget spent, the phase, the best joint cost and the time left. Like
// timeBar it is nil, and silent, when w is not a terminal.
type jobBar struct {
	bar *progressbar.ProgressBar
}

func newJobBar(w io.Writer, job *dispatch.PlanJob) *jobBar {
	if !isTerminal(w) {
		return nil
	}
	b := &jobBar{bar: progressbar.NewOptions(1000,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100*time.Millisecond),
	)}
	b.Show(job)
	return b
}

// Show draws the job as it is now.
func (b *jobBar) Show(j *dispatch.PlanJob) {
	if b == nil {
		return
	}
	p := j.Progress
	caption := fmt.Sprintf("plan job %d: %s", j.ID, p.Phase)
	switch {
	case j.State == dispatch.JobQueued:
		caption = fmt.Sprintf("plan job %d: waiting, number %d in the queue", j.ID, j.QueuePosition)
	case p.BestCostFen != nil:
		caption += fmt.Sprintf(", best %.2f CNY, %ds left", float64(*p.BestCostFen)/100, (p.RemainingMs+999)/1000)
	default:
		caption += fmt.Sprintf(", %ds left", (p.RemainingMs+999)/1000)
	}
	b.bar.Describe(caption)
	_ = b.bar.Set(int(p.Percent * 10))
}

// Stop clears the bar.
func (b *jobBar) Stop() {
	if b != nil {
		_ = b.bar.Finish()
	}
}

// countBar counts the pieces of work done of n (simulate's phases); like
// the others it is nil, and silent, when w is not a terminal. It may be
// advanced from several goroutines.
type countBar struct {
	bar *progressbar.ProgressBar
}

func newCountBar(w io.Writer, n int, title string) *countBar {
	if !isTerminal(w) || n == 0 {
		return nil
	}
	return &countBar{bar: progressbar.NewOptions(n,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(title),
		progressbar.OptionShowCount(),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100*time.Millisecond),
	)}
}

// Add counts one piece done.
func (b *countBar) Add() {
	if b != nil {
		_ = b.bar.Add(1)
	}
}

// Stop clears the bar.
func (b *countBar) Stop() {
	if b != nil {
		_ = b.bar.Finish()
	}
}

// isTerminal reports whether w is a terminal, where bars may be drawn.
func isTerminal(w io.Writer) bool {
	fh, ok := w.(*os.File)
	return ok && term.IsTerminal(int(fh.Fd()))
}
