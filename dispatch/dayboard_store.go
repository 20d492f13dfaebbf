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
