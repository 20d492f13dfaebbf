-- +goose Up
-- The settlement ledger (package settlement): double entry in integer fen.
-- An account belongs to a carrier, the fleet operator or a station keeper.
-- Each entry's lines sum to zero (checked at commit); entries and lines are
-- never changed or deleted (triggers refuse it): a mistake is corrected by
-- a reversing entry, so the history stays as it was.
CREATE TABLE settlement_accounts (
    code        text PRIMARY KEY, -- kind:party, e.g. carrier:ZTO
    kind        text NOT NULL CHECK (kind IN ('carrier', 'operator', 'keeper')),
    party       text NOT NULL,    -- carrier code, operator code or station code
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, party)
);

CREATE TABLE settlement_entries (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    business_date  date NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('fleet_share', 'station_fee', 'reversal')),
    -- What the entry posts, unique among live postings: plan:<id>,
    -- fees:<date>#<n>, reversal:<entry>.
    source         text NOT NULL UNIQUE,
    memo           text NOT NULL,
    reverses       bigint UNIQUE REFERENCES settlement_entries (id),
    posted_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'reversal') = (reverses IS NOT NULL))
);
CREATE INDEX settlement_entries_date ON settlement_entries (business_date, id);

-- amount_fen > 0 is a debit (the account owes), < 0 a credit (it is owed).
CREATE TABLE settlement_lines (
    entry_id    bigint NOT NULL REFERENCES settlement_entries (id),
    line        integer NOT NULL,
    account     text NOT NULL REFERENCES settlement_accounts (code),
    amount_fen  bigint NOT NULL CHECK (amount_fen <> 0),
    detail      text NOT NULL DEFAULT '',
    PRIMARY KEY (entry_id, line)
);
CREATE INDEX settlement_lines_account ON settlement_lines (account, entry_id);

-- +goose StatementBegin
CREATE FUNCTION settlement_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'settlement % rows are immutable: post a reversal instead', TG_TABLE_NAME
        USING ERRCODE = 'check_violation';
END $$;
-- +goose StatementEnd
CREATE TRIGGER settlement_entries_immutable BEFORE UPDATE OR DELETE ON settlement_entries
    FOR EACH ROW EXECUTE FUNCTION settlement_immutable();
CREATE TRIGGER settlement_lines_immutable BEFORE UPDATE OR DELETE ON settlement_lines
    FOR EACH ROW EXECUTE FUNCTION settlement_immutable();

-- +goose StatementBegin
CREATE FUNCTION settlement_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE total bigint;
BEGIN
    SELECT coalesce(sum(amount_fen), 0) INTO total FROM settlement_lines WHERE entry_id = NEW.entry_id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'settlement entry % does not balance: its lines sum to % fen', NEW.entry_id, total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER settlement_lines_balanced AFTER INSERT ON settlement_lines
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION settlement_entry_balanced();

-- The handling fee a keeper earns per parcel, by station tier and event:
-- picked_up (handed to its recipient) or accepted (taken in for shipping).
CREATE TABLE settlement_fee_rates (
    tier        text NOT NULL CHECK (tier IN ('county_hub', 'township', 'village')),
    event       text NOT NULL CHECK (event IN ('picked_up', 'accepted')),
    fee_fen     bigint NOT NULL CHECK (fee_fen >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tier, event)
);
-- Defaults in the range rural stations are paid per parcel (0.3–1 CNY).
INSERT INTO settlement_fee_rates (tier, event, fee_fen) VALUES
    ('village', 'picked_up', 50), ('village', 'accepted', 100),
    ('township', 'picked_up', 30), ('township', 'accepted', 80),
    ('county_hub', 'picked_up', 0), ('county_hub', 'accepted', 0);

-- +goose Down
DROP TABLE settlement_fee_rates;
DROP TABLE settlement_lines;
DROP TABLE settlement_entries;
DROP TABLE settlement_accounts;
DROP FUNCTION settlement_entry_balanced;
DROP FUNCTION settlement_immutable;
