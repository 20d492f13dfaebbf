package pg

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// PoolCollector exposes the pool's own statistics at scrape time. Acquire
// wait is the figure that shows overload first: requests queueing for one
// of the few connections long before PostgreSQL itself is busy.
func PoolCollector(pool *pgxpool.Pool) prometheus.Collector { return poolCollector{pool} }

type poolCollector struct{ pool *pgxpool.Pool }

var (
	poolAcquires = prometheus.NewDesc("tongpei_db_pool_acquires_total",
		"Connections acquired from the pool.", nil, nil)
	poolAcquireWait = prometheus.NewDesc("tongpei_db_pool_acquire_wait_seconds_total",
		"Time spent waiting to acquire a connection, summed over every acquire.", nil, nil)
	poolEmptyAcquires = prometheus.NewDesc("tongpei_db_pool_empty_acquires_total",
		"Acquires that had to wait because no idle connection was free.", nil, nil)
	poolCanceled = prometheus.NewDesc("tongpei_db_pool_canceled_acquires_total",
		"Acquires given up because the request ended first.", nil, nil)
	poolConns = prometheus.NewDesc("tongpei_db_pool_connections",
		"Connections by state.", []string{"state"}, nil)
	poolMax = prometheus.NewDesc("tongpei_db_pool_max_connections",
		"The pool's limit.", nil, nil)
)

func (poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolAcquires, poolAcquireWait, poolEmptyAcquires, poolCanceled, poolConns, poolMax} {
		ch <- d
	}
}

func (p poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := p.pool.Stat()
	ch <- prometheus.MustNewConstMetric(poolAcquires, prometheus.CounterValue, float64(s.AcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolAcquireWait, prometheus.CounterValue, s.AcquireDuration().Seconds())
	ch <- prometheus.MustNewConstMetric(poolEmptyAcquires, prometheus.CounterValue, float64(s.EmptyAcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolCanceled, prometheus.CounterValue, float64(s.CanceledAcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(s.AcquiredConns()), "acquired")
	ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(s.IdleConns()), "idle")
	ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(s.ConstructingConns()), "constructing")
	ch <- prometheus.MustNewConstMetric(poolMax, prometheus.GaugeValue, float64(s.MaxConns()))
}
