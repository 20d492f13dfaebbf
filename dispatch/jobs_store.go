package dispatch

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/errs"
)

// JobFilter narrows a job list.
type JobFilter struct {
	PlanID    int64  // 0: any plan
	Recipient string // "": anyone (admin); a carrier sees only its own
	Acked     *bool  // nil: both
	Limit     int
	Cursor    string // from the previous page's next
}

const jobCols = `id, plan_id, kind, recipient, subject, payload, created_at, last_sent_at, sends, acked_at, acked_by`

func scanJob(r pgx.CollectableRow) (Job, error) {
	var j Job
	err := r.Scan(&j.ID, &j.PlanID, &j.Kind, &j.Recipient, &j.Subject, &j.Payload, &j.CreatedAt, &j.LastSentAt, &j.Sends, &j.AckedAt, &j.AckedBy)
	return j, err
}

// Jobs lists jobs oldest first. The cursor is an offset: job lists are
// short-lived and small, so the simplest stable order is enough.
func (s *Store) Jobs(ctx context.Context, f JobFilter) ([]Job, error) {
	jobs, _, err := s.JobsPage(ctx, f)
	return jobs, err
}

// JobsPage is Jobs with the cursor of the next page ("" at the end).
func (s *Store) JobsPage(ctx context.Context, f JobFilter) ([]Job, string, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	offset := 0
	if f.Cursor != "" {
		n, err := strconv.Atoi(f.Cursor)
		if err != nil || n < 0 {
			var fe errs.Fields
			fe.Add("cursor", "is not a cursor this list gave out")
			return nil, "", fe.Err()
		}
		offset = n
	}
	rows, err := s.pool.Query(ctx, `SELECT `+jobCols+` FROM dispatch_jobs
		WHERE ($1 = 0 OR plan_id = $1) AND ($2 = '' OR recipient = $2)
		  AND ($3::boolean IS NULL OR (acked_at IS NOT NULL) = $3)
		ORDER BY created_at, id LIMIT $4 OFFSET $5`, f.PlanID, f.Recipient, f.Acked, f.Limit+1, offset)
	if err != nil {
		return nil, "", dbErr(err, "jobs")
	}
	jobs, err := pgx.CollectRows(rows, scanJob)
	if err != nil {
		return nil, "", dbErr(err, "jobs")
	}
	next := ""
	if len(jobs) > f.Limit {
		jobs, next = jobs[:f.Limit], strconv.Itoa(offset+f.Limit)
	}
	return jobs, next, nil
}

// Ack records that the recipient has the job. carrier is the acknowledging
// carrier, which must be the job's recipient ("" for the county centre,
// which may acknowledge on anyone's behalf, e.g. the operator's phone call).
// Acknowledging twice keeps the first acknowledgement.
func (s *Store) Ack(ctx context.Context, id uuid.UUID, carrier, by string) (Job, error) {
	rows, err := s.pool.Query(ctx, `
		UPDATE dispatch_jobs SET acked_at = coalesce(acked_at, now()), acked_by = coalesce(acked_by, $3)
		WHERE id = $1 AND ($2 = '' OR recipient = $2)
		RETURNING `+jobCols, id, carrier, by)
	if err != nil {
		return Job{}, dbErr(err, "job")
	}
	j, err := pgx.CollectExactlyOneRow(rows, scanJob)
	if err != nil {
		// A carrier learns nothing about other carriers' jobs: not found.
		return Job{}, dbErr(err, "job "+id.String())
	}
	return j, nil
}

// CarrierAck is what a carrier publishes on tongpei.carrier.<carrier>.ack:
// {"id": "<event uuid, for the consumer's dedup>", "job_id": "<job uuid>"}.
type CarrierAck struct {
	JobID uuid.UUID `json:"job_id"`
}

// AckFromCarrier is for the bus consumer of tongpei.carrier.<carrier>.ack:
// carrier comes from the subject (the carrier's credentials only reach its
// own), payload is the message body. It is idempotent, so redelivery is
// harmless; a job of another carrier is not_found.
func (s *Store) AckFromCarrier(ctx context.Context, carrier string, payload []byte) error {
	var a CarrierAck
	if err := json.Unmarshal(payload, &a); err != nil || a.JobID == uuid.Nil {
		return errs.E(errs.Invalid, `an ack must be {"job_id": "<uuid>"}`)
	}
	_, err := s.Ack(ctx, a.JobID, carrier, "carrier:"+carrier+" via NATS")
	return err
}

// Resend re-enqueues every unacknowledged job last sent more than olderThan
// ago: a new event id (JetStream would drop the old one as a duplicate), the
// same job id in the payload, and the count of sendings. It returns how
// many jobs were re-sent. Concurrent resenders skip each other's rows.
func (s *Store) Resend(ctx context.Context, olderThan time.Duration) (int, error) {
	n := 0
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
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
			var payload json.RawMessage
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
	return n, dbErr(err, "jobs")
}

// AckKind is the <event> of tongpei.carrier.<carrier>.ack.
const AckKind = "ack"

// ApplyCarrierEvent has the bus.CarrierHandler shape, so the carrier-event
// consumer can route kind "ack" here as it routes the others to custody.
// The event id needs no record: acknowledging is idempotent by itself.
func (s *Store) ApplyCarrierEvent(ctx context.Context, carrier string, _ uuid.UUID, kind string, payload json.RawMessage) error {
	if kind != AckKind {
		return errs.E(errs.Invalid, "dispatch handles tongpei.carrier.<carrier>.ack, not %q", kind)
	}
	return s.AckFromCarrier(ctx, carrier, payload)
}
