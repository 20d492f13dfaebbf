package dispatch

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/tongpei/tongpei/internal/errs"
)

// CostShares gives the split of a published plan's cost: the one stored
// when it was first computed, or a new computation, stored before it is
// returned. The first computation is what the ledger bills, so a stored
// split is never recomputed.
func (s *Store) CostShares(ctx context.Context, planID int64, opt ShareOptions) (*CostShares, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	cs, err := s.storedCostShares(ctx, planID)
	if err == nil || !errs.Is(err, errs.NotFound) {
		return cs, err
	}
	cs, err = s.ComputeCostShares(ctx, planID, opt)
	if err != nil {
		return nil, err
	}
	doc, err := json.Marshal(cs)
	if err != nil {
		return nil, errs.Wrap(err, "cost shares of plan %d", planID)
	}
	// Two requests computing at once: the first stored wins and both
	// answer with it.
	_, err = s.pool.Exec(ctx, `INSERT INTO dispatch_cost_shares (plan_id, method, total_fen, document, computed_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (plan_id) DO NOTHING`, planID, cs.Method, cs.TotalFen, doc, cs.ComputedAt)
	if err != nil {
		return nil, dbErr(err, "cost shares")
	}
	slog.InfoContext(ctx, "plan cost shared", "plan", planID, "method", cs.Method, "players", cs.Computation.Players,
		"solves", cs.Computation.Solves, "elapsed_ms", cs.Computation.ElapsedMs, "total_fen", cs.TotalFen,
		"individually_rational", cs.Checks.IndividuallyRational, "core_violations", len(cs.Checks.CoreViolations))
	return s.storedCostShares(ctx, planID)
}

// storedCostShares reads a stored split; not_found when there is none.
func (s *Store) storedCostShares(ctx context.Context, planID int64) (*CostShares, error) {
	var doc []byte
	err := s.pool.QueryRow(ctx, `SELECT document FROM dispatch_cost_shares WHERE plan_id = $1`, planID).Scan(&doc)
	if err != nil {
		return nil, dbErr(err, "cost shares of plan "+itoa(planID))
	}
	var cs CostShares
	if err := json.Unmarshal(doc, &cs); err != nil {
		return nil, errs.Wrap(err, "cost shares of plan %d are unreadable", planID)
	}
	return &cs, nil
}
