package stations

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// stationExists reports whether a station with code is registered.
func (c *Custody) stationExists(ctx context.Context, code string) (bool, error) {
	var exists bool
	err := c.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM stations WHERE code = $1)`, code).Scan(&exists)
	return exists, err
}

// shelfPage reads up to limit parcels at station in the order they began
// waiting, after (afterT, afterID); "" for state, last4 or carrier means
// any. now is the database's clock, against which waits are measured.
func (c *Custody) shelfPage(ctx context.Context, station, state, last4, carrier string, afterT time.Time, afterID int64, limit int) (items []ShelfItem, now time.Time, err error) {
	rows, err := c.pool.Query(ctx, `
		SELECT `+parcelColumns+`, coalesce(p.arrived_at, p.created_at), now()
		FROM parcels p
		WHERE p.station = $1 AND ($2 = '' OR p.state = $2)
		  AND ($3 = '' OR right(p.recipient_phone, 4) = $3) AND ($4 = '' OR p.carrier = $4)
		  AND (coalesce(p.arrived_at, p.created_at), p.id) > ($5, $6)
		ORDER BY coalesce(p.arrived_at, p.created_at), p.id
		LIMIT $7`, station, state, last4, carrier, afterT, afterID, limit)
	if err != nil {
		return nil, now, err
	}
	items, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (ShelfItem, error) {
		var it ShelfItem
		p, err := scanParcel(row, &it.WaitingSince, &now)
		it.Parcel = p
		it.WaitingSince = it.WaitingSince.UTC()
		return it, err
	})
	return items, now, err
}
