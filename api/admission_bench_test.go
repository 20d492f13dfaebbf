package api

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// BenchmarkGateOverload offers a gate twice what its slots can serve, open
// loop, and reports what the queue discipline does: the share of the
// slots' capacity used (goodput), the p99 of accepted requests from their
// arrival, and the p99 of refusals. The service is a sleep, so the figures
// tell the queue's policy apart from the machine's CPU: "fifo" is the
// first-come queue with a 200 ms wait, "codel" the standing-queue target of
// 5 ms with adaptive LIFO (gate). Compare the two within one run:
//
//	go test ./api -run '^$' -bench GateOverload -benchtime 1x
func BenchmarkGateOverload(b *testing.B) {
	for _, c := range []struct {
		name   string
		target time.Duration
	}{{"fifo", 0}, {"codel", 5 * time.Millisecond}} {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				share, acc, ref := overloadGate(c.target, 3*time.Second)
				b.ReportMetric(100*share, "%goodput")
				b.ReportMetric(float64(acc.Microseconds())/1000, "ms-accepted-p99")
				b.ReportMetric(float64(ref.Microseconds())/1000, "ms-refused-p99")
			}
		})
	}
}

// overloadGate runs 16 slots of 40 ms service (400/s, a group commit's
// pace on a busy machine) under 800 arrivals a second for d; its queue of
// 32 holds 80 ms of work.
func overloadGate(target, d time.Duration) (share float64, acceptedP99, refusedP99 time.Duration) {
	const slots, service, rate = 16, 40 * time.Millisecond, 800
	g := newGate(slots, 2)
	var mu sync.Mutex
	var accepted, refused []time.Duration
	var wg sync.WaitGroup
	start := time.Now()
	for i := range int(d.Seconds() * rate) {
		due := start.Add(time.Duration(i) * time.Second / rate)
		time.Sleep(time.Until(due))
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok := g.enter(context.Background(), 200*time.Millisecond, target)
			if ok {
				time.Sleep(service)
				g.leave(200*time.Millisecond, target)
			}
			lat := time.Since(due)
			mu.Lock()
			defer mu.Unlock()
			if ok {
				accepted = append(accepted, lat)
			} else {
				refused = append(refused, lat)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	p99 := func(l []time.Duration) time.Duration {
		if len(l) == 0 {
			return 0
		}
		slices.Sort(l)
		return l[len(l)*99/100]
	}
	capacity := elapsed.Seconds() * slots * float64(time.Second/service)
	return float64(len(accepted)) / capacity, p99(accepted), p99(refused)
}
