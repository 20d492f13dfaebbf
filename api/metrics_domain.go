package api

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tongpei/tongpei/stations"
)

// domainMetrics are the series that answer an operator's questions about
// the county's day rather than about HTTP: scans by kind and outcome,
// refused sign-ins, and — read from the domains at scrape time, so they are
// right after a restart — parcels waiting and overdue per station, the
// newest plan and the jobs nobody has acknowledged.
type domainMetrics struct {
	scans        *prometheus.CounterVec
	authFailures *prometheus.CounterVec
}

func newDomainMetrics(d Deps) *domainMetrics {
	m := &domainMetrics{
		scans: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tongpei_scans_total",
			Help: "Scans answered, by kind and by status (accepted, duplicate, rejected).",
		}, []string{"kind", "status"}),
		authFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tongpei_auth_failures_total",
			Help: "Requests refused for who sent them: 401 (no or bad credentials) and 403 (not allowed).",
		}, []string{"status"}),
	}
	for _, c := range []prometheus.Collector{m.scans, m.authFailures, scrapeCollector{d}} {
		if err := d.Metrics.Register(c); err != nil {
			slog.Warn("metrics", "err", err) // a second server on one registry in tests
		}
	}
	return m
}

// countScans records each scan's outcome under its kind; scans too broken
// to decode have none.
func (m *domainMetrics) countScans(scans []stations.Scan, at []int, results []stations.Result) {
	kinds := make([]string, len(results))
	for i := range kinds {
		kinds[i] = "unknown"
	}
	for j, i := range at {
		kinds[i] = string(scans[j].Kind)
	}
	for i, r := range results {
		m.scans.WithLabelValues(kinds[i], string(r.Status)).Inc()
	}
}

// scrapeCollector reads the domains when /metrics is scraped. Each query
// gets two seconds; one that fails leaves its series out of that scrape
// instead of failing it.
type scrapeCollector struct{ d Deps }

var (
	waitingDesc = prometheus.NewDesc("tongpei_parcels_waiting",
		"Parcels on a station's shelf waiting for their recipients.", []string{"station"}, nil)
	overdueDesc = prometheus.NewDesc("tongpei_parcels_overdue",
		"Waiting parcels older than the overdue limit (3 days).", []string{"station"}, nil)
	planSolveDesc = prometheus.NewDesc("tongpei_plan_solve_seconds",
		"Solve time of the newest daily plan.", []string{"date"}, nil)
	planCostDesc = prometheus.NewDesc("tongpei_plan_cost_fen",
		"Cost of the newest daily plan: joint fleet, and the separate-delivery counterfactual.", []string{"date", "fleet"}, nil)
	unackedDesc = prometheus.NewDesc("tongpei_dispatch_jobs_unacknowledged",
		"Dispatch jobs sent and not yet acknowledged by their carrier or driver.", nil, nil)
	unackedAgeDesc = prometheus.NewDesc("tongpei_dispatch_jobs_oldest_unacknowledged_seconds",
		"Age of the oldest unacknowledged dispatch job (0 when none).", nil, nil)
)

func (scrapeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{waitingDesc, overdueDesc, planSolveDesc, planCostDesc, unackedDesc, unackedAgeDesc} {
		ch <- d
	}
}

func (s scrapeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if s.d.Custody != nil {
		if waiting, err := s.d.Custody.WaitingByStation(ctx, 0); err == nil {
			for _, w := range waiting {
				ch <- prometheus.MustNewConstMetric(waitingDesc, prometheus.GaugeValue, float64(w.Waiting), w.Station)
				ch <- prometheus.MustNewConstMetric(overdueDesc, prometheus.GaugeValue, float64(w.Overdue), w.Station)
			}
		}
	}
	if s.d.Dispatch != nil {
		if st, err := s.d.Dispatch.OperationsStats(ctx); err == nil {
			if st.LatestPlan {
				ch <- prometheus.MustNewConstMetric(planSolveDesc, prometheus.GaugeValue, st.PlanSolve.Seconds(), st.PlanDate)
				ch <- prometheus.MustNewConstMetric(planCostDesc, prometheus.GaugeValue, float64(st.JointCostFen), st.PlanDate, "joint")
				ch <- prometheus.MustNewConstMetric(planCostDesc, prometheus.GaugeValue, float64(st.SeparateCostFen), st.PlanDate, "separate")
			}
			ch <- prometheus.MustNewConstMetric(unackedDesc, prometheus.GaugeValue, float64(st.UnackedJobs))
			ch <- prometheus.MustNewConstMetric(unackedAgeDesc, prometheus.GaugeValue, st.OldestUnacked.Seconds())
		}
	}
}
