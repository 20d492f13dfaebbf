package dispatch

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/google/uuid"

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

// Jobs lists jobs oldest first. The cursor is an offset: job lists are
// short-lived and small, so the simplest stable order is enough.
func (s *Service) Jobs(ctx context.Context, f JobFilter) ([]Job, error) {
	jobs, _, err := s.JobsPage(ctx, f)
	return jobs, err
}

// JobsPage is Jobs with the cursor of the next page ("" at the end).
func (s *Service) JobsPage(ctx context.Context, f JobFilter) ([]Job, string, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	offset := 0
	if f.Cursor != "" {
		n, err := strconv.Atoi(f.Cursor)
		if err != nil || n < 0 {
			return nil, "", errs.Field("cursor", "is not a cursor this list gave out")
		}
		offset = n
	}
	jobs, err := s.jobs.list(ctx, f, f.Limit+1, offset)
	if err != nil {
		return nil, "", err
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
// Acknowledging twice keeps the first acknowledgement. A carrier learns
// nothing about other carriers' jobs: theirs are not found.
func (s *Service) Ack(ctx context.Context, id uuid.UUID, carrier, by string) (Job, error) {
	return s.jobs.ack(ctx, id, carrier, by)
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
func (s *Service) AckFromCarrier(ctx context.Context, carrier string, payload []byte) error {
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
// many jobs were re-sent.
func (s *Service) Resend(ctx context.Context, olderThan time.Duration) (int, error) {
	return s.jobs.resend(ctx, olderThan)
}

// AckKind is the <event> of tongpei.carrier.<carrier>.ack.
const AckKind = "ack"

// ApplyCarrierEvent has the bus.CarrierHandler shape, so the carrier-event
// consumer can route kind "ack" here as it routes the others to custody.
// The event id needs no record: acknowledging is idempotent by itself.
func (s *Service) ApplyCarrierEvent(ctx context.Context, carrier string, _ uuid.UUID, kind string, payload json.RawMessage) error {
	if kind != AckKind {
		return errs.E(errs.Invalid, "dispatch handles tongpei.carrier.<carrier>.ack, not %q", kind)
	}
	return s.AckFromCarrier(ctx, carrier, payload)
}
