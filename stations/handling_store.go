package stations

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/pg"
)

// HandlingCount is how many parcels of one carrier a station handed to
// their recipients (picked_up) or accepted for shipping (accepted) on one
// business day: what station keepers are paid a handling fee for.
type HandlingCount struct {
	Station string `json:"station"`
	Tier    string `json:"tier"`
	Carrier string `json:"carrier"`
	Event   string `json:"event"` // PickedUp or Accepted
	Parcels int64  `json:"parcels"`
}

// HandlingCounts counts the parcels handed over and accepted at stations
// between from (inclusive) and to (exclusive), by station, carrier and event.
// A parcel accepted twice (after a problem) counts once per acceptance,
// since the keeper handled it twice.
func (c *Custody) HandlingCounts(ctx context.Context, from, to time.Time) ([]HandlingCount, error) {
	rows, err := c.pool.Query(ctx, `
		SELECT e.station, s.tier, p.carrier, e.kind, count(*)
		FROM parcel_events e
		JOIN parcels p ON p.id = e.parcel_id
		JOIN stations s ON s.code = e.station
		WHERE e.kind IN ('picked_up', 'accepted') AND e.at >= $1 AND e.at < $2
		GROUP BY e.station, s.tier, p.carrier, e.kind
		ORDER BY e.station, p.carrier, e.kind`, from, to)
	if err != nil {
		return nil, pg.Err(err, "handling counts")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (HandlingCount, error) {
		var h HandlingCount
		err := r.Scan(&h.Station, &h.Tier, &h.Carrier, &h.Event, &h.Parcels)
		return h, err
	})
	if err != nil {
		return nil, pg.Err(err, "handling counts")
	}
	return out, nil
}
