package dispatch

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg"
)

// planStore keeps the daily plans (dispatch_plans) and where each parcel
// is on them (plan_parcels).
type planStore struct{ pool *pgxpool.Pool }

// insert stores plan as the next version of its date, with one row per
// parcel saying where it is on the plan. Two plans of the same date made at
// once are serialised by the unique version: the loser retries.
func (st planStore) insert(ctx context.Context, plan *Plan) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		err = pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error { return insertPlan(ctx, tx, plan) })
		if _, raced := pg.UniqueViolation(err); !raced {
			break
		}
	}
	return pg.Err(err, "plan")
}

func insertPlan(ctx context.Context, tx pgx.Tx, plan *Plan) error {
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
	// Column arrays and one INSERT … unnest: COPY, faster, is refused on a
	// table under row-level security.
	var (
		parcelIDs, carriers, trackingNos, dirs, stations, reasons []*string
		routes, stops                                             []*int
	)
	add := func(refs []ParcelRef, dir, station string, route, stop *int, reason *string) {
		for _, p := range refs {
			id, carrier, no := itoa(p.ID), p.Carrier, p.TrackingNo
			parcelIDs, carriers, trackingNos = append(parcelIDs, &id), append(carriers, &carrier), append(trackingNos, &no)
			dirs, stations = append(dirs, &dir), append(stations, &station)
			routes, stops, reasons = append(routes, route), append(stops, stop), append(reasons, reason)
		}
	}
	for _, r := range plan.Routes {
		for _, st := range r.Stops {
			number, seq := r.Number, st.Seq
			add(st.Drop, "down", st.Station.Code, &number, &seq, nil)
			add(st.Collect, "up", st.Station.Code, &number, &seq, nil)
		}
	}
	for _, u := range plan.Unassigned {
		code := u.Code
		add(u.Drop, "down", u.Station, nil, nil, &code)
		add(u.Collect, "up", u.Station, nil, nil, &code)
	}
	_, err = tx.Exec(ctx, `
		INSERT INTO plan_parcels (plan_id, parcel_id, carrier, tracking_no, direction, station, route, stop, reason_code)
		SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::text[])`,
		plan.ID, parcelIDs, carriers, trackingNos, dirs, stations, routes, stops, reasons)
	return err
}

// get reads one stored plan.
func (st planStore) get(ctx context.Context, id int64) (*Plan, error) {
	var doc []byte
	var status string
	var published *time.Time
	err := st.pool.QueryRow(ctx, `SELECT document, status, published_at FROM dispatch_plans WHERE id = $1`, id).Scan(&doc, &status, &published)
	if err != nil {
		return nil, pg.Err(err, "plan "+itoa(id))
	}
	var p Plan
	if err := json.Unmarshal(doc, &p); err != nil {
		return nil, errs.Wrap(err, "plan %d is unreadable", id)
	}
	p.ID, p.Status, p.PublishedAt = id, status, published
	return &p, nil
}

// summaries lists a date's plans (every date's when date is empty),
// newest first.
func (st planStore) summaries(ctx context.Context, date string) ([]PlanSummary, error) {
	rows, err := st.pool.Query(ctx, `
		SELECT id, service_date::text, version, status, created_at,
		       joint_m, joint_s, joint_vehicles, joint_cost_fen, separate_m, separate_s, separate_vehicles, separate_cost_fen
		FROM dispatch_plans WHERE $1 = '' OR service_date = $1::date
		ORDER BY service_date DESC, version DESC LIMIT 1000`, date)
	if err != nil {
		return nil, pg.Err(err, "plans")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (PlanSummary, error) {
		var p PlanSummary
		err := r.Scan(&p.ID, &p.ServiceDate, &p.Version, &p.Status, &p.CreatedAt,
			&p.Joint.DistanceM, &p.Joint.DurationS, &p.Joint.Vehicles, &p.Joint.CostFen,
			&p.Separate.DistanceM, &p.Separate.DurationS, &p.Separate.Vehicles, &p.Separate.CostFen)
		return p, err
	})
	return out, pg.Err(err, "plans")
}

// daysBetween is, for each day of [from, to], the plan that counts for it:
// its newest published version, or its newest version when none was
// published.
func (st planStore) daysBetween(ctx context.Context, from, to string) ([]DaySaving, error) {
	rows, err := st.pool.Query(ctx, `
		SELECT DISTINCT ON (service_date) id, service_date::text, version, status,
		       joint_m, joint_s, joint_vehicles, joint_cost_fen, separate_m, separate_s, separate_vehicles, separate_cost_fen,
		       (document->'joint'->>'stops')::int, (document->'joint'->>'parcels')::int,
		       (document->'separate'->>'stops')::int, (document->'separate'->>'parcels')::int
		FROM dispatch_plans WHERE service_date BETWEEN $1::date AND $2::date
		ORDER BY service_date, (status = 'published') DESC, version DESC`, from, to)
	if err != nil {
		return nil, pg.Err(err, "plans")
	}
	days, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DaySaving, error) {
		var d DaySaving
		err := r.Scan(&d.PlanID, &d.ServiceDate, &d.Version, &d.Status,
			&d.Joint.DistanceM, &d.Joint.DurationS, &d.Joint.Vehicles, &d.Joint.CostFen,
			&d.Separate.DistanceM, &d.Separate.DurationS, &d.Separate.Vehicles, &d.Separate.CostFen,
			&d.Joint.Stops, &d.Joint.Parcels, &d.Separate.Stops, &d.Separate.Parcels)
		return d, err
	})
	return days, pg.Err(err, "plans")
}

// plannedBefore is the set of parcels that a published plan of a day
// before date carried or left out: if one still waits, it is a leftover.
func (st planStore) plannedBefore(ctx context.Context, date string) (map[int64]bool, error) {
	rows, err := st.pool.Query(ctx, `
		SELECT DISTINCT pp.parcel_id FROM plan_parcels pp JOIN dispatch_plans p ON p.id = pp.plan_id
		WHERE p.status = 'published' AND p.service_date < $1::date`, date)
	if err != nil {
		return nil, pg.Err(err, "earlier plans")
	}
	out := map[int64]bool{}
	var id string
	_, err = pgx.ForEachRow(rows, []any{&id}, func() error {
		if n, err := strconv.ParseInt(id, 10, 64); err == nil {
			out[n] = true
		}
		return nil
	})
	return out, pg.Err(err, "earlier plans")
}

// newest fills st's plan fields from the newest plan made, leaving them
// zero when there is none.
func (st planStore) newest(ctx context.Context, stats *OpsStats) error {
	var solveMs int64
	var date time.Time
	err := st.pool.QueryRow(ctx, `
		SELECT service_date, solve_ms, joint_cost_fen, separate_cost_fen
		FROM dispatch_plans ORDER BY created_at DESC, id DESC LIMIT 1`).Scan(&date, &solveMs, &stats.JointCostFen, &stats.SeparateCostFen)
	switch {
	case pg.NoRows(err):
	case err != nil:
		return pg.Err(err, "the newest plan")
	default:
		stats.LatestPlan, stats.PlanDate, stats.PlanSolve = true, date.Format(time.DateOnly), time.Duration(solveMs)*time.Millisecond
	}
	return nil
}
