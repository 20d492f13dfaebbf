-- +goose Up
-- Ledger texts are Chinese first (memo, detail) with the English beside them
-- (memo_en, detail_en). The rows are immutable (a trigger refuses UPDATE),
-- so entries posted before this migration keep their English text in memo
-- and detail and NULL here; readers fall back to memo and detail.
ALTER TABLE settlement_entries ADD COLUMN memo_en text;
ALTER TABLE settlement_lines ADD COLUMN detail_en text;

-- +goose Down
ALTER TABLE settlement_lines DROP COLUMN detail_en;
ALTER TABLE settlement_entries DROP COLUMN memo_en;
