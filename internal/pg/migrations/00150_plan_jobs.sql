-- +goose Up
-- Requests to plan a day, run in the background by a bounded pool of
-- planners. A job is queued, then running, then done (with the plan it
-- made), failed (with the reason) or cancelled. At most one job per service
-- date runs at a time (the partial unique index), so two versions of a day
-- are never solved against each other; the rest wait in the queue, where the
-- page and the CLI can see their place.
CREATE TABLE plan_jobs (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_date      date NOT NULL,
    state             text NOT NULL DEFAULT 'queued'
                      CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    time_limit_ms     bigint NOT NULL CHECK (time_limit_ms > 0),
    seed              bigint NOT NULL DEFAULT 0,
    requested_by      text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    finished_at       timestamptz,
    -- Written by the running planner about once a second: what it is doing,
    -- the best joint cost so far, and that it is still alive.
    phase             text NOT NULL DEFAULT '',
    best_cost_fen     bigint,
    elapsed_ms        bigint NOT NULL DEFAULT 0,
    heartbeat_at      timestamptz,
    cancel_requested  boolean NOT NULL DEFAULT false,
    plan_id           bigint REFERENCES dispatch_plans (id),
    error_code        text NOT NULL DEFAULT '',
    error_detail      text NOT NULL DEFAULT '',
    CHECK ((state = 'done') = (plan_id IS NOT NULL))
);
CREATE UNIQUE INDEX plan_jobs_one_running_per_day ON plan_jobs (service_date) WHERE state = 'running';
CREATE INDEX plan_jobs_queue ON plan_jobs (id) WHERE state = 'queued';
CREATE INDEX plan_jobs_by_date ON plan_jobs (service_date, id);

-- +goose Down
DROP TABLE plan_jobs;
