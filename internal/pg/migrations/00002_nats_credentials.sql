-- +goose Up
-- NATS credentials for carriers connecting to the embedded server: a user
-- (the carrier code) and a random password of which only the SHA-256 is
-- stored, as for API tokens. A carrier may hold several at once so that it
-- can rotate them; revoked ones no longer connect. No foreign key to
-- carriers: that table belongs to a later migration range, and the issuer
-- checks the carrier exists.
CREATE TABLE nats_credentials (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    carrier      text NOT NULL,
    secret_hash  bytea NOT NULL UNIQUE,
    prefix       text NOT NULL,
    name         text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz
);
CREATE INDEX nats_credentials_carrier ON nats_credentials (carrier);

-- +goose Down
DROP TABLE nats_credentials;
