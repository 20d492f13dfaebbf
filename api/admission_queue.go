package api

import (
	"context"
	"slices"
	"sync"
	"time"
)

// gate is one class's budget: a slot per request in flight and a bounded
// queue of waiters for a slot. The queue follows Facebook's "Fail at
// Scale" (Ben Maurer, ACM Queue 13(8), 2015, "Controlled delay" and
// "Adaptive LIFO"), which applies CoDel (Nichols & Jacobson, "Controlling
// Queue Delay", ACM Queue 10(5), 2012) to a server's request queue:
//
//   - While the queue empties now and then, a burst is absorbed: a waiter
//     may wait up to wait (the interval) and waiters are served first come,
//     first served.
//   - When the queue has not been empty for a whole interval, it is a
//     standing queue, which only adds delay: a new waiter may wait just
//     target, and the newest waiter is served first (LIFO), because its
//     client is the likeliest to still be waiting, while the oldest run
//     into their short deadline and are refused at once.
//
// Under twice the load it can serve, the server so keeps every slot busy
// (goodput holds), answers the accepted requests with little queueing delay,
// and refuses the rest within a few milliseconds instead of after a long
// wait. With target 0 the queue is the plain first-come queue with wait.
type gate struct {
	mu       sync.Mutex
	limit    int
	inFlight int
	waiters  []*waiter // in arrival order
	maxQueue int
	emptyAt  time.Time // when the queue was last seen empty
}

// waiter is one request waiting for a slot since at; leave hands it the
// slot by setting granted and closing ready, or refuses it by closing
// ready alone, under the gate's lock.
type waiter struct {
	ready   chan struct{}
	granted bool
	at      time.Time
}

func newGate(inFlight, queueFactor int) *gate {
	return &gate{limit: inFlight, maxQueue: inFlight * max(queueFactor, 0), emptyAt: time.Now()}
}

// standing reports a standing queue: the service has not caught up with
// its arrivals for a whole interval. emptyAt moves only when nobody is left
// waiting because the service took them all (a slot free on arrival, or
// the last waiter granted), not when refusals emptied the queue: a queue
// kept short by refusing is still overloaded. The lock is held.
func (g *gate) standing(now time.Time, interval time.Duration) bool {
	return now.Sub(g.emptyAt) > interval
}

// enter takes a slot, waiting at most wait (at most target in a standing
// queue); false means refuse.
func (g *gate) enter(ctx context.Context, wait, target time.Duration) bool {
	now := time.Now()
	g.mu.Lock()
	if g.inFlight < g.limit && len(g.waiters) == 0 {
		g.inFlight++
		g.emptyAt = now
		g.mu.Unlock()
		return true
	}
	if target > 0 && g.standing(now, wait) {
		wait = target
	}
	if len(g.waiters) >= g.maxQueue || wait <= 0 {
		g.mu.Unlock()
		return false
	}
	w := &waiter{ready: make(chan struct{}), at: now}
	g.waiters = append(g.waiters, w)
	g.mu.Unlock()

	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-w.ready:
		return w.granted // set before ready was closed
	case <-t.C:
	case <-ctx.Done():
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if w.granted { // the slot came as the wait ended: take it
		return true
	}
	g.remove(w)
	return false
}

// remove takes w out of the queue; the lock is held.
func (g *gate) remove(w *waiter) {
	if i := slices.Index(g.waiters, w); i >= 0 {
		g.waiters = slices.Delete(g.waiters, i, i+1)
	}
}

// leave frees a slot, or hands it straight to a waiter: the oldest while
// the queue drains now and then; in a standing queue the newest, after
// refusing every waiter that has waited longer than target, as CoDel drops
// at dequeue the packets whose time in the queue is over its target (a
// waiter that came before the queue stood may have been allowed the whole
// interval, and would otherwise be served late). wait is the interval that
// tells the two apart; target 0 keeps the queue first come, first served.
func (g *gate) leave(wait, target time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := time.Now()
	lifo := target > 0 && g.standing(now, wait)
	if lifo {
		g.expire(now.Add(-target))
	}
	if len(g.waiters) == 0 {
		g.inFlight--
		g.emptyAt = now
		return
	}
	i := 0
	if lifo {
		i = len(g.waiters) - 1
	}
	w := g.waiters[i]
	g.remove(w)
	w.granted = true
	close(w.ready)
	if len(g.waiters) == 0 {
		g.emptyAt = now
	}
}

// expire refuses the waiters that came before cutoff; the lock is held.
func (g *gate) expire(cutoff time.Time) {
	keep := g.waiters[:0]
	for _, w := range g.waiters {
		if w.at.Before(cutoff) {
			close(w.ready)
		} else {
			keep = append(keep, w)
		}
	}
	clear(g.waiters[len(keep):])
	g.waiters = keep
}

// queued is the number of requests waiting for a slot.
func (g *gate) queued() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.waiters)
}

// busy is the number of requests holding a slot.
func (g *gate) busy() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.inFlight
}
