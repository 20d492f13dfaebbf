package stations

import (
	"context"
	"time"

	"github.com/tongpei/tongpei/internal/errs"
)

// summaryCounts reads the day's events and the shelf of station in one
// round trip: the parcels of the station (by the shelf index), and their
// events of the day.
func (c *Custody) summaryCounts(ctx context.Context, station string, from, to time.Time, overdue time.Duration) (Summary, error) {
	var s Summary
	var exists bool
	err := c.pool.QueryRow(ctx, `
		WITH here AS (SELECT id, state, arrived_at FROM parcels WHERE station = $1),
		today AS (
			SELECT e.kind FROM parcel_events e JOIN here ON here.id = e.parcel_id
			WHERE e.station = $1 AND e.at >= $2 AND e.at < $3)
		SELECT EXISTS (SELECT 1 FROM stations WHERE code = $1),
			(SELECT count(*) FROM today WHERE kind = 'station_arrival'),
			(SELECT count(*) FROM today WHERE kind = 'picked_up'),
			(SELECT count(*) FROM today WHERE kind = 'accepted'),
			(SELECT count(*) FROM here WHERE state = 'station_arrival'),
			(SELECT count(*) FROM here WHERE state = 'station_arrival' AND arrived_at < now() - make_interval(secs => $4)),
			(SELECT count(*) FROM here WHERE state = 'problem')`,
		station, from, to, overdue.Seconds()).Scan(&exists, &s.Arrived, &s.PickedUp, &s.ShippedUp, &s.Waiting, &s.Overdue, &s.Problems)
	if err != nil {
		return Summary{}, custodyErr(err, "count the station's day")
	}
	if !exists {
		return Summary{}, errs.E(errs.NotFound, "station %q is not registered", station)
	}
	return s, nil
}
