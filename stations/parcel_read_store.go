package stations

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/pg"
)

// parcelColumns are read by every query that returns parcels, in the order
// scanParcel expects.
const parcelColumns = `p.id, p.carrier, p.tracking_no, p.direction, p.station, p.state, p.recipient_name,
	p.recipient_phone, p.sender_merchant, p.sender_name, p.sender_phone, p.weight_g, p.size_l, p.size_w,
	p.size_h, p.category, p.dest_province, p.dest_city, p.quote_id, p.pickup_code, p.arrived_at, p.created_at,
	p.declared_value_fen, p.packaging`

// scanParcel reads parcelColumns (plus extra destinations at the end).
func scanParcel(row pgx.Row, extra ...any) (Parcel, error) {
	var p Parcel
	var r, s Person
	var size Size
	var d Destination
	dest := append([]any{&p.id, &p.Carrier, &p.TrackingNo, &p.Direction, &p.Station, &p.State, &r.Name,
		&r.Phone, &s.MerchantID, &s.Name, &s.Phone, &p.WeightG, &size.L, &size.W, &size.H, &p.Category,
		&d.Province, &d.City, &p.QuoteID, &p.PickupCode, &p.ArrivedAt, &p.CreatedAt,
		&p.DeclaredValueFen, &p.Packaging}, extra...)
	if err := row.Scan(dest...); err != nil {
		return p, err
	}
	p.CreatedAt = p.CreatedAt.UTC()
	if p.ArrivedAt != nil {
		t := p.ArrivedAt.UTC()
		p.ArrivedAt = &t
	}
	if r != (Person{}) {
		p.Recipient = &r
	}
	if s != (Person{}) {
		p.Sender = &s
	}
	if size != (Size{}) {
		p.SizeCM = &size
	}
	if d != (Destination{}) {
		p.Destination = &d
	}
	return p, nil
}

func scanEvent(row pgx.CollectableRow) (Event, error) {
	var e Event
	var lon, lat *float64
	err := row.Scan(&e.ID, &e.Kind, &e.Station, &e.At, &e.RecordedAt, &e.By, &e.PickupCode, &e.Note, &lon, &lat)
	if lon != nil && lat != nil {
		e.Location = &Location{Lon: *lon, Lat: *lat}
	}
	e.At, e.RecordedAt = e.At.UTC(), e.RecordedAt.UTC()
	return e, err
}

// readParcel reads one parcel with its timeline in one round trip, and
// whether the keeper of station scope may see it (scope is the hub or
// scanned it). pgx.ErrNoRows when there is no such parcel.
func (c *Custody) readParcel(ctx context.Context, carrier, trackingNo, scope string) (Parcel, bool, error) {
	q := &pgx.Batch{}
	q.Queue(`SELECT `+parcelColumns+`,
		    EXISTS (SELECT 1 FROM stations WHERE code = $3 AND tier = 'county_hub')
		        OR EXISTS (SELECT 1 FROM parcel_events e WHERE e.parcel_id = p.id AND e.station = $3)
		FROM parcels p WHERE p.carrier = $1 AND p.tracking_no = $2`, carrier, trackingNo, scope)
	q.Queue(`SELECT e.id, e.kind, e.station, e.at, e.recorded_at, e.by, e.pickup_code, e.note, e.lon, e.lat
		FROM parcel_events e JOIN parcels p ON p.id = e.parcel_id
		WHERE p.carrier = $1 AND p.tracking_no = $2 ORDER BY e.seq`, carrier, trackingNo)
	res := c.pool.SendBatch(ctx, q)
	defer res.Close()
	var keeperSees bool
	p, err := scanParcel(res.QueryRow(), &keeperSees)
	if err != nil {
		return Parcel{}, false, err
	}
	rows, _ := res.Query()
	p.Events, err = pgx.CollectRows(rows, scanEvent)
	if p.Events == nil {
		p.Events = []Event{} // "events": [] until the first scan
	}
	if err != nil {
		return Parcel{}, false, pg.Err(err, "the parcel's timeline")
	}
	return p, keeperSees, nil
}
