package dispatch

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
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
func (s *Store) OperationsStats(ctx context.Context) (OpsStats, error) {
	var st OpsStats
	var solveMs int64
	var date time.Time
	err := s.pool.QueryRow(ctx, `
		SELECT service_date, solve_ms, joint_cost_fen, separate_cost_fen
		FROM dispatch_plans ORDER BY created_at DESC, id DESC LIMIT 1`).Scan(&date, &solveMs, &st.JointCostFen, &st.SeparateCostFen)
	switch {
	case err == pgx.ErrNoRows:
	case err != nil:
		return st, dbErr(err, "the newest plan")
	default:
		st.LatestPlan, st.PlanDate, st.PlanSolve = true, date.Format(time.DateOnly), time.Duration(solveMs)*time.Millisecond
	}
	var oldest *time.Time
	if err := s.pool.QueryRow(ctx, `SELECT count(*), min(created_at) FROM dispatch_jobs WHERE acked_at IS NULL`).Scan(&st.UnackedJobs, &oldest); err != nil {
		return st, dbErr(err, "the unacknowledged jobs")
	}
	if oldest != nil {
		st.OldestUnacked = time.Since(*oldest)
	}
	return st, nil
}
