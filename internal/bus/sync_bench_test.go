package bus_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/bus/bustest"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

// BenchmarkRelaySync measures what TONGPEI_NATS_SYNC=always costs: the
// relay publishes 5,000 events to the embedded JetStream with the default
// fsync every 2 minutes, and with an fsync before every ack. The load is
// the measurement, whatever b.N:
// go test ./internal/bus/ -run '^$' -bench RelaySync -benchtime 1x
func BenchmarkRelaySync(b *testing.B) {
	for _, always := range []bool{false, true} {
		b.Run(fmt.Sprintf("always=%v", always), func(b *testing.B) {
			pool := pgtest.Pool(b)
			bs := bustest.OpenWith(b, bus.Config{DataDir: b.TempDir(), Listen: "127.0.0.1:-1", SyncAlways: always})
			if err := bus.EnsureStreams(context.Background(), bs.JS); err != nil {
				b.Fatal(err)
			}
			for range 10 {
				enqueue(b, pool, "SF", 500)
			}
			b.ResetTimer()
			start := time.Now()
			startRelay(b, pool, bs.Conn, bus.RelayOptions{PollInterval: 5 * time.Millisecond})
			eventually(b, 2*time.Minute, "all published", func() bool { return unsent(b, pool) == 0 })
			b.ReportMetric(5000/time.Since(start).Seconds(), "events/s")
		})
	}
}
