-- +goose Up
-- What the plan's scorecard needs to know of an up parcel (issue 11): the
-- goods value the sender declares, which counts towards its station's
-- transaction volume, and the packaging, so that branded 新平礼好 boxes can
-- be counted for their subsidy. The stations package owns these columns.
ALTER TABLE parcels
    ADD COLUMN declared_value_fen bigint NOT NULL DEFAULT 0 CHECK (declared_value_fen >= 0),
    ADD COLUMN packaging text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE parcels DROP COLUMN packaging, DROP COLUMN declared_value_fen;
