-- +goose Up
-- Each published plan's cost split among the carriers whose parcels rode on
-- it (dispatch/costshare*.go). Computed once, kept as computed: the ledger
-- posts from it, so a later recomputation must not change what was billed.
CREATE TABLE dispatch_cost_shares (
    plan_id      bigint PRIMARY KEY REFERENCES dispatch_plans (id),
    method       text NOT NULL CHECK (method IN ('shapley_exact', 'shapley_sampled')),
    total_fen    bigint NOT NULL,
    document     jsonb NOT NULL,
    computed_at  timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE dispatch_cost_shares;
