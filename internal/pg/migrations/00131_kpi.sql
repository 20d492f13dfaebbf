-- +goose Up
-- The plan's scorecard (issue 11): imported sales per station and month,
-- the working-day calendar, reward rounds with their review and public
-- notice, and an append-only audit log of every step.

-- One upload of sales records (CSV, XLSX or the API). Rows are written only
-- when every row of the upload is good.
CREATE TABLE kpi_sales_imports (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    format      text NOT NULL CHECK (format IN ('csv', 'xlsx', 'json')),
    filename    text NOT NULL DEFAULT '',
    rows        integer NOT NULL CHECK (rows > 0),
    uploaded_by text NOT NULL,
    uploaded_at timestamptz NOT NULL DEFAULT now()
);

-- Online sales of a station in a month, as one source reported it. A later
-- upload of the same station, month and source replaces the figure (and
-- says which upload it came from).
CREATE TABLE kpi_sales (
    station     text NOT NULL,
    month       date NOT NULL CHECK (extract(day FROM month) = 1),
    source      text NOT NULL CHECK (source <> ''),
    sales_fen   bigint NOT NULL CHECK (sales_fen >= 0),
    demo        boolean NOT NULL DEFAULT false,
    import_id   bigint REFERENCES kpi_sales_imports (id),
    PRIMARY KEY (station, month, source)
);

-- Days that differ from the weekday rule: statutory holidays on weekdays
-- (working = false) and adjusted working days on weekends (working = true).
CREATE TABLE kpi_calendar (
    day         date PRIMARY KEY,
    working     boolean NOT NULL,
    name        text NOT NULL DEFAULT '',
    source      text NOT NULL DEFAULT ''
);

-- A reward round: the 12-month window the volumes are summed over, with
-- the candidates it found when it was opened.
CREATE TABLE kpi_rounds (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    first_month   date NOT NULL,
    last_month    date NOT NULL,
    budget_fen    bigint NOT NULL,
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    notice_start  date,
    notice_end    date,
    notice_by     text NOT NULL DEFAULT ''
);

CREATE TABLE kpi_candidates (
    round_id      bigint NOT NULL REFERENCES kpi_rounds (id),
    station       text NOT NULL,
    station_name  text NOT NULL,
    township      text NOT NULL DEFAULT '',
    volume_fen    bigint NOT NULL,
    tier          integer NOT NULL,
    reward_fen    bigint NOT NULL,
    rank          integer NOT NULL,
    decision      text NOT NULL DEFAULT '' CHECK (decision IN ('', 'approved', 'rejected')),
    reason        text NOT NULL DEFAULT '',
    reviewed_by   text NOT NULL DEFAULT '',
    reviewed_at   timestamptz,
    PRIMARY KEY (round_id, station)
);

-- Every step of a round and every change of the calendar. Rows are never
-- changed or removed: the triggers below refuse it.
CREATE TABLE kpi_audit (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL,
    action      text NOT NULL,
    subject     text NOT NULL,
    detail      jsonb NOT NULL DEFAULT '{}'
);

-- +goose StatementBegin
CREATE FUNCTION kpi_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'kpi_audit is append-only';
END $$;
-- +goose StatementEnd
CREATE TRIGGER kpi_audit_no_update BEFORE UPDATE OR DELETE ON kpi_audit
    FOR EACH ROW EXECUTE FUNCTION kpi_audit_append_only();
CREATE TRIGGER kpi_audit_no_truncate BEFORE TRUNCATE ON kpi_audit
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_audit_append_only();

-- +goose Down
DROP TABLE kpi_audit;
DROP FUNCTION kpi_audit_append_only();
DROP TABLE kpi_candidates;
DROP TABLE kpi_rounds;
DROP TABLE kpi_calendar;
DROP TABLE kpi_sales;
DROP TABLE kpi_sales_imports;
