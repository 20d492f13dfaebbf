package stations

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/errs"
)

// Scan applies a batch of scans for who and says what became of each, in
// the order given. One bad scan never blocks the others. The whole batch is
// one transaction of a fixed number of round trips whatever its size: one to
// lock and load every parcel and scan id it names, the state machine in
// memory, then one to write every event, parcel and refusal and one for the
// outbox. An error means nothing was applied and the batch may be resent.
func (c *Custody) Scan(ctx context.Context, who auth.Principal, scans []Scan) ([]Result, error) {
	switch {
	case who.Role == auth.Merchant:
		return nil, errs.E(errs.Forbidden, "a merchant token may not scan parcels")
	case len(scans) == 0:
		return nil, errs.E(errs.Invalid, "send at least one scan")
	case len(scans) > MaxScans:
		return nil, errs.E(errs.Invalid, "send at most %d scans per batch, not %d; split the batch", MaxScans, len(scans))
	}
	if len(scans) == 1 && c.group != nil {
		r, err := c.group.scan(ctx, who, scans[0])
		if err != nil {
			return nil, custodyErr(err, "apply the scan")
		}
		return []Result{r}, nil
	}
	var results []Result
	err := c.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		results, err = c.applyScans(ctx, tx, who, scans)
		return err
	})
	if err != nil {
		return nil, custodyErr(err, "apply the scans")
	}
	return results, nil
}

// applyScans is Scan inside a transaction the caller owns, so that a
// carrier event can register parcels and scan them atomically.
func (c *Custody) applyScans(ctx context.Context, tx pgx.Tx, who auth.Principal, in []Scan) ([]Result, error) {
	whos := make([]auth.Principal, len(in))
	for i := range whos {
		whos[i] = who
	}
	return c.applyScansAs(ctx, tx, whos, in)
}

// applyScansAs is applyScans with each scan's own sender (whos[i] sent
// in[i]), so that a group commit applies many callers' scans at once.
func (c *Custody) applyScansAs(ctx context.Context, tx pgx.Tx, whos []auth.Principal, in []Scan) ([]Result, error) {
	scans := slices.Clone(in)
	results := make([]Result, len(scans))
	todo := make([]bool, len(scans))
	var trackingNos, stationCodes, arrivalStations []string
	var ids []uuid.UUID
	for i := range scans {
		s, who := &scans[i], whos[i]
		if who.Role == auth.Keeper && s.Station == "" {
			s.Station = who.Scope
		}
		if who.Role == auth.Carrier && s.Carrier == "" {
			s.Carrier = who.Scope
		}
		if code, detail := checkShape(s); code != "" {
			results[i] = rejected(s.ID, code, "%s", detail)
			continue
		}
		switch {
		case who.Role == auth.Keeper && s.Station != who.Scope:
			results[i] = rejected(s.ID, CodeForbiddenStation, "the keeper of %s may scan only at %s, not at %s", who.Scope, who.Scope, s.Station)
			continue
		case who.Role == auth.Carrier && s.Carrier != who.Scope:
			results[i] = rejected(s.ID, CodeForbiddenCarrier, "carrier %s may not scan parcels of carrier %s", who.Scope, s.Carrier)
			continue
		}
		todo[i] = true
		trackingNos = append(trackingNos, s.TrackingNo)
		stationCodes = append(stationCodes, s.Station)
		ids = append(ids, s.ID)
		if s.Kind == StationArrival {
			arrivalStations = append(arrivalStations, s.Station)
		}
	}
	if len(ids) == 0 {
		return results, nil // every scan was refused before reaching the database
	}
	b := &batch{now: c.now(), who: whos[0], known: map[uuid.UUID]knownScan{}, tiers: map[string]string{},
		parcels: map[string][]*parcelRow{}, used: map[string]map[int]bool{}}
	if err := loadBatch(ctx, tx, b, trackingNos, ids, stationCodes, arrivalStations); err != nil {
		return nil, err
	}
	for i := range scans {
		if todo[i] {
			b.who = whos[i] // the state machine asks who sent the scan it decides
			results[i] = b.apply(&scans[i])
		}
	}
	return results, writeBatch(ctx, tx, b)
}

// loadBatch locks the parcels a batch names (in id order, so concurrent
// batches cannot deadlock on them), then reads the scan ids already known,
// the stations' tiers and the pickup numbers taken where parcels arrive.
// Known ids come from parcel_event_ids, the timeline's key across its
// monthly partitions (one probe, not one per month).
// Pickup numbers are read under a per-station advisory lock, taken after
// every parcel lock and in station order, so two batches arriving parcels
// at one station never pick the same number. One round trip, which first
// rules out sequential scans for the transaction (keyLookupsOnly).
func loadBatch(ctx context.Context, tx pgx.Tx, b *batch, trackingNos []string, ids []uuid.UUID, stationCodes, arrivals []string) error {
	slices.Sort(arrivals)
	arrivals = slices.Compact(arrivals)
	q := &pgx.Batch{}
	q.Queue(keyLookupsOnly)
	q.Queue(`
		SELECT id, carrier, tracking_no, direction, station, state, pickup_code, arrived_at, created_at,
		       recipient_name, recipient_phone,
		       COALESCE((SELECT s.parent FROM stations s WHERE s.county = p.county AND s.code = p.station), '')
		FROM parcels p WHERE p.county = `+sessionCounty+` AND tracking_no = ANY($1) ORDER BY id FOR UPDATE`, trackingNos).Query(eachRow(func(r pgx.Rows) error {
		p := &parcelRow{}
		err := r.Scan(&p.id, &p.carrier, &p.trackingNo, &p.direction, &p.station, &p.state, &p.pickupCode,
			&p.arrivedAt, &p.createdAt, &p.recipientName, &p.recipientPhone, &p.stationParent)
		b.parcels[p.trackingNo] = append(b.parcels[p.trackingNo], p)
		return err
	}))
	q.Queue(`
		SELECT id, digest, '', '' FROM parcel_event_ids WHERE id = ANY($1)
		UNION ALL
		SELECT id, digest, code, detail FROM scan_rejections WHERE id = ANY($1)`, ids).Query(eachRow(func(r pgx.Rows) error {
		var id uuid.UUID
		var k knownScan
		err := r.Scan(&id, &k.digest, &k.code, &k.detail)
		b.known[id] = k
		return err
	}))
	q.Queue(`SELECT code, tier FROM stations WHERE county = `+sessionCounty+` AND code = ANY($1)`, stationCodes).Query(eachRow(func(r pgx.Rows) error {
		var code, tier string
		err := r.Scan(&code, &tier)
		b.tiers[code] = tier
		return err
	}))
	if len(arrivals) > 0 {
		q.Queue(`SELECT count(pg_advisory_xact_lock(hashtextextended('tongpei.pickup.' || `+sessionCounty+` || '.' || s, 0)))
			FROM (SELECT s FROM unnest($1::text[]) s ORDER BY s) ordered`, arrivals)
		q.Queue(`SELECT station, pickup_code FROM parcels
			WHERE county = `+sessionCounty+` AND station = ANY($1) AND state = 'station_arrival'`,
			arrivals).Query(eachRow(func(r pgx.Rows) error {
			var station, code string
			err := r.Scan(&station, &code)
			b.usedAt(station)[codeNumberInt(code)] = true
			return err
		}))
	}
	return tx.SendBatch(ctx, q).Close()
}

// keyLookupsOnly keeps the planner off sequential scans for the rest of the
// scan transaction. Every statement of a batch looks up at most MaxScans keys
// (tracking numbers, scan ids, parcel ids, stations) through an index, which
// is right at any table size; a sequential scan is chosen only when the
// table's statistics are missing or stale: a database just loaded or
// restored, or a server run with autovacuum off (as the CI machine's is).
// Then the planner takes a table of thousands of timeline keys for an empty
// one and compares every row with every scan id, a cost that grows with the
// table (4 ms a batch of 100 at 10,000 keys, against 0.1 ms by the index).
// SET LOCAL ends with the transaction; it costs no round trip of its own.
const keyLookupsOnly = `SET LOCAL enable_seqscan = off`

// sessionCounty is the county the transaction works for (the pool sets it
// from the request's context, internal/pg). The scan path's lookups name
// it although row-level security filters by it anyway: the keys of a
// county's rows lead with the county (migration 00170), and the policy's
// "county = setting OR setting = '*'" is no index condition, so without
// it each batch read the parcels of every county of the province (a
// sequential or full index scan; found by tongpei simulate at 8 counties).
// A scan always works for one county: the API refuses a change province-wide.
const sessionCounty = `current_setting('tongpei.county', true)`

// eachRow makes a batch callback that calls fn for every row.
func eachRow(fn func(pgx.Rows) error) func(pgx.Rows) error {
	return func(rows pgx.Rows) error {
		for rows.Next() {
			if err := fn(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
}

// writeBatch stores what a batch changed in one round trip: accepted scans
// in the timeline, parcels' new states, remembered refusals and the outbox
// rows of the scans and notifications (unnest for each).
func writeBatch(ctx context.Context, tx pgx.Tx, b *batch) error {
	if len(b.events) == 0 && len(b.rejections) == 0 {
		return nil
	}
	q := &pgx.Batch{}
	if len(b.events) > 0 {
		queueEvents(q, b.events)
		queueParcelUpdates(q, b.events)
	}
	if n := len(b.rejections); n > 0 {
		ids, digests, codes, details := make([]uuid.UUID, n), make([][]byte, n), make([]string, n), make([]string, n)
		for i, r := range b.rejections {
			ids[i], digests[i], codes[i], details[i] = r.id, r.digest, r.code, r.detail
		}
		q.Queue(`INSERT INTO scan_rejections (id, digest, code, detail)
			SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::text[], $4::text[])`, ids, digests, codes, details)
	}
	if err := bus.QueueEnqueue(q, outboxEvents(slices.Concat(b.events, b.notices))...); err != nil {
		return err
	}
	return tx.SendBatch(ctx, q).Close()
}

// queueEvents inserts timeline entries in the order they happened.
func queueEvents(q *pgx.Batch, events []eventRow) {
	n := len(events)
	ids, parcels := make([]uuid.UUID, n), make([]int64, n)
	kinds, stations, bys, codes, notes := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	ats, recorded := make([]time.Time, n), make([]time.Time, n)
	digests := make([][]byte, n)
	lons, lats := make([]*float64, n), make([]*float64, n)
	for i, e := range events {
		ids[i], parcels[i], kinds[i], stations[i], bys[i] = e.id, e.parcel.id, e.kind, e.station, e.by
		codes[i], notes[i], ats[i], recorded[i], digests[i] = e.pickupCode, e.note, e.at, e.recordedAt, e.digest
		if e.loc != nil {
			lons[i], lats[i] = &e.loc.Lon, &e.loc.Lat
		}
	}
	q.Queue(`
		INSERT INTO parcel_events (id, parcel_id, kind, station, by, pickup_code, note, at, recorded_at, digest, lon, lat)
		SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
		                     $8::timestamptz[], $9::timestamptz[], $10::bytea[], $11::float8[], $12::float8[])`,
		ids, parcels, kinds, stations, bys, codes, notes, ats, recorded, digests, lons, lats)
}

// queueParcelUpdates writes each changed parcel's final state once.
func queueParcelUpdates(q *pgx.Batch, events []eventRow) {
	var ids []int64
	var states, codes []string
	var arrived []*time.Time
	for _, e := range events {
		p := e.parcel
		if !p.dirty {
			continue
		}
		p.dirty = false
		ids, states, codes, arrived = append(ids, p.id), append(states, p.state), append(codes, p.pickupCode), append(arrived, p.arrivedAt)
	}
	q.Queue(`
		UPDATE parcels p SET state = u.state, pickup_code = u.code, arrived_at = u.arrived, updated_at = now()
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[]) u (id, state, code, arrived)
		WHERE p.id = u.id`, ids, states, codes, arrived)
}

func (g *groupCommit) apply(ctx context.Context, whos []auth.Principal, scans []Scan) ([]Result, error) {
	var results []Result
	err := g.c.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		results, err = g.c.applyScansAs(ctx, tx, whos, scans)
		return err
	})
	return results, err
}
