package stations

import (
	"context"
	"time"
)

// StationWaiting is how many parcels wait on one station's shelf and how
// many of them longer than the overdue limit: what an operator watches to
// see a keeper falling behind or recipients not coming.
type StationWaiting struct {
	Station string
	Waiting int64
	Overdue int64
}

// WaitingByStation counts the waiting parcels of every station that has
// any, with overdue meaning waiting more than overdueDays (DefaultOverdueDays
// when 0), the same rule as the shelf's flag.
func (c *Custody) WaitingByStation(ctx context.Context, overdueDays int) ([]StationWaiting, error) {
	if overdueDays <= 0 {
		overdueDays = DefaultOverdueDays
	}
	cutoff := c.now().Add(-time.Duration(overdueDays) * 24 * time.Hour)
	rows, err := c.reports.Query(ctx, `
		SELECT station, count(*), count(*) FILTER (WHERE coalesce(arrived_at, created_at) < $2)
		FROM parcels WHERE state = $1 GROUP BY station ORDER BY station`, StationArrival, cutoff)
	if err != nil {
		return nil, custodyErr(err, "count the waiting parcels")
	}
	defer rows.Close()
	var out []StationWaiting
	for rows.Next() {
		var w StationWaiting
		if err := rows.Scan(&w.Station, &w.Waiting, &w.Overdue); err != nil {
			return nil, custodyErr(err, "count the waiting parcels")
		}
		out = append(out, w)
	}
	return out, custodyErr(rows.Err(), "count the waiting parcels")
}
