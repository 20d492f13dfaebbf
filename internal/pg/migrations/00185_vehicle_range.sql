-- +goose Up
-- A van's own range in km (issue 12 point 7): an electric van whose battery
-- is older or smaller than its type's. 0 means the range of its vehicle
-- type (vehicle_types.max_km, itself 0 for no limit).
ALTER TABLE vehicles ADD COLUMN range_km integer NOT NULL DEFAULT 0 CHECK (range_km BETWEEN 0 AND 2000);

-- +goose Down
ALTER TABLE vehicles DROP COLUMN range_km;
