-- +goose Up
-- Reconciliation (internal/bus) finds an event whose stream sequence a later
-- event took (a stream that lost its tail and went on) by (stream, sequence).
CREATE INDEX outbox_stream_seq ON outbox (stream, stream_seq) WHERE stream IS NOT NULL;

-- +goose Down
DROP INDEX outbox_stream_seq;
