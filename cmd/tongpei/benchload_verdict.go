package main

import (
	"fmt"
	"io"
	"time"
)

// The figures of issue 15 ("How it will be checked") that bench-load
// measures, each printed as one PASS or FAIL line with what was measured.
const (
	wantBatchRate    = 8000                   // scans per second, batches of 100 from one sender
	wantSingleRate   = 1500                   // single scans per second, open loop from 50 keepers
	wantSingleP99    = 100 * time.Millisecond // of those single scans
	wantSingleShare  = 0.99                   // "sustained": accepted of offered
	wantOverloadKeep = 0.90                   // goodput at 2× of the sustainable rate
	wantOverloadP99  = time.Second            // of accepted requests at 2×
	wantRefusalP99   = 250 * time.Millisecond // "refused early": a refusal comes long before the accepted bound
	wantRSSGrowth    = 50.0                   // MB over the overload
)

// verdicts prints the figures' lines and counts the failures.
type verdicts struct {
	w              io.Writer
	passed, failed int
}

func (v *verdicts) check(ok bool, figure, format string, args ...any) {
	word := "PASS"
	if ok {
		v.passed++
	} else {
		word = "FAIL"
		v.failed++
	}
	fmt.Fprintf(v.w, "%s  %-58s %s\n", word, figure, fmt.Sprintf(format, args...))
}

// benchLoadRun is what runBenchLoad measured, for the verdicts.
type benchLoadRun struct {
	keepers, rate               int
	batch, single, over         *loadStats
	sustainBefore, sustainAfter float64 // closed-loop goodput either side of the overload
	rss0, rss1                  float64
}

// sustainable is the mean of the closed-loop goodput measured before and
// after the overload: on a machine shared with other work the capacity
// drifts, and the mean of the two sides cancels a steady drift (an A-B-A
// design).
func (r benchLoadRun) sustainable() float64 { return (r.sustainBefore + r.sustainAfter) / 2 }

func (r benchLoadRun) print(w io.Writer) error {
	v := &verdicts{w: w}
	fmt.Fprintf(w, "# issue 15 figures\n")
	v.check(r.batch.goodput() >= wantBatchRate, fmt.Sprintf("batches of 100, one sender: ≥ %d scans/s", wantBatchRate),
		"%.0f scans/s", r.batch.goodput())

	offered, accepted := r.single.offered(), r.single.scans
	share := float64(accepted) / float64(max(offered, 1))
	v.check(r.rate >= wantSingleRate && r.keepers >= 50 && share >= wantSingleShare,
		fmt.Sprintf("single scans open loop, 50 keepers: ≥ %d/s sustained", wantSingleRate),
		"offered %d/s from %d keepers, accepted %d of %d (%.1f %%, want ≥ %.0f %%), goodput %.0f/s",
		r.rate, r.keepers, accepted, offered, 100*share, 100*wantSingleShare, r.single.goodput())
	v.check(accepted > 0 && r.single.quantile(.99) <= wantSingleP99, fmt.Sprintf("  their p99 ≤ %v", wantSingleP99),
		"p99 %s", msOf(r.single.quantile(.99)))

	sust := r.sustainable()
	keep := r.over.goodput() / max(sust, 1e-9)
	v.check(keep >= wantOverloadKeep, fmt.Sprintf("2× overload: goodput ≥ %.0f %% of sustainable", 100*wantOverloadKeep),
		"%.1f %% (%.0f/s of %.0f/s, the mean of the closed loop before %.0f/s and after %.0f/s)",
		100*keep, r.over.goodput(), sust, r.sustainBefore, r.sustainAfter)
	v.check(r.over.scans > 0 && r.over.quantile(.99) <= wantOverloadP99, fmt.Sprintf("2× overload: p99 of accepted ≤ %v", wantOverloadP99),
		"p99 %s", msOf(r.over.quantile(.99)))
	refused, other := r.over.refusals()
	v.check(other == 0 && quantile(r.over.refused, .99) <= wantRefusalP99,
		"2× overload: the rest refused early with 503/429",
		"%d refused, p99 after %s (want ≤ %v); %d neither accepted nor refused (want 0: no answer, late, other status)",
		refused, msOf(quantile(r.over.refused, .99)), wantRefusalP99, other)
	v.check(r.rss1-r.rss0 <= wantRSSGrowth, fmt.Sprintf("2× overload: RSS growth ≤ %.0f MB", wantRSSGrowth),
		"%.0f → %.0f MB (%+.0f MB)", r.rss0, r.rss1, r.rss1-r.rss0)
	fmt.Fprintf(w, "# %d of %d figures pass; %s", v.passed, v.passed+v.failed, uptime())
	if v.failed > 0 {
		return fmt.Errorf("%d of issue 15's figures failed (see the FAIL lines above); on a machine shared with other work, run again when it is quiet", v.failed)
	}
	return nil
}

func msOf(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// offered is the requests the phase scheduled, sent or not.
func (s *loadStats) offered() int {
	n := 0
	for status, c := range s.byStatus {
		if status != -1 { // no parcel left: nothing was offered
			n += c
		}
	}
	return n
}

// refusals counts the 503 and 429 answers, and the requests that were
// neither accepted nor refused so.
func (s *loadStats) refusals() (refused, other int) {
	for status, c := range s.byStatus {
		switch status {
		case 200:
		case 503, 429:
			refused += c
		default:
			other += c
		}
	}
	return refused, other
}
