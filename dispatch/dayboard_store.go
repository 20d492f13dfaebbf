package dispatch

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"
)

// plannedBefore is the set of parcels that a published plan of a day
// before date carried or left out: if one still waits, it is a leftover.
func (s *Store) plannedBefore(ctx context.Context, date string) (map[int64]bool, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT DISTINCT pp.parcel_id FROM plan_parcels pp JOIN dispatch_plans p ON p.id = pp.plan_id
		WHERE p.status = 'published' AND p.service_date < $1::date`, date)
	if err != nil {
		return nil, dbErr(err, "earlier plans")
	}
	out := map[int64]bool{}
	var id string
	_, err = pgx.ForEachRow(rows, []any{&id}, func() error {
		if n, err := strconv.ParseInt(id, 10, 64); err == nil {
			out[n] = true
		}
		return nil
	})
	return out, dbErr(err, "earlier plans")
}

// planParcelStates is the custody state of every parcel on a plan, read
// from custody's parcels table as loadParcels does.
func (s *Store) planParcelStates(ctx context.Context, planID int64) (map[int64]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT p.id, p.state FROM plan_parcels pp JOIN parcels p ON p.id::text = pp.parcel_id
		WHERE pp.plan_id = $1`, planID)
	if err != nil {
		return nil, dbErr(err, "the plan's parcels")
	}
	out := map[int64]string{}
	var id int64
	var state string
	_, err = pgx.ForEachRow(rows, []any{&id, &state}, func() error {
		out[id] = state
		return nil
	})
	return out, dbErr(err, "the plan's parcels")
}
