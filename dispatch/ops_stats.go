package dispatch

import (
	"context"
	"time"
)

// OpsStats is what the county centre's dashboard shows of dispatch: the
// newest plan's solve time and costs, and the jobs carriers or drivers have
// not acknowledged (the resender keeps sending those).
type OpsStats struct {
	// LatestPlan is false when no plan has been made yet; the plan fields
	// are then zero.
	LatestPlan      bool
	PlanDate        string
	PlanSolve       time.Duration
	JointCostFen    int64
	SeparateCostFen int64
	UnackedJobs     int64
	// OldestUnacked is the age of the oldest unacknowledged job (0 if none).
	OldestUnacked time.Duration
}

// OperationsStats reads OpsStats in two small queries.
func (s *Service) OperationsStats(ctx context.Context) (OpsStats, error) {
	var st OpsStats
	if err := s.plans.newest(ctx, &st); err != nil {
		return st, err
	}
	n, oldest, err := s.jobs.unacked(ctx)
	if err != nil {
		return st, err
	}
	st.UnackedJobs = n
	if oldest != nil {
		st.OldestUnacked = time.Since(*oldest)
	}
	return st, nil
}
