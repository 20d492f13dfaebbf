-- +goose Up
-- The county's registry: stations of the three tiers, the companies stationed
-- at the county centre, and the e-commerce firms.
CREATE TABLE stations (
    code        text PRIMARY KEY,
    name        text NOT NULL,
    tier        text NOT NULL CHECK (tier IN ('county_hub', 'township', 'village')),
    parent      text REFERENCES stations (code),
    township    text NOT NULL DEFAULT '',
    lon         double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    lat         double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    services    text[] NOT NULL DEFAULT '{}',
    keeper_name  text NOT NULL DEFAULT '',
    keeper_phone text NOT NULL DEFAULT '',
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stations_parent ON stations (parent);
-- The county has one hub: the warehouse every route starts from.
CREATE UNIQUE INDEX stations_one_hub ON stations (tier) WHERE tier = 'county_hub';

CREATE TABLE carriers (
    code            text PRIMARY KEY,
    name            text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('express', 'bulk', 'trade')),
    stationed_since date,
    active          boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE merchant_seq;
CREATE TABLE merchants (
    id                   text PRIMARY KEY DEFAULT 'M' || lpad(nextval('merchant_seq')::text, 5, '0'),
    name                 text NOT NULL,
    credit_code          text NOT NULL UNIQUE,
    registered_in_county boolean NOT NULL DEFAULT false,
    contact              jsonb NOT NULL DEFAULT '{}',
    categories           text[] NOT NULL DEFAULT '{}',
    active               boolean NOT NULL DEFAULT true,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE merchants;
DROP SEQUENCE merchant_seq;
DROP TABLE carriers;
DROP TABLE stations;
