-- +goose Up
-- API tokens: only the SHA-256 of a token is stored; the token itself is
-- shown once, when it is created.
CREATE TABLE api_tokens (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash  bytea NOT NULL UNIQUE,
    prefix      text NOT NULL,
    role        text NOT NULL CHECK (role IN ('admin', 'keeper', 'carrier', 'merchant')),
    scope       text NOT NULL DEFAULT '',
    name        text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz,
    CHECK ((role = 'admin') = (scope = ''))
);

-- The transactional outbox: every domain event is written here in the same
-- transaction as the change it reports, and a relay publishes it to NATS
-- JetStream with Nats-Msg-Id = id.
CREATE TABLE outbox (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          uuid NOT NULL UNIQUE,
    subject     text NOT NULL,
    payload     jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz
);
CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;

-- +goose Down
DROP TABLE outbox;
DROP TABLE api_tokens;
