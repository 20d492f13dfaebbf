-- +goose Up
-- Pricing: zonings, baselines, bands and carrier rate cards are versioned
-- documents. Each version is saved whole and read whole (a tariff is small
-- and always used as a unit), so its cells are jsonb; the version in force
-- at an instant is the newest one whose effective_from is not after it.
-- Nothing is ever updated or deleted: history is the audit trail.
CREATE TABLE pricing_zonings (
    version        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    effective_from timestamptz NOT NULL,
    origin         text NOT NULL,
    zones          jsonb NOT NULL,
    created_by     text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- The market rate card before the programme: county-wide (carrier = '') or
-- for one carrier. Every reduction is measured against it.
CREATE TABLE pricing_baselines (
    version        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    carrier        text NOT NULL DEFAULT '',
    effective_from timestamptz NOT NULL,
    source         text NOT NULL DEFAULT '',
    cells          jsonb NOT NULL,
    created_by     text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- The county's published bands for certified firms, with the weight rule
-- (volumetric divisor, rounding step, first weight) and the farm-produce
-- check bound they were validated with.
CREATE TABLE pricing_band_sets (
    version        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    effective_from timestamptz NOT NULL,
    weight_rule    jsonb NOT NULL,
    bound_g        bigint NOT NULL CHECK (bound_g > 0),
    cells          jsonb NOT NULL,
    created_by     text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- A carrier's certified rate card; version counts per carrier.
CREATE TABLE pricing_rate_cards (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    carrier        text NOT NULL REFERENCES carriers (code),
    version        integer NOT NULL CHECK (version > 0),
    effective_from timestamptz NOT NULL,
    cells          jsonb NOT NULL,
    created_by     text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (carrier, version)
);

-- Certification of e-commerce firms (物流孵化认证). A certificate number is
-- given when the firm is certified. A certified record lapses by date by
-- itself; it is stored as expired only when the firm is certified again.
CREATE SEQUENCE certificate_seq;
CREATE TABLE certifications (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    merchant_id    text NOT NULL REFERENCES merchants (id),
    state          text NOT NULL CHECK (state IN ('applied', 'certified', 'suspended', 'revoked', 'expired')),
    certificate_no text UNIQUE,
    valid_from     date,
    valid_until    date,
    applied_at     timestamptz NOT NULL DEFAULT now(),
    certified_at   timestamptz,
    certified_by   text NOT NULL DEFAULT '',
    ended_at       timestamptz,
    ended_by       text NOT NULL DEFAULT '',
    note           text NOT NULL DEFAULT '',
    CHECK ((state = 'applied') = (certificate_no IS NULL)),
    CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
CREATE INDEX certifications_merchant ON certifications (merchant_id, id DESC);
-- At most one live (applied, certified or suspended) record per firm.
CREATE UNIQUE INDEX certifications_live ON certifications (merchant_id)
    WHERE state IN ('applied', 'certified', 'suspended');

-- Every quote with the figures it answered, so reading it later gives the
-- same numbers whatever happened to the cards since.
CREATE TABLE pricing_quotes (
    id          uuid PRIMARY KEY,
    quoted_at   timestamptz NOT NULL,
    merchant_id text NOT NULL DEFAULT '',
    body        jsonb NOT NULL
);
CREATE INDEX pricing_quotes_merchant ON pricing_quotes (merchant_id, quoted_at) WHERE merchant_id <> '';

-- What was charged when an up-parcel shipped: the audit reads only this.
CREATE TABLE pricing_charges (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    quote_id     uuid NOT NULL REFERENCES pricing_quotes (id),
    carrier      text NOT NULL,
    tracking_no  text NOT NULL,
    merchant_id  text NOT NULL DEFAULT '',
    certified    boolean NOT NULL,
    category     text NOT NULL CHECK (category IN ('farm_produce', 'general')),
    zone         text NOT NULL,
    chargeable_g bigint NOT NULL CHECK (chargeable_g > 0),
    price_fen    bigint NOT NULL CHECK (price_fen >= 0),
    baseline_fen bigint NOT NULL CHECK (baseline_fen >= 0),
    band_min_fen bigint NOT NULL,
    band_max_fen bigint NOT NULL,
    charged_at   timestamptz NOT NULL,
    recorded_by  text NOT NULL DEFAULT '',
    UNIQUE (carrier, tracking_no)
);
CREATE INDEX pricing_charges_at ON pricing_charges (charged_at);

-- +goose Down
DROP TABLE pricing_charges;
DROP TABLE pricing_quotes;
DROP TABLE certifications;
DROP SEQUENCE certificate_seq;
DROP TABLE pricing_rate_cards;
DROP TABLE pricing_band_sets;
DROP TABLE pricing_baselines;
DROP TABLE pricing_zonings;
