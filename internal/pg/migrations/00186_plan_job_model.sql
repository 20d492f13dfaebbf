-- +goose Up
-- How a plan job balances the vans' work and the electric vans' range for
-- the day (dispatch.PlanModel): balance is off, longest or spread;
-- ev_range_km 0 keeps each van's own range.
ALTER TABLE plan_jobs
    ADD COLUMN balance     text    NOT NULL DEFAULT 'off' CHECK (balance IN ('off', 'longest', 'spread')),
    ADD COLUMN ev_range_km integer NOT NULL DEFAULT 0 CHECK (ev_range_km BETWEEN 0 AND 2000);

-- +goose Down
ALTER TABLE plan_jobs DROP COLUMN ev_range_km, DROP COLUMN balance;
