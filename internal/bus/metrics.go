package bus

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// relayMetrics are what an operator watches to see events flowing: a
// growing backlog or lag means NATS is away or the relay cannot keep up.
type relayMetrics struct {
	backlog   prometheus.Gauge
	lag       prometheus.Gauge
	published prometheus.Counter
	errors    prometheus.Counter
}

// sampleEvery is how often backlog and lag are read from the outbox.
const sampleEvery = time.Second

func newRelayMetrics(reg prometheus.Registerer) (*relayMetrics, error) {
	m := &relayMetrics{
		backlog: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "tongpei_outbox_backlog",
			Help: "Outbox rows not yet published to JetStream.",
		}),
		lag: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "tongpei_outbox_lag_seconds",
			Help: "Age of the oldest unpublished outbox row (0 when none).",
		}),
		published: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "tongpei_outbox_published_total",
			Help: "Outbox rows JetStream acknowledged.",
		}),
		errors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "tongpei_outbox_publish_errors_total",
			Help: "Failed publish attempts (each is retried).",
		}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.backlog, m.lag, m.published, m.errors} {
			if err := reg.Register(c); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}

// sample refreshes backlog and lag until ctx ends. It runs beside the
// relay loop, so the figures stay current while the relay backs off.
func (m *relayMetrics) sample(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) {
	t := time.NewTicker(sampleEvery)
	defer t.Stop()
	for {
		qctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		var n int64
		var lag float64
		err := pool.QueryRow(qctx, `
			SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8
			FROM outbox WHERE sent_at IS NULL`).Scan(&n, &lag)
		cancel()
		if err == nil {
			m.backlog.Set(float64(n))
			m.lag.Set(max(lag, 0))
		} else if ctx.Err() == nil {
			log.Debug("outbox metrics", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
