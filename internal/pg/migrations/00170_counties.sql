-- +goose Up
-- Counties as tenants (issue 18 point 1). A province runs many counties in
-- one database; every domain row carries its county, the GB/T 2260 code
-- (530427 is Xinping). The rows already here belong to the install's own
-- county: tongpei migrate sets tongpei.default_county from TONGPEI_COUNTY
-- (internal/tenant.Default), and a session that did not falls back to
-- 530427, so a single-county install migrates with no new configuration.
--
-- The county of a new row defaults to the session's county (the pool sets
-- tongpei.county on every connection it hands out, from the request's
-- context), so most INSERTs name none. A session working for the whole
-- province ('*') gets NULL, and NOT NULL refuses the row: a province-wide
-- job must say which county it writes for.
--
-- Row-level security is the net under the stores' own filters: a session
-- sees and writes only rows of its county, or every row when its county is
-- '*'; a session that set no county sees nothing. Superusers and table
-- owners bypass RLS, so the pool works as tongpei_app, a NOLOGIN role made
-- here that owns nothing (internal/pg.Connect: SET ROLE on each new
-- connection). Migrations keep running as the login user.

-- +goose StatementBegin
CREATE FUNCTION tongpei_row_county() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT nullif(nullif(current_setting('tongpei.county', true), ''), '*')
$$;
-- +goose StatementEnd

-- The registry of the province's counties.
CREATE TABLE counties (
    county     text PRIMARY KEY CHECK (county ~ '^[0-9]{6}$'),
    name       text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO counties (county, name)
    VALUES (coalesce(nullif(current_setting('tongpei.default_county', true), ''), '530427'), '');

-- Every table gets its county, filled with the install's county.
-- +goose StatementBegin
DO $$
DECLARE
    home text := coalesce(nullif(current_setting('tongpei.default_county', true), ''), '530427');
    t    text;
BEGIN
    FOREACH t IN ARRAY ARRAY[
        'api_tokens', 'carrier_events', 'carriers', 'certifications', 'demo_secret',
        'dispatch_cost_shares', 'dispatch_jobs', 'dispatch_plans', 'distance_matrices',
        'fleet_operators', 'kpi_audit', 'kpi_calendar', 'kpi_candidates', 'kpi_rounds',
        'kpi_sales', 'kpi_sales_imports', 'login_links', 'merchants', 'nats_credentials',
        'outbox', 'outbox_ids', 'parcel_event_ids', 'parcel_events', 'parcels', 'plan_jobs',
        'plan_parcels', 'pricing_band_sets', 'pricing_baselines', 'pricing_charges',
        'pricing_quotes', 'pricing_rate_cards', 'pricing_zonings', 'road_networks',
        'scan_rejections', 'sessions', 'settlement_accounts', 'settlement_entries',
        'settlement_fee_rates', 'settlement_lines', 'stations', 'vehicle_types', 'vehicles']
    LOOP
        -- a constant default fills existing rows without rewriting the table
        EXECUTE format('ALTER TABLE %I ADD COLUMN county text NOT NULL DEFAULT %L', t, home);
        EXECUTE format('ALTER TABLE %I ALTER COLUMN county SET DEFAULT tongpei_row_county()', t);
        IF t IN ('api_tokens', 'login_links', 'sessions', 'nats_credentials') THEN
            -- a province administrator's credentials are the province's ('*')
            EXECUTE format($f$ALTER TABLE %I ADD CONSTRAINT %I CHECK (county ~ '^[0-9]{6}$' OR county = '*')$f$, t, t || '_county');
        ELSE
            EXECUTE format($f$ALTER TABLE %I ADD CONSTRAINT %I CHECK (county ~ '^[0-9]{6}$')$f$, t, t || '_county');
        END IF;
    END LOOP;
END $$;
-- +goose StatementEnd

-- Codes two counties may both use become unique per county. The foreign
-- keys that named a code now name (county, code), so a row can only point
-- at its own county's station, carrier, operator or account.
ALTER TABLE stations DROP CONSTRAINT stations_parent_fkey;
ALTER TABLE parcels DROP CONSTRAINT parcels_station_fkey;
ALTER TABLE parcels DROP CONSTRAINT parcels_carrier_fkey;
ALTER TABLE pricing_rate_cards DROP CONSTRAINT pricing_rate_cards_carrier_fkey;
ALTER TABLE vehicles DROP CONSTRAINT vehicles_operator_fkey;
ALTER TABLE vehicles DROP CONSTRAINT vehicles_type_fkey;
ALTER TABLE settlement_lines DROP CONSTRAINT settlement_lines_account_fkey;

ALTER TABLE stations DROP CONSTRAINT stations_pkey, ADD PRIMARY KEY (county, code);
ALTER TABLE carriers DROP CONSTRAINT carriers_pkey, ADD PRIMARY KEY (county, code);
ALTER TABLE fleet_operators DROP CONSTRAINT fleet_operators_pkey, ADD PRIMARY KEY (county, code);
ALTER TABLE vehicle_types DROP CONSTRAINT vehicle_types_pkey, ADD PRIMARY KEY (county, code);
ALTER TABLE vehicles DROP CONSTRAINT vehicles_pkey, ADD PRIMARY KEY (county, plate);
ALTER TABLE settlement_accounts DROP CONSTRAINT settlement_accounts_pkey, ADD PRIMARY KEY (county, code);
ALTER TABLE settlement_accounts DROP CONSTRAINT settlement_accounts_kind_party_key, ADD UNIQUE (county, kind, party);
ALTER TABLE settlement_entries DROP CONSTRAINT settlement_entries_source_key, ADD UNIQUE (county, source);
ALTER TABLE settlement_fee_rates DROP CONSTRAINT settlement_fee_rates_pkey, ADD PRIMARY KEY (county, tier, event);
ALTER TABLE demo_secret DROP CONSTRAINT demo_secret_pkey, ADD PRIMARY KEY (county, id);
ALTER TABLE merchants DROP CONSTRAINT merchants_credit_code_key, ADD UNIQUE (county, credit_code);
ALTER TABLE certifications DROP CONSTRAINT certifications_certificate_no_key, ADD UNIQUE (county, certificate_no);
ALTER TABLE parcels DROP CONSTRAINT parcels_tracking_no_carrier_key, ADD UNIQUE (county, tracking_no, carrier);
ALTER TABLE pricing_zonings DROP CONSTRAINT pricing_zonings_pkey, ADD PRIMARY KEY (county, version);
ALTER TABLE pricing_baselines DROP CONSTRAINT pricing_baselines_pkey, ADD PRIMARY KEY (county, version);
ALTER TABLE pricing_band_sets DROP CONSTRAINT pricing_band_sets_pkey, ADD PRIMARY KEY (county, version);
ALTER TABLE pricing_rate_cards DROP CONSTRAINT pricing_rate_cards_carrier_version_key, ADD UNIQUE (county, carrier, version);
ALTER TABLE pricing_charges DROP CONSTRAINT pricing_charges_carrier_tracking_no_key, ADD UNIQUE (county, carrier, tracking_no);
ALTER TABLE dispatch_plans DROP CONSTRAINT dispatch_plans_service_date_version_key, ADD UNIQUE (county, service_date, version);
ALTER TABLE kpi_sales DROP CONSTRAINT kpi_sales_pkey, ADD PRIMARY KEY (county, station, month, source);
ALTER TABLE kpi_calendar DROP CONSTRAINT kpi_calendar_pkey, ADD PRIMARY KEY (county, day);

DROP INDEX stations_one_hub;
CREATE UNIQUE INDEX stations_one_hub ON stations (county, tier) WHERE tier = 'county_hub';
DROP INDEX parcels_pickup_code;
CREATE UNIQUE INDEX parcels_pickup_code ON parcels (county, station, split_part(pickup_code, '-', 3))
    WHERE state = 'station_arrival';
DROP INDEX plan_jobs_one_running_per_day;
CREATE UNIQUE INDEX plan_jobs_one_running_per_day ON plan_jobs (county, service_date) WHERE state = 'running';

ALTER TABLE stations ADD FOREIGN KEY (county, parent) REFERENCES stations (county, code);
ALTER TABLE parcels ADD FOREIGN KEY (county, station) REFERENCES stations (county, code);
ALTER TABLE parcels ADD FOREIGN KEY (county, carrier) REFERENCES carriers (county, code);
ALTER TABLE pricing_rate_cards ADD FOREIGN KEY (county, carrier) REFERENCES carriers (county, code);
ALTER TABLE vehicles ADD FOREIGN KEY (county, operator) REFERENCES fleet_operators (county, code);
ALTER TABLE vehicles ADD FOREIGN KEY (county, type) REFERENCES vehicle_types (county, code);
ALTER TABLE settlement_lines ADD FOREIGN KEY (county, account) REFERENCES settlement_accounts (county, code);

-- The key tables take the county of the row they index, not the session's
-- (a province-wide session has none).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION parcel_event_ids_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO parcel_event_ids (id, digest, recorded_at, county) SELECT id, digest, recorded_at, county FROM new_rows;
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION outbox_ids_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outbox_ids (id, county) SELECT id, county FROM new_rows;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- The policy every county-bound table carries, and the switch that turns
-- it on; the month partitions get it too (a partition read by its own name
-- is not covered by its parent's policy).
-- +goose StatementBegin
CREATE FUNCTION tongpei_secure(t regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($f$CREATE POLICY county_only ON %s
        USING (county = current_setting('tongpei.county', true) OR current_setting('tongpei.county', true) = '*')
        WITH CHECK (county = current_setting('tongpei.county', true) OR current_setting('tongpei.county', true) = '*')$f$, t);
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN SELECT c.oid::regclass FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'county'
             WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
    LOOP
        PERFORM tongpei_secure(t);
    END LOOP;
END $$;
-- +goose StatementEnd

-- Month partitions are made by the app role (pg.EnsurePartitions), which
-- owns no table: the function runs with its owner's rights, and secures
-- each month it makes.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION tongpei_month_partition(parent text, day date) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    first date := date_trunc('month', day)::date;
    name  text := format('%s_y%sm%s', parent, to_char(first, 'YYYY'), to_char(first, 'MM'));
BEGIN
    IF parent NOT IN ('parcel_events', 'outbox') THEN
        RAISE EXCEPTION 'tongpei_month_partition: % is not partitioned by month', parent;
    END IF;
    IF to_regclass(name) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', name, parent,
        make_timestamptz(extract(year FROM first)::int, extract(month FROM first)::int, 1, 0, 0, 0, 'Asia/Shanghai'),
        make_timestamptz(extract(year FROM first + interval '1 month')::int,
                         extract(month FROM first + interval '1 month')::int, 1, 0, 0, 0, 'Asia/Shanghai'));
    PERFORM tongpei_secure(name::regclass);
    RETURN name;
END $$;
-- +goose StatementEnd

-- Detaching a month needs its owner too; the caller holds the parent's lock.
-- +goose StatementBegin
CREATE FUNCTION tongpei_detach_partition(parent text, part text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF parent NOT IN ('parcel_events', 'outbox') OR NOT EXISTS (
        SELECT 1 FROM pg_inherits WHERE inhparent = parent::regclass AND inhrelid = to_regclass(part)) THEN
        RAISE EXCEPTION 'tongpei_detach_partition: % is not a partition of %', part, parent;
    END IF;
    EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', parent, part);
END $$;
-- +goose StatementEnd

-- The app role. Roles belong to the server, not the database, so another
-- database on the server may have made it already.
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tongpei_app') THEN
        CREATE ROLE tongpei_app NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL; -- made meanwhile by a migration of another database
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
DO $$
BEGIN
    -- the login user must be allowed to SET ROLE tongpei_app (a superuser is)
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE format('GRANT tongpei_app TO %I', current_user);
    END IF;
END $$;
-- +goose StatementEnd
GRANT USAGE ON SCHEMA public TO tongpei_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO tongpei_app;
-- goose's own table: readable (tools fingerprint the schema), never written
REVOKE INSERT, UPDATE, DELETE ON goose_db_version FROM tongpei_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO tongpei_app;
-- tables and sequences later migrations make (the same login user runs them)
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tongpei_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO tongpei_app;

-- +goose Down
-- The role stays: other databases on the server may use it.
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM tongpei_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM tongpei_app;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM tongpei_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM tongpei_app;
REVOKE ALL ON SCHEMA public FROM tongpei_app;
DROP FUNCTION tongpei_detach_partition(text, text);
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION tongpei_month_partition(parent text, day date) RETURNS text
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
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION parcel_event_ids_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO parcel_event_ids (id, digest, recorded_at) SELECT id, digest, recorded_at FROM new_rows;
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION outbox_ids_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outbox_ids (id) SELECT id FROM new_rows;
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN SELECT c.oid::regclass FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'county'
             WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
               AND c.relname <> 'counties'
    LOOP
        EXECUTE format('DROP POLICY IF EXISTS county_only ON %s', t);
        EXECUTE format('ALTER TABLE %s DISABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %s DROP COLUMN county CASCADE', t);
    END LOOP;
END $$;
-- +goose StatementEnd
DROP FUNCTION tongpei_secure(regclass);
DROP TABLE counties;
ALTER TABLE stations ADD PRIMARY KEY (code);
ALTER TABLE carriers ADD PRIMARY KEY (code);
ALTER TABLE fleet_operators ADD PRIMARY KEY (code);
ALTER TABLE vehicle_types ADD PRIMARY KEY (code);
ALTER TABLE vehicles ADD PRIMARY KEY (plate);
ALTER TABLE settlement_accounts ADD PRIMARY KEY (code), ADD UNIQUE (kind, party);
ALTER TABLE settlement_entries ADD UNIQUE (source);
ALTER TABLE settlement_fee_rates ADD PRIMARY KEY (tier, event);
ALTER TABLE demo_secret ADD PRIMARY KEY (id);
ALTER TABLE merchants ADD UNIQUE (credit_code);
ALTER TABLE certifications ADD UNIQUE (certificate_no);
ALTER TABLE parcels ADD UNIQUE (tracking_no, carrier);
ALTER TABLE pricing_zonings ADD PRIMARY KEY (version);
ALTER TABLE pricing_baselines ADD PRIMARY KEY (version);
ALTER TABLE pricing_band_sets ADD PRIMARY KEY (version);
ALTER TABLE pricing_rate_cards ADD UNIQUE (carrier, version);
ALTER TABLE pricing_charges ADD UNIQUE (carrier, tracking_no);
ALTER TABLE dispatch_plans ADD UNIQUE (service_date, version);
ALTER TABLE kpi_sales ADD PRIMARY KEY (station, month, source);
ALTER TABLE kpi_calendar ADD PRIMARY KEY (day);
CREATE UNIQUE INDEX stations_one_hub ON stations (tier) WHERE tier = 'county_hub';
CREATE UNIQUE INDEX parcels_pickup_code ON parcels (station, split_part(pickup_code, '-', 3)) WHERE state = 'station_arrival';
CREATE UNIQUE INDEX plan_jobs_one_running_per_day ON plan_jobs (service_date) WHERE state = 'running';
ALTER TABLE stations ADD FOREIGN KEY (parent) REFERENCES stations (code);
ALTER TABLE parcels ADD FOREIGN KEY (station) REFERENCES stations (code);
ALTER TABLE parcels ADD FOREIGN KEY (carrier) REFERENCES carriers (code);
ALTER TABLE pricing_rate_cards ADD FOREIGN KEY (carrier) REFERENCES carriers (code);
ALTER TABLE vehicles ADD FOREIGN KEY (operator) REFERENCES fleet_operators (code);
ALTER TABLE vehicles ADD FOREIGN KEY (type) REFERENCES vehicle_types (code);
ALTER TABLE settlement_lines ADD FOREIGN KEY (account) REFERENCES settlement_accounts (code);
DROP FUNCTION tongpei_row_county();
