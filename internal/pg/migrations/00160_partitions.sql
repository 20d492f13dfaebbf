-- +goose Up
-- The scan timeline (parcel_events) and the outbox become range-partitioned
-- by month (issue 18 point 5), PostgreSQL 15's declarative partitioning: a
-- province writes millions of rows a month, and an old month then leaves
-- as one DETACH PARTITION instead of millions of DELETEs and their vacuum.
--
-- Partition keys are server clocks, never a client's: parcel_events by
-- recorded_at (when the server stored the scan; `at` is the phone's clock
-- and may be anything), the outbox by created_at. Both are set to now() on
-- insert, so the months made ahead (pg.EnsurePartitions, at every open and
-- daily in serve) always hold new rows. There is no DEFAULT partition: a
-- row with no month fails loudly instead of piling up where a later month's
-- partition could not be created.
--
-- Months are Beijing time (Asia/Shanghai, UTC+8 all year), the counties'.
--
-- A unique key of a partitioned table must contain the partition key, and
-- the exactly-once guarantees need ids unique across every month: a phone
-- that sent a scan on 31 January and resends it after midnight must find
-- it, and the same id with other content must still be told apart. So the
-- global uniqueness lives in two small unpartitioned key tables (an id and
-- what the lookups need, about 60 bytes a row), filled by statement-level
-- triggers on the partitioned tables, so no writer can bypass them:
--   parcel_event_ids (id PRIMARY KEY): every timeline entry's id and digest;
--     the scan path reads known ids here (one index probe, not one a month).
--   outbox_ids (id PRIMARY KEY): every outbox row's id; pruning a published
--     row deletes its key, as the old UNIQUE (id) ended with the row.

-- Makes the partition of parent for the month holding day, unless a table
-- of that name exists (attached, or detached and kept). Returns the name
-- made, or NULL. Used here and by pg.EnsurePartitions.
-- +goose StatementBegin
CREATE FUNCTION tongpei_month_partition(parent text, day date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    first date := date_trunc('month', day)::date;
    name  text := format('%s_y%sm%s', parent, to_char(first, 'YYYY'), to_char(first, 'MM'));
BEGIN
    IF to_regclass(name) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', name, parent,
        make_timestamptz(extract(year FROM first)::int, extract(month FROM first)::int, 1, 0, 0, 0, 'Asia/Shanghai'),
        make_timestamptz(extract(year FROM first + interval '1 month')::int,
                         extract(month FROM first + interval '1 month')::int, 1, 0, 0, 0, 'Asia/Shanghai'));
    RETURN name;
END $$;
-- +goose StatementEnd

-- Every month from that of oldest (or the one before now) to three ahead.
-- +goose StatementBegin
CREATE FUNCTION tongpei_month_partitions_covering(parent text, oldest timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    m date := date_trunc('month', least(coalesce(oldest, now()), now() - interval '1 month') AT TIME ZONE 'Asia/Shanghai')::date;
BEGIN
    WHILE m <= (now() AT TIME ZONE 'Asia/Shanghai')::date + interval '3 months' LOOP
        PERFORM tongpei_month_partition(parent, m);
        m := m + interval '1 month';
    END LOOP;
END $$;
-- +goose StatementEnd

-- The timeline.
ALTER TABLE parcel_events RENAME TO parcel_events_old;
ALTER INDEX parcel_events_pkey RENAME TO parcel_events_old_pkey;
ALTER INDEX parcel_events_parcel RENAME TO parcel_events_old_parcel;

CREATE TABLE parcel_event_ids (
    id          uuid PRIMARY KEY,
    digest      bytea,
    recorded_at timestamptz NOT NULL
);

CREATE TABLE parcel_events (
    seq         bigint GENERATED ALWAYS AS IDENTITY,
    id          uuid NOT NULL,
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
    lat         double precision,
    -- a row's identity within its month; parcel_event_ids makes id unique
    -- across months
    PRIMARY KEY (id, recorded_at)
) PARTITION BY RANGE (recorded_at);
CREATE INDEX parcel_events_parcel ON parcel_events (parcel_id, seq);

-- +goose StatementBegin
CREATE FUNCTION parcel_event_ids_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO parcel_event_ids (id, digest, recorded_at) SELECT id, digest, recorded_at FROM new_rows;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER parcel_event_ids_insert AFTER INSERT ON parcel_events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION parcel_event_ids_insert();

SELECT tongpei_month_partitions_covering('parcel_events', (SELECT min(recorded_at) FROM parcel_events_old));
INSERT INTO parcel_events OVERRIDING SYSTEM VALUE
    SELECT seq, id, parcel_id, kind, station, at, recorded_at, by, digest, pickup_code, note, lon, lat
    FROM parcel_events_old ORDER BY seq;
SELECT setval(pg_get_serial_sequence('parcel_events', 'seq'),
              coalesce((SELECT max(seq) FROM parcel_events_old), 0) + 1, false);
DROP TABLE parcel_events_old;

-- The outbox.
ALTER TABLE outbox RENAME TO outbox_old;
ALTER INDEX outbox_pkey RENAME TO outbox_old_pkey;
ALTER INDEX outbox_id_key RENAME TO outbox_old_id_key;
ALTER INDEX outbox_unsent RENAME TO outbox_old_unsent;
ALTER INDEX outbox_sent_at RENAME TO outbox_old_sent_at;

CREATE TABLE outbox_ids (
    id uuid PRIMARY KEY
);

CREATE TABLE outbox (
    seq         bigint GENERATED ALWAYS AS IDENTITY,
    id          uuid NOT NULL,
    subject     text NOT NULL,
    payload     jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz,
    stream      text,
    stream_seq  bigint,
    PRIMARY KEY (seq, created_at)
) PARTITION BY RANGE (created_at);
CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL;

-- +goose StatementBegin
CREATE FUNCTION outbox_ids_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outbox_ids (id) SELECT id FROM new_rows;
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION outbox_ids_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM outbox_ids k USING old_rows o WHERE k.id = o.id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER outbox_ids_insert AFTER INSERT ON outbox
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outbox_ids_insert();
CREATE TRIGGER outbox_ids_delete AFTER DELETE ON outbox
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION outbox_ids_delete();

SELECT tongpei_month_partitions_covering('outbox', (SELECT min(created_at) FROM outbox_old));
INSERT INTO outbox OVERRIDING SYSTEM VALUE
    SELECT seq, id, subject, payload, created_at, sent_at, stream, stream_seq FROM outbox_old ORDER BY seq;
SELECT setval(pg_get_serial_sequence('outbox', 'seq'),
              coalesce((SELECT max(seq) FROM outbox_old), 0) + 1, false);
DROP TABLE outbox_old;

-- +goose Down
-- Back to plain tables; detached months are not brought back.
ALTER TABLE outbox RENAME TO outbox_parted;
CREATE TABLE outbox (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          uuid NOT NULL UNIQUE,
    subject     text NOT NULL,
    payload     jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz,
    stream      text,
    stream_seq  bigint
);
INSERT INTO outbox OVERRIDING SYSTEM VALUE SELECT * FROM outbox_parted ORDER BY seq;
SELECT setval(pg_get_serial_sequence('outbox', 'seq'), coalesce((SELECT max(seq) FROM outbox), 0) + 1, false);
DROP TABLE outbox_parted;
DROP TABLE outbox_ids;
DROP FUNCTION outbox_ids_insert();
DROP FUNCTION outbox_ids_delete();
CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL;

ALTER TABLE parcel_events RENAME TO parcel_events_parted;
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
INSERT INTO parcel_events OVERRIDING SYSTEM VALUE SELECT * FROM parcel_events_parted ORDER BY seq;
SELECT setval(pg_get_serial_sequence('parcel_events', 'seq'), coalesce((SELECT max(seq) FROM parcel_events), 0) + 1, false);
DROP TABLE parcel_events_parted;
DROP TABLE parcel_event_ids;
DROP FUNCTION parcel_event_ids_insert();
CREATE INDEX parcel_events_parcel ON parcel_events (parcel_id, seq);
DROP FUNCTION tongpei_month_partitions_covering(text, timestamptz);
DROP FUNCTION tongpei_month_partition(text, date);
