package dispatch

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/errs"
)

// savePlan stores plan as the next version of its date, with one row per
// parcel saying where it is on the plan. Two plans of the same date made at
// once are serialised by the unique version: the loser retries once.
func (s *Store) savePlan(ctx context.Context, plan *Plan) error {
	plan.Status = "draft"
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return s.insertPlan(ctx, tx, plan) })
		if !errs.Is(dbErr(err, ""), errs.Conflict) {
			break
		}
	}
	return dbErr(err, "plan")
}

func (s *Store) insertPlan(ctx context.Context, tx pgx.Tx, plan *Plan) error {
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) + 1 FROM dispatch_plans WHERE service_date = $1`,
		plan.ServiceDate).Scan(&plan.Version); err != nil {
		return err
	}
	doc, err := json.Marshal(plan)
	if err != nil {
		return err
	}
	j, sp := plan.Joint, plan.Separate
	err = tx.QueryRow(ctx, `
		INSERT INTO dispatch_plans (service_date, version, time_limit_ms, solve_ms, matrix_source,
			joint_m, joint_s, joint_vehicles, joint_cost_fen, separate_m, separate_s, separate_vehicles, separate_cost_fen, document)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		RETURNING id, created_at`,
		plan.ServiceDate, plan.Version, plan.TimeLimitMs, plan.SolveMs, plan.MatrixSource,
		j.DistanceM, j.DurationS, j.Vehicles, j.CostFen, sp.DistanceM, sp.DurationS, sp.Vehicles, sp.CostFen, doc).
		Scan(&plan.ID, &plan.CreatedAt)
	if err != nil {
		return err
	}
	var rows [][]any
	add := func(refs []ParcelRef, dir, station string, route, stop any, reason any) {
		for _, p := range refs {
			rows = append(rows, []any{plan.ID, itoa(p.ID), p.Carrier, p.TrackingNo, dir, station, route, stop, reason})
		}
	}
	for _, r := range plan.Routes {
		for _, st := range r.Stops {
			add(st.Drop, "down", st.Station.Code, r.Number, st.Seq, nil)
			add(st.Collect, "up", st.Station.Code, r.Number, st.Seq, nil)
		}
	}
	for _, u := range plan.Unassigned {
		add(u.Drop, "down", u.Station, nil, nil, u.Code)
		add(u.Collect, "up", u.Station, nil, nil, u.Code)
	}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"plan_parcels"},
		[]string{"plan_id", "parcel_id", "carrier", "tracking_no", "direction", "station", "route", "stop", "reason_code"},
		pgx.CopyFromRows(rows))
	return err
}

// Plan reads one stored plan.
func (s *Store) Plan(ctx context.Context, id int64) (*Plan, error) {
	var doc []byte
	var status string
	var published *time.Time
	err := s.pool.QueryRow(ctx, `SELECT document, status, published_at FROM dispatch_plans WHERE id = $1`, id).Scan(&doc, &status, &published)
	if err != nil {
		return nil, dbErr(err, "plan "+itoa(id))
	}
	var p Plan
	if err := json.Unmarshal(doc, &p); err != nil {
		return nil, errs.Wrap(err, "plan %d is unreadable", id)
	}
	p.ID, p.Status, p.PublishedAt = id, status, published
	return &p, nil
}

// PlanSummary is a plan in a list: no routes.
type PlanSummary struct {
	ID          int64     `json:"id"`
	ServiceDate string    `json:"service_date"`
	Version     int       `json:"version"`
	Status      string    `json:"status"`
	CreatedAt   time.Time `json:"created_at"`
	Joint       Totals    `json:"joint"`
	Separate    Totals    `json:"separate"`
	SavingPct   float64   `json:"saving_pct"`
}

// Plans lists the versions of a date's plans (every date when date is
// empty), newest first.
func (s *Store) Plans(ctx context.Context, date string) ([]PlanSummary, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, service_date::text, version, status, created_at,
		       joint_m, joint_s, joint_vehicles, joint_cost_fen, separate_m, separate_s, separate_vehicles, separate_cost_fen
		FROM dispatch_plans WHERE $1 = '' OR service_date = $1::date
		ORDER BY service_date DESC, version DESC LIMIT 1000`, date)
	if err != nil {
		return nil, dbErr(err, "plans")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (PlanSummary, error) {
		var p PlanSummary
		err := r.Scan(&p.ID, &p.ServiceDate, &p.Version, &p.Status, &p.CreatedAt,
			&p.Joint.DistanceM, &p.Joint.DurationS, &p.Joint.Vehicles, &p.Joint.CostFen,
			&p.Separate.DistanceM, &p.Separate.DurationS, &p.Separate.Vehicles, &p.Separate.CostFen)
		p.Joint.finish()
		p.Separate.finish()
		p.SavingPct = savingPct(p.Joint.CostFen, p.Separate.CostFen)
		return p, err
	})
	return out, dbErr(err, "plans")
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
