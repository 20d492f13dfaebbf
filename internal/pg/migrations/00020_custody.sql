-- +goose Up
-- Custody of parcels: the parcels themselves, their timeline, the scans that
-- were refused, and the carrier events already applied.

-- Order numbers for up parcels whose waybill number the carrier assigns later.
CREATE SEQUENCE parcel_order_seq;

CREATE TABLE parcels (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    carrier         text NOT NULL REFERENCES carriers (code),
    tracking_no     text NOT NULL,
    direction       text NOT NULL CHECK (direction IN ('down', 'up')),
    -- destination station for down parcels, origin station for up parcels
    station         text NOT NULL REFERENCES stations (code),
    state           text NOT NULL,
    recipient_name  text NOT NULL DEFAULT '',
    recipient_phone text NOT NULL DEFAULT '',
    sender_merchant text NOT NULL DEFAULT '',
    sender_name     text NOT NULL DEFAULT '',
    sender_phone    text NOT NULL DEFAULT '',
    weight_g        integer NOT NULL CHECK (weight_g > 0),
    size_l          integer NOT NULL DEFAULT 0,
    size_w          integer NOT NULL DEFAULT 0,
    size_h          integer NOT NULL DEFAULT 0,
    category        text NOT NULL DEFAULT 'general' CHECK (category IN ('farm_produce', 'general')),
    dest_province   text NOT NULL DEFAULT '',
    dest_city       text NOT NULL DEFAULT '',
    quote_id        text NOT NULL DEFAULT '',
    pickup_code     text NOT NULL DEFAULT '',
    -- when the parcel reached its station's shelf (station_arrival)
    arrived_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- tracking number first: keepers scan a waybill without saying whose
    -- it is, and one index serves both lookups.
    UNIQUE (tracking_no, carrier)
);
-- A pickup code names one parcel among those waiting at a station; so does
-- its number alone (3-2-4817 → 4817), which is what recipients say.
CREATE UNIQUE INDEX parcels_pickup_code ON parcels (station, (split_part(pickup_code, '-', 3)))
    WHERE state = 'station_arrival';
-- The shelf, oldest first; the counter search by the last four digits of
-- a phone filters a station's shelf, so it needs no index of its own (every
-- index is written again on each scan, since a scan changes the state).
CREATE INDEX parcels_shelf ON parcels (station, state, (coalesce(arrived_at, created_at)), id);
CREATE INDEX parcels_sender_merchant ON parcels (sender_merchant) WHERE sender_merchant <> '';

-- The timeline. An accepted scan is stored here under its client id, which is
-- the primary key: a resend after a crash finds it and is not applied twice.
-- digest is the hash of the scan's content (NULL for events that were not
-- scans), so that the same id with other content is told apart.
CREATE TABLE parcel_events (
    seq         bigint GENERATED ALWAYS AS IDENTITY,
    id          uuid PRIMARY KEY,
    parcel_id   bigint NOT NULL REFERENCES parcels (id),
    kind        text NOT NULL,
    station     text NOT NULL DEFAULT '',
    at          timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    by          text NOT NULL,
    digest      bytea,
    pickup_code text NOT NULL DEFAULT '',
    note        text NOT NULL DEFAULT '',
    lon         double precision,
    lat         double precision
);
CREATE INDEX parcel_events_parcel ON parcel_events (parcel_id, seq);

-- Scans refused because of the parcel's state at the time. Remembering them
-- makes a resent batch end exactly as the first sending did, even when a
-- later scan has since moved the parcel on.
CREATE TABLE scan_rejections (
    id          uuid PRIMARY KEY,
    digest      bytea NOT NULL,
    code        text NOT NULL,
    detail      text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);

-- Carrier events (manifests, collections) already applied, by event id.
CREATE TABLE carrier_events (
    id          uuid PRIMARY KEY,
    carrier     text NOT NULL,
    kind        text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE carrier_events;
DROP TABLE scan_rejections;
DROP TABLE parcel_events;
DROP TABLE parcels;
DROP SEQUENCE parcel_order_seq;
