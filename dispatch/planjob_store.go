package dispatch

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/internal/tenant"
)

// planJobStore keeps the queue of planning requests (plan_jobs).
type planJobStore struct{ pool *pgxpool.Pool }

const planJobCols = `j.id, j.service_date::text, j.state, j.time_limit_ms, j.seed, j.max_trips, j.reload_s, j.by_wave, j.balance, j.ev_range_km, j.requested_by, j.created_at,
	j.started_at, j.finished_at, j.phase, j.best_cost_fen, j.elapsed_ms, j.cancel_requested, j.plan_id,
	j.error_code, j.error_detail,
	CASE WHEN j.state = 'queued' THEN (SELECT count(*) FROM plan_jobs q WHERE q.state = 'queued' AND q.id <= j.id) ELSE 0 END`

func scanPlanJob(r pgx.Row) (*PlanJob, error) {
	var j PlanJob
	var code, detail string
	var reloadS int64
	err := r.Scan(&j.ID, &j.ServiceDate, &j.State, &j.TimeLimitMs, &j.Seed, &j.MaxTrips, &reloadS, &j.ByWave, &j.Balance, &j.EVRangeKm, &j.RequestedBy, &j.CreatedAt,
		&j.StartedAt, &j.FinishedAt, &j.Progress.Phase, &j.Progress.BestCostFen, &j.Progress.ElapsedMs,
		&j.CancelRequested, &j.PlanID, &code, &detail, &j.QueuePosition)
	if err != nil {
		return nil, err
	}
	j.ReloadMinutes = int(reloadS / 60)
	if code != "" {
		j.Error = &JobError{Code: code, Detail: detail}
	}
	j.fillProgress()
	return &j, nil
}

// insert queues a request.
func (st planJobStore) insert(ctx context.Context, r PlanRequest) (*PlanJob, error) {
	var id int64
	err := st.pool.QueryRow(ctx, `INSERT INTO plan_jobs (service_date, time_limit_ms, seed, max_trips, reload_s, by_wave, balance, ev_range_km, requested_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, r.ServiceDate, r.TimeLimit.Milliseconds(), r.Seed,
		r.MaxTrips, int64(r.ReloadTime/time.Second), r.ByWave, r.Balance, r.EVRangeKm, r.RequestedBy).Scan(&id)
	if err != nil {
		return nil, pg.Err(err, "plan job")
	}
	return st.get(ctx, id)
}

func (st planJobStore) get(ctx context.Context, id int64) (*PlanJob, error) {
	j, err := scanPlanJob(st.pool.QueryRow(ctx, `SELECT `+planJobCols+` FROM plan_jobs j WHERE j.id = $1`, id))
	return j, pg.Err(err, "plan job "+itoa(id))
}

// list lists a day's jobs (every day's when date is empty), newest first.
func (st planJobStore) list(ctx context.Context, date string) ([]*PlanJob, error) {
	rows, err := st.pool.Query(ctx, `SELECT `+planJobCols+` FROM plan_jobs j
		WHERE $1 = '' OR j.service_date = $1::date ORDER BY j.id DESC LIMIT 200`, date)
	if err != nil {
		return nil, pg.Err(err, "plan jobs")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*PlanJob, error) { return scanPlanJob(r) })
	return out, pg.Err(err, "plan jobs")
}

// staleAfter is how long a running job may go without a heartbeat before
// it is taken for a planner that died (a killed server).
const staleAfter = 30 * time.Second

// claim starts the oldest queued job of any county whose day has no
// running job in its county, first failing running jobs whose planner
// stopped beating; it answers the job and its county, for the planner to
// work in (issue 18: one queue serves the province, first come first
// served). It answers nil when nothing can start now. Two planners racing
// for the same day are kept apart by the one-running-per-day index: the
// loser claims nothing.
func (st planJobStore) claim(ctx context.Context) (*PlanJob, string, error) {
	province := tenant.WithProvince(ctx)
	if _, err := st.pool.Exec(province, `UPDATE plan_jobs SET state = 'failed', finished_at = now(), phase = 'failed',
		error_code = 'unavailable', error_detail = 'the server planning this day stopped before it finished; plan the day again'
		WHERE state = 'running' AND heartbeat_at < now() - $1::interval`, staleAfter.String()); err != nil {
		return nil, "", pg.Err(err, "plan jobs")
	}
	var id int64
	var county string
	err := st.pool.QueryRow(province, `
		UPDATE plan_jobs SET state = 'running', started_at = now(), heartbeat_at = now(), phase = 'preparing'
		WHERE id = (
			SELECT j.id FROM plan_jobs j
			WHERE j.state = 'queued'
			  AND NOT EXISTS (SELECT 1 FROM plan_jobs r
			                  WHERE r.county = j.county AND r.service_date = j.service_date AND r.state = 'running')
			ORDER BY j.id LIMIT 1 FOR UPDATE SKIP LOCKED)
		RETURNING id, county`).Scan(&id, &county)
	if err != nil {
		if _, raced := pg.UniqueViolation(err); raced || pg.NoRows(err) {
			return nil, "", nil
		}
		return nil, "", pg.Err(err, "plan job")
	}
	j, err := st.get(tenant.With(ctx, county), id)
	return j, county, err
}

// beat records a running job's progress and says whether someone
// asked to cancel it (perhaps through another server).
func (st planJobStore) beat(ctx context.Context, id int64, p JobProgress) (cancel bool, err error) {
	err = st.pool.QueryRow(ctx, `UPDATE plan_jobs SET heartbeat_at = now(), phase = $2, best_cost_fen = $3, elapsed_ms = $4
		WHERE id = $1 AND state = 'running' RETURNING cancel_requested`, id, p.Phase, p.BestCostFen, p.ElapsedMs).Scan(&cancel)
	if err != nil {
		return false, pg.Err(err, "running plan job "+itoa(id))
	}
	return cancel, nil
}

// finish records how a running job ended.
func (st planJobStore) finish(ctx context.Context, id int64, state string, p JobProgress, planID *int64, jerr *JobError) error {
	var code, detail string
	if jerr != nil {
		code, detail = jerr.Code, jerr.Detail
	}
	_, err := st.pool.Exec(ctx, `UPDATE plan_jobs SET state = $2, finished_at = now(), phase = $2, best_cost_fen = $3,
		elapsed_ms = $4, plan_id = $5, error_code = $6, error_detail = $7 WHERE id = $1 AND state = 'running'`,
		id, state, p.BestCostFen, p.ElapsedMs, planID, code, detail)
	return pg.Err(err, "plan job "+itoa(id))
}

// cancel cancels a queued job at once and flags a running one for
// its planner; a finished job is left as it is. It answers the job's state
// before the call.
func (st planJobStore) cancel(ctx context.Context, id int64) (string, error) {
	var before string
	err := pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT state FROM plan_jobs WHERE id = $1 FOR UPDATE`, id).Scan(&before); err != nil {
			return err
		}
		switch before {
		case JobQueued:
			_, err := tx.Exec(ctx, `UPDATE plan_jobs SET state = 'cancelled', phase = 'cancelled', finished_at = now(),
				cancel_requested = true WHERE id = $1`, id)
			return err
		case JobRunning:
			_, err := tx.Exec(ctx, `UPDATE plan_jobs SET cancel_requested = true WHERE id = $1`, id)
			return err
		}
		return nil
	})
	return before, pg.Err(err, "plan job "+itoa(id))
}
