package dispatch

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/internal/pg"
)

// countyStore reads what planning needs of other domains' tables: the
// registry's stations (package stations, migration 00010) and custody's
// parcels (migration 00020). It reads only; every state change goes
// through the owning domain (a parcel's through custody's scan path).
//
// It reads the tables rather than the domains' Go APIs because a plan
// needs thousands of rows at once, and so that the registry and custody
// never need to know about plans.
type countyStore struct{ pool *pgxpool.Pool }

// stations reads the active stations by code.
func (st countyStore) stations(ctx context.Context) ([]Station, error) {
	rows, err := st.pool.Query(ctx, `
		SELECT code, name, tier, township, lon, lat, keeper_name, keeper_phone
		FROM stations WHERE active ORDER BY code`)
	if err != nil {
		return nil, pg.Err(err, "stations")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Station, error) {
		var s Station
		err := r.Scan(&s.Code, &s.Name, &s.Tier, &s.Township, &s.Location[0], &s.Location[1], &s.KeeperName, &s.KeeperPhone)
		return s, err
	})
	return list, pg.Err(err, "stations")
}

// waitingParcels reads the parcels a plan moves: down parcels at the hub
// (hub_inbound or sorted) for any station, and up parcels accepted at a
// station and waiting to come up. A down parcel's hub arrival is its
// first hub_inbound scan in the timeline, so no column repeats it.
func (st countyStore) waitingParcels(ctx context.Context) ([]parcelRow, error) {
	rows, err := st.pool.Query(ctx, `
		SELECT id, carrier, tracking_no, direction, station, category, weight_g,
		       size_l::bigint * size_w * size_h,
		       CASE WHEN direction = 'down' THEN (SELECT min(e.at) FROM parcel_events e
		            WHERE e.parcel_id = parcels.id AND e.kind = 'hub_inbound') END
		FROM parcels
		WHERE (direction = 'down' AND state IN ('hub_inbound', 'sorted'))
		   OR (direction = 'up' AND state = 'accepted')
		ORDER BY station, direction, carrier, tracking_no`)
	if err != nil {
		return nil, pg.Err(err, "parcels")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (parcelRow, error) {
		var p parcelRow
		err := r.Scan(&p.ID, &p.Carrier, &p.TrackingNo, &p.Direction, &p.Station, &p.Category, &p.WeightG, &p.VolumeCm3, &p.HubAt)
		if p.VolumeCm3 <= 0 {
			p.VolumeCm3 = defaultVolumeCm3
		}
		return p, err
	})
	return out, pg.Err(err, "parcels")
}

// planParcelStates is the custody state of every parcel on a plan.
func (st countyStore) planParcelStates(ctx context.Context, planID int64) (map[int64]string, error) {
	rows, err := st.pool.Query(ctx, `SELECT p.id, p.state FROM plan_parcels pp JOIN parcels p ON p.id::text = pp.parcel_id
		WHERE pp.plan_id = $1`, planID)
	if err != nil {
		return nil, pg.Err(err, "the plan's parcels")
	}
	out := map[int64]string{}
	var id int64
	var state string
	_, err = pgx.ForEachRow(rows, []any{&id, &state}, func() error {
		out[id] = state
		return nil
	})
	return out, pg.Err(err, "the plan's parcels")
}
