-- +goose Up
-- People sign in by a one-time link an admin issues for a role and scope;
-- redeeming it opens a session the browser holds as an HttpOnly cookie.
-- Only SHA-256 hashes of the link and session secrets are stored.
CREATE TABLE login_links (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    secret_hash bytea NOT NULL UNIQUE,
    role        text NOT NULL CHECK (role IN ('admin', 'keeper', 'carrier', 'merchant')),
    scope       text NOT NULL DEFAULT '',
    name        text NOT NULL CHECK (name <> ''),
    issued_by   text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    CHECK ((role = 'admin') = (scope = ''))
);

CREATE TABLE sessions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    secret_hash  bytea NOT NULL UNIQUE,
    link_id      bigint NOT NULL REFERENCES login_links (id),
    role         text NOT NULL,
    scope        text NOT NULL DEFAULT '',
    name         text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    ended_at     timestamptz
);

-- +goose Down
DROP TABLE sessions;
DROP TABLE login_links;
