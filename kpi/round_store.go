package kpi

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg"
)

func (st *store) insertRound(ctx context.Context, by string, w Window, r Rewards) (id int64, err error) {
	err = pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO kpi_rounds (first_month, last_month, budget_fen, created_by)
			VALUES ($1::date, $2::date, $3, $4) RETURNING id`, w.First+"-01", w.Last+"-01", r.BudgetFen, by).Scan(&id); err != nil {
			return err
		}
		for _, c := range r.Candidates {
			if _, err := tx.Exec(ctx, `INSERT INTO kpi_candidates (round_id, station, station_name, township, volume_fen, tier, reward_fen, rank)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, c.Station, c.Name, c.Township, c.VolumeFen, c.Tier, c.RewardFen, c.Rank); err != nil {
				return err
			}
		}
		return audit(ctx, tx, by, "round.open", "round:"+itoa(id), map[string]any{"window": w, "candidates": len(r.Candidates),
			"eligible_fen": r.EligibleFen, "budget_fen": r.BudgetFen, "over_by_fen": r.OverByFen})
	})
	return id, pg.Err(err, "the round")
}

func (st *store) review(ctx context.Context, roundID int64, station, decision, reason, reviewer string) error {
	err := pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		var noticed bool
		if err := tx.QueryRow(ctx, `SELECT notice_start IS NOT NULL FROM kpi_rounds WHERE id = $1 FOR UPDATE`, roundID).Scan(&noticed); err != nil {
			return notFoundAs(err, "round %d does not exist", roundID)
		}
		if noticed {
			return errs.E(errs.Conflict, "round %d is on public notice already; reviews are closed", roundID)
		}
		tag, err := tx.Exec(ctx, `UPDATE kpi_candidates SET decision = $3, reason = $4, reviewed_by = $5, reviewed_at = now()
			WHERE round_id = $1 AND station = $2`, roundID, station, decision, reason, reviewer)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errs.E(errs.NotFound, "station %q is no candidate of round %d", station, roundID)
		}
		return audit(ctx, tx, reviewer, "candidate."+decision, "round:"+itoa(roundID), map[string]any{"station": station, "reason": reason})
	})
	return pg.Err(err, "the review")
}

func (st *store) startNotice(ctx context.Context, roundID int64, by, first, last string) error {
	err := pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		var noticed bool
		if err := tx.QueryRow(ctx, `SELECT notice_start IS NOT NULL FROM kpi_rounds WHERE id = $1 FOR UPDATE`, roundID).Scan(&noticed); err != nil {
			return notFoundAs(err, "round %d does not exist", roundID)
		}
		if noticed {
			return errs.E(errs.Conflict, "round %d is on public notice already", roundID)
		}
		var open, approved int
		if err := tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE decision = ''), count(*) FILTER (WHERE decision = 'approved')
			FROM kpi_candidates WHERE round_id = $1`, roundID).Scan(&open, &approved); err != nil {
			return err
		}
		if open > 0 {
			return errs.E(errs.Conflict, "%d candidate(s) of round %d are not reviewed yet; review every one first", open, roundID)
		}
		if approved == 0 {
			return errs.E(errs.Conflict, "round %d has no approved station to put on notice", roundID)
		}
		if _, err := tx.Exec(ctx, `UPDATE kpi_rounds SET notice_start = $2::date, notice_end = $3::date, notice_by = $4 WHERE id = $1`,
			roundID, first, last, by); err != nil {
			return err
		}
		return audit(ctx, tx, by, "round.notice", "round:"+itoa(roundID), map[string]any{"notice_start": first, "notice_end": last, "approved": approved})
	})
	return pg.Err(err, "the notice")
}

func (st *store) round(ctx context.Context, id int64) (Round, error) {
	r := Round{ID: id}
	var start, end *string
	err := st.pool.QueryRow(ctx, `SELECT to_char(first_month, 'YYYY-MM'), to_char(last_month, 'YYYY-MM'), budget_fen,
		created_by, created_at, notice_start::text, notice_end::text FROM kpi_rounds WHERE id = $1`, id).
		Scan(&r.Window.First, &r.Window.Last, &r.BudgetFen, &r.CreatedBy, &r.CreatedAt, &start, &end)
	if err != nil {
		return Round{}, notFoundAs(err, "round %d does not exist", id)
	}
	if start != nil {
		r.NoticeStart, r.NoticeEnd = *start, *end
	}
	rows, err := st.pool.Query(ctx, `SELECT station, station_name, township, volume_fen, tier, reward_fen, rank,
		decision, reason, reviewed_by, reviewed_at FROM kpi_candidates WHERE round_id = $1 ORDER BY rank`, id)
	if err != nil {
		return Round{}, pg.Err(err, "the round")
	}
	r.Candidates, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (RoundCandidate, error) {
		var c RoundCandidate
		return c, row.Scan(&c.Station, &c.Name, &c.Township, &c.VolumeFen, &c.Tier, &c.RewardFen, &c.Rank,
			&c.decision, &c.Reason, &c.ReviewedBy, &c.ReviewedAt)
	})
	for i := range r.Candidates {
		c := &r.Candidates[i]
		r.EligibleFen += c.RewardFen
		c.WithinBudget = r.EligibleFen <= r.BudgetFen
	}
	r.OverByFen = max(0, r.EligibleFen-r.BudgetFen)
	return r, pg.Err(err, "the round")
}

func (st *store) roundIDs(ctx context.Context) ([]int64, error) {
	rows, err := st.pool.Query(ctx, `SELECT id FROM kpi_rounds ORDER BY id DESC LIMIT 100`)
	if err != nil {
		return nil, pg.Err(err, "the rounds")
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	return ids, pg.Err(err, "the rounds")
}

func (st *store) noticedRounds(ctx context.Context) ([]int64, error) {
	rows, err := st.pool.Query(ctx, `SELECT id FROM kpi_rounds WHERE notice_start IS NOT NULL ORDER BY notice_start DESC, id DESC LIMIT 100`)
	if err != nil {
		return nil, pg.Err(err, "the notices")
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	return ids, pg.Err(err, "the notices")
}

func (st *store) auditLog(ctx context.Context, subject string) ([]AuditEntry, error) {
	rows, err := st.pool.Query(ctx, `SELECT seq, at, actor, action, subject, detail FROM kpi_audit
		WHERE $1 = '' OR subject = $1 ORDER BY seq LIMIT 10000`, subject)
	if err != nil {
		return nil, pg.Err(err, "the audit log")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditEntry, error) {
		var e AuditEntry
		var detail []byte
		err := r.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Subject, &detail)
		_ = json.Unmarshal(detail, &e.Detail)
		return e, err
	})
	return out, pg.Err(err, "the audit log")
}

func notFoundAs(err error, format string, args ...any) error {
	if err == pgx.ErrNoRows {
		return errs.E(errs.NotFound, format, args...)
	}
	return err
}
