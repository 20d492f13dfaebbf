-- +goose Up
-- The demonstration county's tokens are derived from this random key, so a
-- second `serve --demo` finds and prints the same tokens instead of adding
-- new ones. Only a database loaded with --demo has a row here.
CREATE TABLE demo_secret (
    id     boolean PRIMARY KEY DEFAULT true CHECK (id),
    secret bytea NOT NULL
);

-- +goose Down
DROP TABLE demo_secret;
