-- +goose Up
-- How a plan job models the vans' day (dispatch.PlanOptions): how many runs
-- a van may drive, reloading at the hub between them, and for how long.
-- 0 means the county's default (two runs, 30 minutes), so jobs queued
-- before this migration plan as new ones do.
ALTER TABLE plan_jobs
    ADD COLUMN max_trips integer NOT NULL DEFAULT 0 CHECK (max_trips BETWEEN 0 AND 6),
    ADD COLUMN reload_s  integer NOT NULL DEFAULT 0 CHECK (reload_s BETWEEN 0 AND 14400);

-- +goose Down
ALTER TABLE plan_jobs DROP COLUMN reload_s, DROP COLUMN max_trips;
