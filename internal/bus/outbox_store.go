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
	ids := make([]uuid.UUID, 0, len(events))
	subjects := make([]string, 0, len(events))
	payloads := make([]string, 0, len(events))
	seen := make(map[uuid.UUID]bool, len(events))
	for _, e := range events {
		if err := checkSubject(e.Subject); err != nil {
			return fmt.Errorf("outbox: event %s: %w", e.ID, err)
		}
		b, err := json.Marshal(e.Payload)
		if err != nil {
			return fmt.Errorf("outbox: event %s: %w", e.ID, err)
		}
		if seen[e.ID] {
			continue // the first of an id in one call is the one kept
		}
		seen[e.ID] = true
		ids, subjects, payloads = append(ids, e.ID), append(subjects, e.Subject), append(payloads, string(b))
	}
	// The outbox is partitioned by month (migration 00160): ids are unique
	// across months in outbox_ids, which a trigger fills, so an id already
	// there is skipped here as ON CONFLICT DO NOTHING skipped it before. Two
	// transactions enqueueing one new id at once: the second fails on
	// outbox_ids_pkey and may be retried (the ids callers use are fresh, or
	// scan ids the timeline's own key has already made unique).
	q.Queue(`
		INSERT INTO outbox (id, subject, payload)
		SELECT u.id, u.subject, u.payload FROM unnest($1::uuid[], $2::text[], $3::jsonb[]) WITH ORDINALITY u (id, subject, payload, n)
		WHERE NOT EXISTS (SELECT 1 FROM outbox_ids k WHERE k.id = u.id)
		ORDER BY u.n`, ids, subjects, payloads)
	return nil
}
