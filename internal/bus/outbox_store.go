package bus

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Event is one domain event on its way to JetStream. ID becomes the
// Nats-Msg-Id, so a relay that publishes it twice is deduplicated.
type Event struct {
	ID      uuid.UUID
	Subject string
	Payload any // marshalled as JSON
}

// Enqueue writes events to the outbox inside the caller's transaction, so
// they exist if and only if the change they report commits. One round trip
// whatever the number of events.
func Enqueue(ctx context.Context, tx pgx.Tx, events ...Event) error {
	if len(events) == 0 {
		return nil
	}
	q := &pgx.Batch{}
	if err := QueueEnqueue(q, events...); err != nil {
		return err
	}
	if err := tx.SendBatch(ctx, q).Close(); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

// QueueEnqueue adds the outbox insert of events to a batch the caller sends
// in its own transaction, saving the round trip of a separate Enqueue on
// hot paths such as scans.
func QueueEnqueue(q *pgx.Batch, events ...Event) error {
	if len(events) == 0 {
		return nil
	}
	ids := make([]uuid.UUID, len(events))
	subjects := make([]string, len(events))
	payloads := make([]string, len(events))
	for i, e := range events {
		if err := checkSubject(e.Subject); err != nil {
			return fmt.Errorf("outbox: event %s: %w", e.ID, err)
		}
		b, err := json.Marshal(e.Payload)
		if err != nil {
			return fmt.Errorf("outbox: event %s: %w", e.ID, err)
		}
		ids[i], subjects[i], payloads[i] = e.ID, e.Subject, string(b)
	}
	q.Queue(`
		INSERT INTO outbox (id, subject, payload)
		SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[])
		ON CONFLICT (id) DO NOTHING`, ids, subjects, payloads)
	return nil
}
