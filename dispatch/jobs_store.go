package dispatch

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/pg"
)

// jobStore keeps the jobs published plans owe (dispatch_jobs) and writes
// their events to the outbox in the same transactions.
type jobStore struct{ pool *pgxpool.Pool }

// publish, in one transaction, locks the plan, lets check refuse it (from
// its status and the newest version of its date), records jobs, marks the
// plan published and enqueues one event per job.
func (st jobStore) publish(ctx context.Context, planID int64, check func(status string, newest int) error, jobs []Job) error {
	err := pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		var status string
		var newest int
		if err := tx.QueryRow(ctx, `SELECT status, (SELECT max(version) FROM dispatch_plans q WHERE q.service_date = p.service_date)
			FROM dispatch_plans p WHERE id = $1 FOR UPDATE`, planID).Scan(&status, &newest); err != nil {
			return pg.Err(err, "plan")
		}
		if err := check(status, newest); err != nil {
			return err
		}
		events := make([]bus.Event, len(jobs))
		for i, j := range jobs {
			events[i] = bus.Event{ID: uuid.New(), Subject: j.Subject, Payload: j.Payload}
			if _, err := tx.Exec(ctx, `INSERT INTO dispatch_jobs (id, plan_id, kind, recipient, subject, payload)
				VALUES ($1, $2, $3, $4, $5, $6)`, j.ID, planID, j.Kind, j.Recipient, j.Subject, j.Payload); err != nil {
				return pg.Err(err, "job")
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE dispatch_plans SET status = 'published', published_at = now() WHERE id = $1`, planID); err != nil {
			return pg.Err(err, "plan")
		}
		return bus.Enqueue(ctx, tx, events...)
	})
	return pg.Err(err, "plan")
}

const jobCols = `id, plan_id, kind, recipient, subject, payload, created_at, last_sent_at, sends, acked_at, acked_by`

func scanJob(r pgx.CollectableRow) (Job, error) {
	var j Job
	err := r.Scan(&j.ID, &j.PlanID, &j.Kind, &j.Recipient, &j.Subject, &j.Payload, &j.CreatedAt, &j.LastSentAt, &j.Sends, &j.AckedAt, &j.AckedBy)
	return j, err
}

// list reads up to limit jobs of f, oldest first, from offset on.
func (st jobStore) list(ctx context.Context, f JobFilter, limit, offset int) ([]Job, error) {
	rows, err := st.pool.Query(ctx, `SELECT `+jobCols+` FROM dispatch_jobs
		WHERE ($1 = 0 OR plan_id = $1) AND ($2 = '' OR recipient = $2)
		  AND ($3::boolean IS NULL OR (acked_at IS NOT NULL) = $3)
		ORDER BY created_at, id LIMIT $4 OFFSET $5`, f.PlanID, f.Recipient, f.Acked, limit, offset)
	if err != nil {
		return nil, pg.Err(err, "jobs")
	}
	jobs, err := pgx.CollectRows(rows, scanJob)
	return jobs, pg.Err(err, "jobs")
}

// ack records the first acknowledgement of job id, if it is carrier's (any
// recipient's when carrier is empty).
func (st jobStore) ack(ctx context.Context, id uuid.UUID, carrier, by string) (Job, error) {
	rows, err := st.pool.Query(ctx, `
		UPDATE dispatch_jobs SET acked_at = coalesce(acked_at, now()), acked_by = coalesce(acked_by, $3)
		WHERE id = $1 AND ($2 = '' OR recipient = $2)
		RETURNING `+jobCols, id, carrier, by)
	if err != nil {
		return Job{}, pg.Err(err, "job")
	}
	j, err := pgx.CollectExactlyOneRow(rows, scanJob)
	return j, pg.Err(err, "job "+id.String())
}

// resend re-enqueues up to 1,000 unacknowledged jobs last sent more than
// olderThan ago, with a new event id and the count of sendings in the
// payload. Concurrent resenders skip each other's rows.
func (st jobStore) resend(ctx context.Context, olderThan time.Duration) (int, error) {
	n := 0
	err := pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			WITH due AS (
				SELECT id FROM dispatch_jobs
				WHERE acked_at IS NULL AND last_sent_at < now() - make_interval(secs => $1)
				ORDER BY last_sent_at LIMIT 1000 FOR UPDATE SKIP LOCKED)
			UPDATE dispatch_jobs j SET sends = sends + 1, last_sent_at = now(),
				payload = jsonb_set(payload, '{sends}', to_jsonb(sends + 1))
			FROM due WHERE j.id = due.id
			RETURNING j.subject, j.payload`, olderThan.Seconds())
		if err != nil {
			return err
		}
		var events []bus.Event
		for rows.Next() {
			var subject string
			var payload json.RawMessage // one per row: events keep it
			if err := rows.Scan(&subject, &payload); err != nil {
				return err
			}
			events = append(events, bus.Event{ID: uuid.New(), Subject: subject, Payload: payload})
		}
		if err := rows.Err(); err != nil {
			return err
		}
		n = len(events)
		return bus.Enqueue(ctx, tx, events...)
	})
	return n, pg.Err(err, "jobs")
}

// unacked counts the unacknowledged jobs and says when the oldest was made.
func (st jobStore) unacked(ctx context.Context) (int64, *time.Time, error) {
	var n int64
	var oldest *time.Time
	err := st.pool.QueryRow(ctx, `SELECT count(*), min(created_at) FROM dispatch_jobs WHERE acked_at IS NULL`).Scan(&n, &oldest)
	return n, oldest, pg.Err(err, "the unacknowledged jobs")
}
