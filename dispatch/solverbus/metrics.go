package solverbus

import "github.com/prometheus/client_golang/prometheus"

// clientMetrics tell an operator whether the workers carry the plans: a
// growing "local" count with workers running means they cannot be reached
// or are always busy; "lost" counts workers that went silent mid-solve.
type clientMetrics struct {
	solves   *prometheus.CounterVec // by where: worker, local
	attempts *prometheus.CounterVec // by outcome: lost, busy
}

func newClientMetrics(reg prometheus.Registerer) *clientMetrics {
	m := &clientMetrics{
		solves: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tongpei_solver_solves_total",
			Help: "Optimiser runs for plans, by where they ran: worker (over NATS) or local (in this process).",
		}, []string{"where"}),
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tongpei_solver_failed_attempts_total",
			Help: "Solve attempts sent elsewhere: lost (the worker went silent) or busy (it had no free slot).",
		}, []string{"outcome"}),
	}
	for _, l := range []string{"worker", "local"} {
		m.solves.WithLabelValues(l)
	}
	for _, l := range []string{"lost", "busy"} {
		m.attempts.WithLabelValues(l)
	}
	if reg != nil {
		reg.MustRegister(m.solves, m.attempts)
	}
	return m
}
