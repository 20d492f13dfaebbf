-- +goose Up
-- Where JetStream stored each published event (the stream and the sequence
-- its ack named), so that reconciliation can tell an event the stream lost
-- (a deleted store, a crash before the stream's fsync) from one it holds.
ALTER TABLE outbox ADD COLUMN stream text, ADD COLUMN stream_seq bigint;
CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL;

-- +goose Down
DROP INDEX outbox_sent_at;
ALTER TABLE outbox DROP COLUMN stream, DROP COLUMN stream_seq;
