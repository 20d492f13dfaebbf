package stations

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// The reads below serve the county's scorecard (the kpi package), which
// may not read custody's tables itself. Each sums in SQL over the first
// event of its kind per parcel, so a parcel accepted again after a problem
// counts once, in the month it was first accepted. Months are calendar
// months in Asia/Shanghai, written YYYY-MM.

// UpValue is what one station accepted for shipping in one month.
type UpValue struct {
	Station     string `json:"station"`
	Month       string `json:"month"`
	Parcels     int64  `json:"parcels"`
	DeclaredFen int64  `json:"declared_value_fen"`
}

// UpValues sums the declared goods value of up parcels first accepted at
// their station with from ≤ at < to, per station and month.
func (c *Custody) UpValues(ctx context.Context, from, to time.Time) ([]UpValue, error) {
	rows, err := c.reports.Query(ctx, `
		WITH first AS (
		    SELECT e.parcel_id, min(e.at) AS at FROM parcel_events e
		    WHERE e.kind = 'accepted' GROUP BY e.parcel_id)
		SELECT p.station, to_char(f.at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month,
		       count(*), coalesce(sum(p.declared_value_fen), 0)::bigint
		FROM first f JOIN parcels p ON p.id = f.parcel_id
		WHERE p.direction = 'up' AND f.at >= $1 AND f.at < $2
		GROUP BY 1, 2 ORDER BY 1, 2`, from, to)
	if err != nil {
		return nil, custodyErr(err, "sum the accepted up parcels")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (UpValue, error) {
		var v UpValue
		return v, r.Scan(&v.Station, &v.Month, &v.Parcels, &v.DeclaredFen)
	})
	return out, custodyErr(err, "sum the accepted up parcels")
}

// Flow is how many parcels went down to, or up from, a township's stations
// in one month.
type Flow struct {
	Month     string `json:"month"`
	Township  string `json:"township"`
	Direction string `json:"direction"`
	Parcels   int64  `json:"parcels"`
}

// Flows counts down parcels by their first arrival at the station and up
// parcels by their first acceptance, with from ≤ at < to, per month and
// township of the parcel's station.
func (c *Custody) Flows(ctx context.Context, from, to time.Time) ([]Flow, error) {
	rows, err := c.reports.Query(ctx, `
		WITH first AS (
		    SELECT e.parcel_id, min(e.at) AS at FROM parcel_events e
		    JOIN parcels p ON p.id = e.parcel_id
		    WHERE (p.direction = 'down' AND e.kind = 'station_arrival') OR (p.direction = 'up' AND e.kind = 'accepted')
		    GROUP BY e.parcel_id)
		SELECT to_char(f.at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'), s.township, p.direction, count(*)
		FROM first f JOIN parcels p ON p.id = f.parcel_id JOIN stations s ON s.code = p.station
		WHERE f.at >= $1 AND f.at < $2
		GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`, from, to)
	if err != nil {
		return nil, custodyErr(err, "count the parcels by township")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Flow, error) {
		var f Flow
		return f, r.Scan(&f.Month, &f.Township, &f.Direction, &f.Parcels)
	})
	return out, custodyErr(err, "count the parcels by township")
}

// CarrierActivity is what one company did at the county centre in a
// period: parcels it handed in (hub_inbound of its down parcels), parcels
// the centre handed to it (handed_to_carrier of up parcels) and its
// parcels the joint fleet carried (loaded).
type CarrierActivity struct {
	Carrier    string `json:"carrier"`
	HandedIn   int64  `json:"handed_in"`
	HandedOver int64  `json:"handed_over"`
	Loaded     int64  `json:"loaded"`
}

// CarrierActivities counts distinct parcels per carrier with an event of
// each kind in from ≤ at < to; carriers with none are left out.
func (c *Custody) CarrierActivities(ctx context.Context, from, to time.Time) ([]CarrierActivity, error) {
	rows, err := c.reports.Query(ctx, `
		SELECT p.carrier,
		       count(DISTINCT p.id) FILTER (WHERE e.kind = 'hub_inbound' AND p.direction = 'down'),
		       count(DISTINCT p.id) FILTER (WHERE e.kind = 'handed_to_carrier'),
		       count(DISTINCT p.id) FILTER (WHERE e.kind = 'loaded')
		FROM parcel_events e JOIN parcels p ON p.id = e.parcel_id
		WHERE e.at >= $1 AND e.at < $2 AND e.kind IN ('hub_inbound', 'handed_to_carrier', 'loaded')
		GROUP BY p.carrier ORDER BY p.carrier`, from, to)
	if err != nil {
		return nil, custodyErr(err, "count the carriers' parcels")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CarrierActivity, error) {
		var a CarrierActivity
		return a, r.Scan(&a.Carrier, &a.HandedIn, &a.HandedOver, &a.Loaded)
	})
	return out, custodyErr(err, "count the carriers' parcels")
}

// BoxCount is how many up parcels one sender shipped in branded 新平礼好
// boxes in one quarter (YYYY-Qn, Asia/Shanghai).
type BoxCount struct {
	Merchant string `json:"merchant_id"`
	Quarter  string `json:"quarter"`
	Boxes    int64  `json:"boxes"`
}

// BrandedBoxes counts up parcels packed in BrandedBox and first accepted
// with from ≤ at < to, per sending merchant and quarter; parcels sent by a
// person rather than a registered firm are left out.
func (c *Custody) BrandedBoxes(ctx context.Context, from, to time.Time) ([]BoxCount, error) {
	rows, err := c.reports.Query(ctx, `
		WITH first AS (
		    SELECT e.parcel_id, min(e.at) AS at FROM parcel_events e
		    WHERE e.kind = 'accepted' GROUP BY e.parcel_id)
		SELECT p.sender_merchant, to_char(f.at AT TIME ZONE 'Asia/Shanghai', 'YYYY-"Q"Q'), count(*)
		FROM first f JOIN parcels p ON p.id = f.parcel_id
		WHERE p.direction = 'up' AND p.packaging = $3 AND p.sender_merchant <> '' AND f.at >= $1 AND f.at < $2
		GROUP BY 1, 2 ORDER BY 2, 1`, from, to, BrandedBox)
	if err != nil {
		return nil, custodyErr(err, "count the branded boxes")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (BoxCount, error) {
		var b BoxCount
		return b, r.Scan(&b.Merchant, &b.Quarter, &b.Boxes)
	})
	return out, custodyErr(err, "count the branded boxes")
}
