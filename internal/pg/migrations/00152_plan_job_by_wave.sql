-- +goose Up
-- A plan job may ask for the day as the county runs it (dispatch.PlanOptions
-- ByWave): every overnight parcel on a morning run.
ALTER TABLE plan_jobs ADD COLUMN by_wave boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE plan_jobs DROP COLUMN by_wave;
