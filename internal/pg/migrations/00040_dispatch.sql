-- +goose Up
-- The joint fleet: the operator that runs it, its kinds of van and the vans.
CREATE TABLE fleet_operators (
    code        text PRIMARY KEY,
    name        text NOT NULL,
    phone       text NOT NULL DEFAULT '',
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE vehicle_types (
    code              text PRIMARY KEY,
    name              text NOT NULL,
    capacity_kg       integer NOT NULL CHECK (capacity_kg > 0),
    capacity_l        integer NOT NULL CHECK (capacity_l > 0),
    capacity_parcels  integer NOT NULL CHECK (capacity_parcels > 0),
    fixed_cost_fen    bigint NOT NULL CHECK (fixed_cost_fen >= 0),
    cost_per_km_fen   bigint NOT NULL CHECK (cost_per_km_fen >= 0),
    cost_per_hour_fen bigint NOT NULL DEFAULT 0 CHECK (cost_per_hour_fen >= 0),
    -- Minutes after midnight, Asia/Shanghai, of the service day.
    shift_start_min   integer NOT NULL CHECK (shift_start_min BETWEEN 0 AND 1440),
    shift_end_min     integer NOT NULL CHECK (shift_end_min BETWEEN 0 AND 1440),
    max_km            integer NOT NULL DEFAULT 0 CHECK (max_km >= 0),
    refrigerated      boolean NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (shift_start_min < shift_end_min)
);

CREATE TABLE vehicles (
    plate       text PRIMARY KEY,
    type        text NOT NULL REFERENCES vehicle_types (code),
    operator    text NOT NULL REFERENCES fleet_operators (code),
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Road networks the county imported; the newest is the one in use. The
-- features are kept as sent so the graph can be rebuilt by a later version.
CREATE TABLE road_networks (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name              text NOT NULL DEFAULT '',
    features          jsonb NOT NULL,
    nodes             integer NOT NULL,
    edges             integer NOT NULL,
    snap_tolerance_m  double precision NOT NULL,
    max_snap_m        double precision NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now()
);

-- Matrices the county uploads (from another routing engine); the newest
-- covering a plan's stations is used when there is no road network.
CREATE TABLE distance_matrices (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stations    text[] NOT NULL,
    distances_m bigint[] NOT NULL,
    durations_s bigint[] NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Plans are versioned per service date: re-planning adds a version and
-- keeps the old ones for the record. The document holds routes, stops and
-- unassigned stations as the API shows them; the columns are what reports
-- sum.
CREATE TABLE dispatch_plans (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_date        date NOT NULL,
    version             integer NOT NULL,
    status              text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    time_limit_ms       bigint NOT NULL,
    solve_ms            bigint NOT NULL,
    matrix_source       text NOT NULL,
    joint_m             bigint NOT NULL,
    joint_s             bigint NOT NULL,
    joint_vehicles      integer NOT NULL,
    joint_cost_fen      bigint NOT NULL,
    separate_m          bigint NOT NULL,
    separate_s          bigint NOT NULL,
    separate_vehicles   integer NOT NULL,
    separate_cost_fen   bigint NOT NULL,
    document            jsonb NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    published_at        timestamptz,
    UNIQUE (service_date, version)
);

-- Every parcel a plan considered: on one stop of one route, or unassigned
-- with the reason. parcel_id is the custody package's parcel key as text.
CREATE TABLE plan_parcels (
    plan_id      bigint NOT NULL REFERENCES dispatch_plans (id) ON DELETE CASCADE,
    parcel_id    text NOT NULL,
    carrier      text NOT NULL,
    tracking_no  text NOT NULL,
    direction    text NOT NULL CHECK (direction IN ('down', 'up')),
    station      text NOT NULL,
    route        integer,
    stop         integer,
    reason_code  text,
    PRIMARY KEY (plan_id, parcel_id),
    CHECK ((route IS NULL) = (reason_code IS NOT NULL))
);
CREATE INDEX plan_parcels_route ON plan_parcels (plan_id, route, stop);

-- Jobs sent to the fleet operator and the carriers when a plan is published.
-- A job is re-sent (a new event id, the same job id) until acknowledged.
CREATE TABLE dispatch_jobs (
    id            uuid PRIMARY KEY,
    plan_id       bigint NOT NULL REFERENCES dispatch_plans (id),
    kind          text NOT NULL CHECK (kind IN ('route', 'pickup')),
    recipient     text NOT NULL,
    subject       text NOT NULL,
    payload       jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_sent_at  timestamptz NOT NULL DEFAULT now(),
    sends         integer NOT NULL DEFAULT 1,
    acked_at      timestamptz,
    acked_by      text
);
CREATE INDEX dispatch_jobs_unacked ON dispatch_jobs (last_sent_at) WHERE acked_at IS NULL;
CREATE INDEX dispatch_jobs_recipient ON dispatch_jobs (recipient, created_at);

-- +goose Down
DROP TABLE dispatch_jobs;
DROP TABLE plan_parcels;
DROP TABLE dispatch_plans;
DROP TABLE distance_matrices;
DROP TABLE road_networks;
DROP TABLE vehicles;
DROP TABLE vehicle_types;
DROP TABLE fleet_operators;
