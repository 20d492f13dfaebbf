package pricing_test

import (
	"runtime"
	"syscall"
	"testing"
	"time"
)

// TestQuoteThroughput holds the in-process target of issue 6: at least
// 50,000 quotes a second on one core. It counts the CPU time of its own
// thread, not the wall clock, so a busy machine does not fail it.
func TestQuoteThroughput(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	snap, reqs, at := f.snap(), requests(1024), f.now
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const n = 50_000
	before, wall := threadCPU(t), time.Now()
	for i := 0; i < n; i++ {
		if _, err := snap.Quote(reqs[i%len(reqs)], at); err != nil {
			t.Fatal(err)
		}
	}
	cpu := threadCPU(t) - before
	t.Logf("%d quotes: %v CPU, %v wall: %.0f quotes/s per core", n, cpu, time.Since(wall), n/cpu.Seconds())
	if cpu > time.Second {
		t.Fatalf("%d quotes took %v of CPU; the target is at least 50,000 quotes/s", n, cpu)
	}
}

// threadCPU is the CPU time the calling OS thread has used.
func threadCPU(t *testing.T) time.Duration {
	const rusageThread = 1 // RUSAGE_THREAD
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
