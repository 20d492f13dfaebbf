-- +goose Up
-- Lookups by tracking number and by ledger source use an index again.
-- Since 00170 the unique keys lead with the county, and row-level
-- security's "county = setting OR setting = '*'" is no index condition, so
-- a query that names no county (a parcel read by carrier and tracking
-- number, a carrier's report, a charge, a ledger entry by its source) read
-- every row of the table: a sequential scan that grows with every day a
-- county keeps and with every county of a province. These keys lead with
-- what those queries name; the policy then filters the few rows they find.
-- (The scan path names the session's county and uses the unique key.)
CREATE INDEX parcels_tracking_no ON parcels (tracking_no);
CREATE INDEX pricing_charges_tracking_no ON pricing_charges (tracking_no);
CREATE INDEX settlement_entries_source ON settlement_entries (source);

-- +goose Down
DROP INDEX settlement_entries_source;
DROP INDEX pricing_charges_tracking_no;
DROP INDEX parcels_tracking_no;
