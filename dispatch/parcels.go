package dispatch

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// parcelRow is what planning needs of one parcel.
type parcelRow struct {
	ID         int64
	Carrier    string
	TrackingNo string
	Direction  string
	Station    string
	Category   string
	WeightG    int64
	VolumeCm3  int64
}

// defaultVolumeCm3 is used for a parcel registered without its size: a
// shoebox, the commonest rural parcel.
const defaultVolumeCm3 = 33 * 23 * 12

// loadParcels reads the parcels a plan moves: down parcels at the hub
// (hub_inbound or sorted) for any station, and up parcels accepted at a
// station and waiting to come up.
//
// The query reads custody's parcels table (package stations, migration
// 00020) directly: custody exposes parcels one at a time, and a plan needs
// thousands at once. It reads only; every state change goes through
// custody's scan path.
func (s *Store) loadParcels(ctx context.Context) ([]parcelRow, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, carrier, tracking_no, direction, station, category, weight_g,
		       size_l::bigint * size_w * size_h
		FROM parcels
		WHERE (direction = 'down' AND state IN ('hub_inbound', 'sorted'))
		   OR (direction = 'up' AND state = 'accepted')
		ORDER BY station, direction, carrier, tracking_no`)
	if err != nil {
		return nil, dbErr(err, "parcels")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (parcelRow, error) {
		var p parcelRow
		err := r.Scan(&p.ID, &p.Carrier, &p.TrackingNo, &p.Direction, &p.Station, &p.Category, &p.WeightG, &p.VolumeCm3)
		if p.VolumeCm3 <= 0 {
			p.VolumeCm3 = defaultVolumeCm3
		}
		return p, err
	})
	return out, dbErr(err, "parcels")
}
